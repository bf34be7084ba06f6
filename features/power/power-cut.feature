@needs-bank-control @needs-swipe @needs-pin @needs-power @needs-faults @area:power @severity:critical @req:signal-balances @req:power-up-order @req:stan-new @req:pending-reversal @req:failed-not-zero
Feature: Power cut
  A terminal that loses power while waiting for the host must, on power-up, deliver the reversal it
  stored before sending the request — so the cardholder is not charged for a sale that never finished.
  @req:power-cut-reversal
  Scenario: Power cut while online: the stored reversal goes out on power-up
    Given the card "alice" holds 500.00 CNY
    And the power will be cut while the terminal waits for the host
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    And the power comes back
    Then the terminal reverses the transaction
    And the card "alice" is not charged
    And the merchant is not credited
  @req:signal-receipt @req:reversal-fields
  Scenario: Power cut while the reversal is out: it is delivered after the sign-on at power-up
    Given the card "alice" holds 500.00 CNY
    And the host's next response is lost
    And the power will be cut while the terminal sends its reversal
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    And the power comes back
    Then the terminal reverses the transaction with reason code "98"
    And the terminal signs on before it delivers the reversal
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited
  @req:power-cut-reversal @req:signal-receipt
  Scenario: Power cut as the request leaves, its reversal record stored: reversed at power-up with reason 06
    Given the card "alice" holds 500.00 CNY
    And the power will be cut as the terminal's request leaves for the host
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    And the power comes back
    Then the terminal reverses the transaction with reason code "06"
    And the terminal signs on before it delivers the reversal
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited

  @req:power-cut-reversal @req:signal-receipt
  Scenario: Power cut while the reversal of an unreadable answer is out: it goes out again at power-up
    Given the card "alice" holds 500.00 CNY
    And the host's next response is garbled
    And the power will be cut while the terminal sends its reversal
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    And the power comes back
    Then the terminal reverses the transaction with reason code "96"
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited
