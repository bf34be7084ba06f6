@needs-bank-control @needs-swipe @needs-pin @area:pin @severity:critical @req:signal-display @req:signal-receipt @req:signal-balances @req:wrong-pin-not-reversed
Feature: Wrong PIN
  A wrong PIN is asked for again; three wrong PINs lock the card at the bank, for the next sale too.

  Background:
    Given the card "alice" holds 500.00 CNY

  @needs-printer @req:stan-new @req:stan-reused @req:approved-not-posted
  Scenario: Wrong PIN, then the right PIN
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "000000"
    Then the terminal shows "密码错误，请重新输入"
    When the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY
  @req:pin-tries-exceeded @req:outcome-agree @req:failed-not-zero
  Scenario: Three wrong PINs lock the card, for the next sale too
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "000000"
    Then the terminal shows "密码错误，请重新输入"
    When the cardholder enters PIN "111111"
    Then the terminal shows "密码错误，请重新输入"
    When the cardholder enters PIN "222222"
    Then the terminal shows "密码错误次数超限"
    And the transaction is declined with response code "75"
    And no receipt is printed
    When the merchant starts a sale of 10.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "密码错误次数超限"
    And the transaction is declined with response code "75"
    And the card "alice" is not charged
    And the merchant is not credited

  @req:approved-not-posted @req:signal-balances
  Scenario: Wrong PINs before an approval do not count against the next sale
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "000000"
    Then the terminal shows "密码错误，请重新输入"
    When the cardholder enters PIN "111111"
    Then the terminal shows "密码错误，请重新输入"
    When the cardholder enters PIN "123456"
    Then the transaction is approved
    When the merchant starts a sale of 10.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "000000"
    Then the terminal shows "密码错误，请重新输入"
    When the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the transaction is approved
    And the card "alice" is debited 110.00 CNY
    And the merchant is credited 110.00 CNY
