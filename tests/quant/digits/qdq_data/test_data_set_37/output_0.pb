
Blogits_finalJ(┌┬Э┴╟а┴╝╕▐└v3┴┤f"┴а╕д┴й
с┴
qUA!Hё└дсB┴