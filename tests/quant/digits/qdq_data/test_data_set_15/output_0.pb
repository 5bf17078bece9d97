
Blogits_finalJ(ô¡W)Ã@z\©¡§·B¡ç
'¿ï\c¡W)L¿Ópõ¡º∏^?H§l¡