
Blogits_finalJ(Щ┴├ы┬bЕ┬({Ф>дс┬┴H╖A┴Щ┴Н
'┴v3┴