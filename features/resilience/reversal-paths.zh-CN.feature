# language: zh-CN
@needs-bank-control @needs-swipe @needs-pin @needs-faults @area:resilience @req:signal-receipt @req:signal-balances @req:failed-not-zero
功能: 冲正的各条路径
  冲正要一直发送到主机应答为止，要在下一笔消费的请求之前送达，终端不能信任的应答都要冲正。
  故障代理按协议事件（下一笔0400、主机的0410、主机的0210）丢弃、篡改或延迟报文；终端按台架文件声明的间隔重发冲正
  （terminal.timing.reversalRetryMs，默认为其应答超时）。

  背景:
    假如卡"alice"余额为500.00元
  @severity:critical @req:signal-display @req:timeout-outcome @req:reversal-reported @req:reversal-fields @req:pending-reversal
  场景: 第一笔冲正未到达主机，终端重发直到主机确认
    假如主机的下一笔应答丢失
    而且终端的下一笔冲正未到达主机
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易超时"
    而且交易超时
    而且终端冲正该交易，原因码"98"
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账
  @severity:critical @req:timeout-outcome @req:pending-reversal
  场景: 主机对第一笔冲正的应答丢失，终端重发直到收到应答
    假如主机的下一笔应答丢失
    而且主机对终端下一笔冲正的应答丢失
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么交易超时
    而且终端冲正该交易，原因码"98"
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账

  @needs-printer @severity:critical @req:reversal-before-next-request @req:timeout-outcome @req:pending-reversal @req:approved-not-posted @req:net-effect
  场景: 下一笔消费开始时仍欠冲正，先送达冲正，再批准消费
    假如主机的下一笔应答丢失
    而且主机对终端下一笔冲正的应答丢失
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么交易超时
    而且终端向主机发送冲正
    当商户发起消费30.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端先送达所欠的冲正，再发送本笔请求
    而且交易成功完成
    而且终端打印持卡人存根，金额30.00元
    而且卡"alice"被扣款30.00元
    而且商户入账30.00元
  @severity:critical @req:signal-display @req:reversal-before-next-request @req:pending-reversal
  场景: 冲正始终无法送达，下一笔消费不发送请求，资金不变动
    假如主机的下一笔应答丢失
    而且网络恢复前冲正均无法到达主机
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么交易超时
    当商户发起消费30.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"冲正未完成"
    而且交易失败
    而且本笔交易的请求未发往主机
    而且终端不打印凭证
    当网络恢复
    那么卡"alice"未被扣款
    而且商户未入账
  @severity:critical @req:signal-display @req:response-matches-request @req:outcome-agree
  场景大纲: 主机应答的<字段>与请求不符，终端不予采信并冲正
    假如主机的下一笔应答<字段>与请求不符
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"应答报文错误"
    而且交易失败
    而且终端不显示"交易成功"
    而且终端不打印凭证
    而且终端冲正该交易，原因码"96"
    而且卡"alice"未被扣款
    而且商户未入账

    例子:
      | 字段     |
      | 金额     |
      | 流水号   |
      | 终端编号 |
  @severity:critical @req:signal-display @req:late-response-discarded @req:timeout-outcome
  场景: 应答在终端应答超时后才到达，冲正照常进行，迟到的应答不改变结果
    假如主机的下一笔应答在终端应答超时后才到达
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易超时"
    而且交易超时
    而且终端不显示"交易成功"
    而且终端冲正该交易，原因码"98"
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账
