
Blogits_finalJ(•\cÁ ¸¤Á@R°Àîp›ÁÃëÁv3‹Á[RêÁö4A({Áö4Á