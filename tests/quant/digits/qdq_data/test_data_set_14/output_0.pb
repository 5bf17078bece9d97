
Blogits_finalJ(b…Á¼¸ÞÁ¦fÂò™¹¿îp›Áò™¹Aö4Á™Á!HñÀ@R0Á