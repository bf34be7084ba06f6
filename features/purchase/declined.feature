@needs-pin @area:purchase @req:signal-display @req:signal-receipt @req:signal-balances @req:outcome-agree @req:failed-not-zero
Feature: Declined purchase
  When the bank declines, the terminal says why, prints nothing, and no money moves.
  (posrig's simulated firmware prints no slip on a decline; a firmware that prints a declined slip
  fails "no receipt is printed" — write your own step if your terminal must print one.)

  @needs-bank-control @needs-swipe @needs-voice @severity:critical @req:signal-voice
  Scenario: Insufficient funds (51)
    Given the card "bob" holds 50.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "bob"
    And the cardholder enters PIN "654321"
    Then the terminal shows "余额不足"
    And the terminal says "交易失败"
    And the terminal does not show "交易成功"
    And the transaction is declined with response code "51"
    And no receipt is printed
    And the card "bob" is not charged
    And the card "bob" has a balance of 50.00 CNY
    And the merchant is not credited

  @needs-chip @severity:critical
  Scenario: Expired card (54)
    When the merchant starts a sale of 10.00 CNY
    And the cardholder inserts the card "carol"
    And the cardholder enters PIN "111111"
    Then the terminal shows "卡已过期"
    And the transaction is declined with response code "54"
    And no receipt is printed
    And the card "carol" is not charged
    And the merchant is not credited
