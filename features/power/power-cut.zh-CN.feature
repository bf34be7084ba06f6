# language: zh-CN
@needs-bank-control @needs-swipe @needs-pin @needs-power @needs-faults @area:power @severity:critical @req:signal-balances @req:power-up-order @req:stan-new @req:pending-reversal @req:failed-not-zero
功能: 断电
  终端在等待主机应答时断电，上电后必须发出发送请求前已保存的冲正，持卡人不会为未完成的交易被扣款。
  @req:power-cut-reversal
  场景: 联机时断电，上电后发送已保存的冲正
    假如卡"alice"余额为500.00元
    而且终端等待主机应答时将断电
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    而且恢复供电
    那么终端冲正该交易
    而且卡"alice"未被扣款
    而且商户未入账
  @req:signal-receipt @req:reversal-fields
  场景: 冲正已发出、应答未回时断电，上电签到后送达冲正
    假如卡"alice"余额为500.00元
    而且主机的下一笔应答丢失
    而且终端发送冲正时将断电
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    而且恢复供电
    那么终端冲正该交易，原因码"98"
    而且终端先签到，再发送冲正
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账
  @req:power-cut-reversal @req:signal-receipt
  场景: 冲正记录已保存、请求发出时断电，上电后以原因码06冲正
    假如卡"alice"余额为500.00元
    而且终端请求发出时将断电
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    而且恢复供电
    那么终端冲正该交易，原因码"06"
    而且终端先签到，再发送冲正
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账

  @req:power-cut-reversal @req:signal-receipt
  场景: 无法识别的应答的冲正发出时断电，上电后再次发出
    假如卡"alice"余额为500.00元
    而且主机的下一笔应答报文损坏
    而且终端发送冲正时将断电
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    而且恢复供电
    那么终端冲正该交易，原因码"96"
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账
