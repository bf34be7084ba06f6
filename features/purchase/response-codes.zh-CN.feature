# language: zh-CN
@needs-bank-control @needs-swipe @needs-pin @needs-voice @area:purchase @severity:critical @req:signal-display @req:signal-voice @req:signal-receipt @req:signal-balances @req:outcome-agree @req:failed-not-zero
功能: 每种拒绝都显示原因，且不入账
  银行按指定应答码拒绝下一笔消费；终端必须显示正确的提示，不打印凭证，资金不变动。

  场景大纲: 银行以应答码<code>拒绝
    假如卡"alice"余额为500.00元
    而且银行以应答码"<code>"拒绝下一笔消费
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"<display>"
    而且终端播报"交易失败"
    而且交易被拒绝，应答码"<code>"
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账

    例子:
      | code | display      |
      | 05   | 交易被拒绝   |
      | 14   | 无效卡       |
      | 51   | 余额不足     |
      | 54   | 卡已过期     |
      | 61   | 超出金额限制 |
      | 91   | 发卡行不可用 |
      | 96   | 系统故障     |
