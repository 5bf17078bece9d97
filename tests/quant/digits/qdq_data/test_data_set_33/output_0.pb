
Blogits_finalJ(0ÍÐÁ
qUA´f"Á
qUÁO×Áœ†ÁÔzÁ¼¸ÞÀ({”>({”Á