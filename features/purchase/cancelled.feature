@needs-bank-control @area:purchase @req:signal-display @req:signal-receipt @req:signal-balances @req:outcome-agree @req:failed-not-zero
Feature: Cancelled purchase
  The cardholder presses CANCEL, or the cash register aborts: the transaction ends "cancelled", nothing is
  printed and no money moves. A request already at the host is reversed.

  Background:
    Given the card "alice" holds 500.00 CNY

  @needs-swipe @needs-pin @severity:critical
  Scenario: The cardholder presses CANCEL instead of entering the PIN
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    Then the terminal shows "请输入密码"
    When the cardholder presses CANCEL
    Then the terminal shows "交易已取消"
    And the transaction is cancelled
    And the terminal does not show "交易成功"
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited
  @severity:normal
  Scenario: The merchant aborts while the terminal waits for the card
    When the merchant starts a sale of 100.00 CNY
    Then the terminal shows "请刷卡/插卡/挥卡"
    When the merchant aborts the transaction
    Then the transaction is cancelled
    And the terminal does not show "交易成功"
    And no receipt is printed
    And the card "alice" has a balance of 500.00 CNY
    And the merchant is not credited

  @needs-swipe @needs-pin @needs-faults @severity:critical @req:cancel-reversal @req:reversal-fields @req:reversal-reported @req:pending-reversal
  Scenario: The merchant aborts after the host approved: the terminal reverses
    Given the merchant will abort the transaction while the terminal waits for the host
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the transaction is cancelled
    And the terminal reverses the transaction with reason code "17"
    And the terminal does not show "交易成功"
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited
