@needs-bank-control @needs-swipe @needs-pin @needs-printer @area:receipts @req:signal-receipt @req:signal-balances @req:copy-once @req:reprint-moved-money @req:approved-not-posted
Feature: Receipts, paper and reprints
  A receipt that could not be printed is printed once there is paper, marked as a reprint.
  A reprint never touches money.

  Background:
    Given the card "alice" holds 500.00 CNY
  @severity:critical @req:signal-display
  Scenario: Paper runs out after the merchant copy; the cardholder copy comes out marked once paper is loaded
    Given the printer runs out of paper after the first copy
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "打印机缺纸"
    And the terminal prints a merchant receipt for 100.00 CNY
    And the transaction is approved
    When the merchant loads paper
    Then the terminal prints a cardholder receipt marked "重打印凭证" for 100.00 CNY
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY

  @needs-voice @severity:critical @req:signal-display @req:signal-voice
  Scenario: No paper from the start; both copies come out marked once paper is loaded
    Given the printer is out of paper
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "打印机缺纸"
    And the terminal says "打印机缺纸"
    And the transaction is approved
    When the merchant loads paper
    Then the terminal prints a merchant receipt marked "重打印凭证" for 100.00 CNY
    And the terminal prints a cardholder receipt marked "重打印凭证" for 100.00 CNY
    And the cardholder receipt shows "金额: ¥100.00"
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY
  @severity:normal
  Scenario: The merchant asks for a reprint of the last receipt
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal prints a cardholder receipt for 100.00 CNY
    When the merchant asks for a reprint of the last receipt
    Then the terminal prints a cardholder receipt marked "重打印凭证" for 100.00 CNY
    And the cardholder receipt shows "622848*********0018"
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY

  @severity:critical @req:reprint-last-receipt @req:outcome-agree
  Scenario: A reprint after a declined sale repeats the last approved receipt, not the declined sale
    Given the card "bob" holds 20.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal prints a cardholder receipt for 100.00 CNY
    When the merchant starts a sale of 30.00 CNY
    And the cardholder swipes the card "bob"
    And the cardholder enters PIN "654321"
    Then the transaction is declined with response code "51"
    And no receipt is printed
    When the merchant asks for a reprint of the last receipt
    Then the terminal prints a cardholder receipt marked "重打印凭证" for 100.00 CNY
    And the cardholder receipt shows the card "alice" masked
    And the card "alice" is debited 100.00 CNY
    And the card "bob" is not charged
    And the merchant is credited 100.00 CNY
