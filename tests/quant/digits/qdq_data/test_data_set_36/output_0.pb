
Blogits_finalJ(~…วม!HqมใZAW)L@({ยว มิzม
qUมฺยภ๎pม