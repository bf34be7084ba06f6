# language: zh-CN
@needs-bank-control @needs-pin @needs-faults @area:resilience @req:signal-display @req:signal-balances
功能: 终端与主机之间的网络故障
  无论网络发生什么，一笔交易要么只成功一次，要么完全不成功。故障代理按协议事件触发故障。
  终端等待主机应答的时长以台架文件声明为准（terminal.timing.responseTimeoutMs），以下延迟与时限均由其推算。

  背景:
    假如卡"alice"余额为500.00元

  @needs-swipe @needs-voice @severity:critical @req:signal-voice @req:signal-receipt @req:outcome-agree @req:failed-not-zero
  场景: 请求到达主机前网络断开
    假如网络在下一笔请求到达主机前断开
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易失败"
    而且终端播报"交易失败"
    而且交易结束
    而且终端不显示"交易成功"
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账

  @needs-swipe @severity:blocker @req:signal-receipt @req:timeout-outcome @req:reversal-fields @req:reversal-reported @req:pending-reversal @req:failed-not-zero
  场景: 主机批准后应答丢失，终端冲正
    假如主机的下一笔应答丢失
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易失败"
    而且终端冲正该交易
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账

  @needs-swipe @needs-printer @severity:normal @req:signal-receipt @req:approval-after-host @req:approved-not-posted
  场景: 应答在超时前到达，交易成功
    假如主机的下一笔应答在终端应答超时前到达
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易成功"，用时不超过终端应答超时
    而且终端打印持卡人存根，金额100.00元
    而且卡"alice"被扣款100.00元
    而且商户入账100.00元

  @needs-swipe @severity:critical @req:signal-receipt @req:late-response-discarded @req:timeout-outcome @req:failed-not-zero
  场景: 应答在超时后到达，终端冲正并丢弃迟到的应答
    假如主机的下一笔应答在终端应答超时后才到达
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易失败"，用时不超过终端应答超时
    而且终端不显示"交易成功"
    而且终端冲正该交易
    而且终端不打印凭证
    而且卡"alice"未被扣款
    而且商户未入账

  @needs-chip @severity:critical @req:outcome-agree @req:reversal-fields @req:failed-not-zero
  场景: 应答报文损坏，终端冲正
    假如主机的下一笔应答报文损坏
    当商户发起消费100.00元
    而且持卡人插卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易失败"
    而且终端冲正该交易
    而且卡"alice"未被扣款

  @needs-swipe @needs-printer @needs-backup-host @severity:normal @req:signal-receipt @req:approved-not-posted
  场景: 主主机宕机，终端切换到备用主机
    假如主主机拒绝连接
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易成功"
    而且终端打印持卡人存根，金额100.00元
    而且卡"alice"被扣款100.00元
    而且商户入账100.00元

  @needs-swipe @needs-printer @severity:blocker @req:signal-receipt @req:net-effect @req:approved-not-posted
  场景: 请求重复到达主机，只扣款一次
    假如终端的下一笔请求重复到达主机
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易成功"
    而且终端打印持卡人存根，金额100.00元
    而且卡"alice"被扣款100.00元
    而且商户入账100.00元
