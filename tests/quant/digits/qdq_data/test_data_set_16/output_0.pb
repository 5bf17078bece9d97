
Blogits_finalJ(∏è¿¡
q’@
qU¡({¡!HÒ¿@R∞¿W)L¡H∑¡!HÒ¿úè¡