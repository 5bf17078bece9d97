
Blogits_finalJ(█
'аH╥а0мPаг═а°▐ат▐Зю╢f╒а╟=└A@R0аD{на