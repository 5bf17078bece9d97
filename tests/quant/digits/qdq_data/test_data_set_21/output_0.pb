
Blogits_finalJ(╢f"а@R╟ацК│азбаЖ╢ат▐zа({©Нp⌡а!HqA@R╟ю