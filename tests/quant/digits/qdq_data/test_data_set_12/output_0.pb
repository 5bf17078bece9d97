
Blogits_finalJ(Ãë@ÃëÁÏfÜÁO×Á!HqÀv3‹ÀÔzAßë»ÁW)LÀ•\ãÁ