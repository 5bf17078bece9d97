
Blogits_finalJ(™Áf®«Á¼¸ÞÀO×A({Â!HqÀ0ÍÐÁO×ÁË=>Á({?