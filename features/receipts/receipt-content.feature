@needs-bank-control @needs-printer @area:receipts @severity:critical @req:signal-display @req:signal-receipt @req:pan-masked
Feature: What a receipt prints
  Both copies of an approved sale print the amount, the date and time, the merchant and terminal numbers and
  the card number masked to its first 6 and last 4 digits; each copy's print event names the copy. Lines are
  judged by what they mean, not by this or any terminal's labels and layout.

  Background:
    Given the card "alice" holds 500.00 CNY

  @needs-swipe @needs-pin @req:merchant-copy-first
  Scenario: The copies of a swiped sale
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功" within 5 s
    And the transaction is approved
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the cardholder receipt shows the amount 100.00 CNY
    And the cardholder receipt shows the card "alice" masked
    And the cardholder receipt shows this terminal's ID and merchant ID
    And the cardholder receipt shows the transaction time
    And the terminal prints a merchant receipt for 100.00 CNY
    And the merchant receipt shows the amount 100.00 CNY
    And the merchant receipt shows the card "alice" masked
    And the merchant receipt shows this terminal's ID and merchant ID
    And the merchant receipt shows the transaction time

  @needs-contactless
  Scenario: A tapped card's copy
    Given the terminal's no-PIN limit is at least 25.50 CNY
    When the merchant starts a sale of 25.50 CNY
    And the cardholder taps the card "visa"
    Then the terminal shows "交易成功" within 5 s
    And the terminal prints a cardholder receipt for 25.50 CNY
    And the cardholder receipt shows the card "visa" masked
    And the cardholder receipt shows the amount 25.50 CNY
