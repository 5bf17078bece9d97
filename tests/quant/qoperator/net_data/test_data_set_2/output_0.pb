
ByJ(ô–”¾­cJ¿…óL¿•RÜ>…óL=Fra?Fra?½ÂY?ìäµ?M$@?