# language: zh-CN
@needs-bank-control @needs-printer @needs-voice @area:purchase @req:signal-display @req:signal-voice @req:signal-receipt @req:signal-balances @req:approval-after-host @req:outcome-agree @req:approved-not-posted @req:net-effect
功能: 消费成功
  持卡人在收银台付款。只有屏幕显示、打印凭证、语音播报和银行余额四者一致，才算交易成功。

  背景:
    假如卡"alice"余额为500.00元

  @needs-swipe @needs-pin @severity:blocker @req:merchant-copy-first @req:one-result @req:result-last
  场景: 刷卡输密消费成功
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易成功"
    而且终端播报"交易成功"
    而且终端打印商户存根，金额100.00元
    而且终端打印持卡人存根，金额100.00元
    而且交易成功完成
    而且卡"alice"被扣款100.00元
    而且商户入账100.00元

  @needs-chip @needs-pin @severity:blocker
  场景: 插卡输密消费成功
    当商户发起消费88.80元
    而且持卡人插卡"alice"
    而且持卡人输入密码"123456"
    那么终端显示"交易成功"
    而且终端播报"交易成功"
    而且终端打印持卡人存根，金额88.80元
    而且卡"alice"被扣款88.80元
    而且商户入账88.80元

  @needs-contactless @severity:critical
  场景: 小额免密挥卡消费成功
    假如终端免密限额不低于25.50元
    当商户发起消费25.50元
    而且持卡人挥卡"alice"
    那么终端显示"交易成功"
    而且终端播报"交易成功"
    而且终端打印持卡人存根，金额25.50元
    而且卡"alice"被扣款25.50元
    而且商户入账25.50元
