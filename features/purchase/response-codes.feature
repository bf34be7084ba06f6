@needs-bank-control @needs-swipe @needs-pin @needs-voice @area:purchase @severity:critical @req:signal-display @req:signal-voice @req:signal-receipt @req:signal-balances @req:outcome-agree @req:failed-not-zero
Feature: Every decline shows its reason, and nothing is posted
  The bank is told to decline the next purchase with a response code; the terminal must show the
  right text, print nothing and move no money.

  Scenario Outline: The bank declines with response code <code>
    Given the card "alice" holds 500.00 CNY
    And the bank declines the next purchase with response code "<code>"
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "<display>"
    And the terminal says "交易失败"
    And the transaction is declined with response code "<code>"
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited

    Examples:
      | code | display      |
      | 05   | 交易被拒绝   |
      | 14   | 无效卡       |
      | 51   | 余额不足     |
      | 54   | 卡已过期     |
      | 61   | 超出金额限制 |
      | 91   | 发卡行不可用 |
      | 96   | 系统故障     |
