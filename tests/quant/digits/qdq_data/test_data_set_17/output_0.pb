
Blogits_finalJ(
qуа┴А┬а╜3аf╝╚A[RЙа0мPаНp⌡а0мPазб²юцКю