
Blogits_finalJ(≥а~┘GаH7бW)лаW)LAv3▀ю╪╦^аv3а({аЖ4а