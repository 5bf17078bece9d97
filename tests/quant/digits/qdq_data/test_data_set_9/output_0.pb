
Blogits_finalJ(оfэазб²аW)Lак=╬A∙\Ца~┘Gаjвиазб²юР≥╧?!Hqю