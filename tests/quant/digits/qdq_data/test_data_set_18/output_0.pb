
Blogits_finalJ(ÃëÁ!HñÁ¤ÂW)LÀ•\cÁœ†A¼¸ÞÀ´f¢ÁË=>ÁO×Á