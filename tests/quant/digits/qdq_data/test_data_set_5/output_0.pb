
Blogits_finalJ(~Ö«¡ë3≈¡@R0¡!HqAD{Œ¡!Hq¿ç
ß¡fÆ+¡({î¿@R∞¿