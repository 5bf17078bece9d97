
Blogits_finalJ(ÀáüÁ ¸¤Á
qÕÀH·AÀáüÁ0ÍPÁç=øÁ
qUÁ({”?ò™¹@