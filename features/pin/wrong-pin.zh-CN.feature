# language: zh-CN
@needs-bank-control @needs-swipe @needs-pin @area:pin @severity:critical @req:signal-display @req:signal-receipt @req:signal-balances @req:wrong-pin-not-reversed
功能: 密码错误
  密码输错时终端要求重新输入；连续三次输错，银行锁定该卡，下一笔交易同样被拒。

  背景:
    假如卡"alice"余额为500.00元

  @needs-printer @req:stan-new @req:stan-reused @req:approved-not-posted
  场景: 先输错密码，再输入正确密码
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"000000"
    那么终端显示"密码错误，请重新输入"
    当持卡人输入密码"123456"
    那么终端显示"交易成功"
    而且终端打印持卡人存根，金额100.00元
    而且卡"alice"被扣款100.00元
    而且商户入账100.00元
  @req:pin-tries-exceeded @req:outcome-agree @req:failed-not-zero
  场景: 连续三次密码错误锁卡，下一笔交易同样被拒
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"000000"
    那么终端显示"密码错误，请重新输入"
    当持卡人输入密码"111111"
    那么终端显示"密码错误，请重新输入"
    当持卡人输入密码"222222"
    那么终端显示"密码错误次数超限"
    而且交易被拒绝，应答码"75"
    而且终端不打印凭证
    当商户发起消费10.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"密码错误次数超限"
    而且交易被拒绝，应答码"75"
    而且卡"alice"未被扣款
    而且商户未入账
