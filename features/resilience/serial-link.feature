@needs-serial-link @needs-bank-control @needs-swipe @needs-pin @needs-printer @area:resilience @severity:critical @req:signal-display @req:signal-receipt @req:signal-balances @req:approved-not-posted @req:net-effect
Feature: Faults on the serial link between the cash register and the terminal
  Whatever the serial line does to a frame, the payment goes through exactly once. posrig injects each fault on
  its own side of the link, on the next frame: a lost ACK makes the terminal send its frame again (same SEQ and
  payload), a damaged or cut-short command must be NAKed and is sent again intact, a command that arrives twice is
  ACKed twice and acted on once, and noise on the line is ignored, never NAKed (docs/protocol.md sections 4 and 5).

  Background:
    Given the card "alice" holds 500.00 CNY
  @req:link-retransmit
  Scenario: The ACK of the terminal's message is lost: the terminal sends it again, and it counts once
    Given the ACK of the terminal's next message is lost
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal prints a merchant receipt for 100.00 CNY
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the transaction is approved
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY
  @req:link-nak
  Scenario: The sale reaches the terminal damaged: the terminal NAKs it and takes the intact copy
    Given the next command reaches the terminal damaged
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal prints a merchant receipt for 100.00 CNY
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the transaction is approved
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY
  @req:link-duplicate
  Scenario: The sale reaches the terminal twice: one sale, charged once
    Given the next command reaches the terminal twice
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal prints a merchant receipt for 100.00 CNY
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the transaction is approved
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY
  @req:link-noise
  Scenario: Noise on the line before the card is read: the terminal ignores it
    When the merchant starts a sale of 100.00 CNY
    And noise reaches the terminal before the next command
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal prints a merchant receipt for 100.00 CNY
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the transaction is approved
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY
  @req:link-nak
  Scenario: The PIN reaches the terminal cut short: the terminal NAKs it and takes the whole copy
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the next command reaches the terminal cut short
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal prints a merchant receipt for 100.00 CNY
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the transaction is approved
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY
