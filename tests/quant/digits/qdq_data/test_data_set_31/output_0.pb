
Blogits_finalJ(╟=└аOв▐а({■аЦZа╪╦^юW)лю╜3аAOваD{на