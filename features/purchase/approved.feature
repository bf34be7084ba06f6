@needs-bank-control @needs-printer @needs-voice @area:purchase @req:signal-display @req:signal-voice @req:signal-receipt @req:signal-balances @req:approval-after-host @req:outcome-agree @req:approved-not-posted @req:net-effect
Feature: Approved purchase
  A cardholder pays at the till. The payment succeeded only when all four signals agree:
  the display, the receipt, the voice prompt and the bank's balances.

  Background:
    Given the card "alice" holds 500.00 CNY

  @needs-swipe @needs-pin @severity:blocker @req:merchant-copy-first @req:one-result @req:result-last
  Scenario: Swiped card with PIN is approved
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal says "交易成功"
    And the terminal prints a merchant receipt for 100.00 CNY
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the transaction is approved
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY

  @needs-chip @needs-pin @severity:blocker
  Scenario: Chip card with PIN is approved
    When the merchant starts a sale of 88.80 CNY
    And the cardholder inserts the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal says "交易成功"
    And the terminal prints a cardholder receipt for 88.80 CNY
    And the card "alice" is debited 88.80 CNY
    And the merchant is credited 88.80 CNY

  @needs-contactless @severity:critical
  Scenario: Contactless tap under the no-PIN limit is approved without a PIN
    Given the terminal's no-PIN limit is at least 25.50 CNY
    When the merchant starts a sale of 25.50 CNY
    And the cardholder taps the card "alice"
    Then the terminal shows "交易成功"
    And the terminal says "交易成功"
    And the terminal prints a cardholder receipt for 25.50 CNY
    And the card "alice" is debited 25.50 CNY
    And the merchant is credited 25.50 CNY
