# language: zh-CN
@needs-pin @area:purchase @req:signal-display @req:signal-receipt @req:signal-balances @req:outcome-agree @req:failed-not-zero
功能: 消费被拒
  银行拒绝交易时，终端提示原因，不打印凭证，资金不发生变动。

  @needs-bank-control @needs-swipe @needs-voice @severity:critical @req:signal-voice
  场景: 余额不足（51）
    假如卡"bob"余额为50.00元
    当商户发起消费100.00元
    而且持卡人刷卡"bob"
    而且持卡人输入密码"654321"
    那么终端显示"余额不足"
    而且终端播报"交易失败"
    而且终端不显示"交易成功"
    而且交易被拒绝，应答码"51"
    而且终端不打印凭证
    而且卡"bob"未被扣款
    而且卡"bob"的余额是50.00元
    而且商户未入账

  @needs-chip @severity:critical
  场景: 卡已过期（54）
    当商户发起消费10.00元
    而且持卡人插卡"carol"
    而且持卡人输入密码"111111"
    那么终端显示"卡已过期"
    而且交易被拒绝，应答码"54"
    而且终端不打印凭证
    而且卡"carol"未被扣款
    而且商户未入账
