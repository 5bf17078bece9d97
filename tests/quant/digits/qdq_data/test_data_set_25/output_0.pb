
Blogits_finalJ(šóÁO×Á({”A´f"ÁÀáüÁH¤lÁ@R°Áò™9Á¼¸Ş¿•\cÁ