Feature: Power cut
  A terminal that loses power while waiting for the host must, on power-up, deliver the reversal it
  stored before sending the request — so the cardholder is not charged for a sale that never finished.

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
