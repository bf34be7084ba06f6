# language: zh-CN
@needs-bank-control @area:purchase @req:signal-display @req:signal-receipt @req:signal-balances @req:outcome-agree @req:failed-not-zero
功能: 消费取消
  持卡人按取消键，或收银台中止交易：交易以"已取消"结束，不打印凭证，资金不变动。已发往主机的请求必须冲正。

  背景:
    假如卡"alice"余额为500.00元

  @needs-swipe @needs-pin @severity:critical
  场景: 持卡人不输密码，按取消键
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    那么终端显示"请输入密码"
    当持卡人按取消键
    那么终端显示"交易已取消"
    而且交易已取消
    而且终端不显示"交易成功"
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账
  @severity:normal
  场景: 终端等待刷卡时商户中止交易
    当商户发起消费100.00元
    那么终端显示"请刷卡/插卡/挥卡"
    当商户中止交易
    那么交易已取消
    而且终端不显示"交易成功"
    而且终端不打印凭证
    而且卡"alice"的余额是500.00元
    而且商户未入账

  @needs-swipe @needs-pin @needs-faults @severity:critical @req:cancel-reversal @req:reversal-fields @req:reversal-reported @req:pending-reversal
  场景: 主机批准后商户中止交易，终端冲正
    假如终端等待主机应答时商户将中止交易
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么交易已取消
    而且终端冲正该交易，原因码"17"
    而且终端不显示"交易成功"
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账
