
Blogits_finalJ(({©H╓lаса╧бH╥AW)Lа╪╦^©!Hqюзб²аH7б