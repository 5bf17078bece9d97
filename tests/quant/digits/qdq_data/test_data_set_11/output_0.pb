
Blogits_finalJ(█
╖юР≥9азб²ат▐zаЦZа
qую°▐├A~┘га█
'@

б