
Blogits_finalJ(@R°А~…ЗБт™9Б({”БълuБт™9A({Б!HqАOЧБЗ Б