
Blogits_finalJ(W)лаР≥╧©
qуюv3аb┘█аD{нацКюг═аЦZA╟=└а