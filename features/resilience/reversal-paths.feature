@needs-bank-control @needs-swipe @needs-pin @needs-faults @area:resilience @req:signal-receipt @req:signal-balances @req:failed-not-zero
Feature: Reversal paths
  A reversal goes out until the host answers it, before the next sale's request, and for every answer the
  terminal cannot trust. The fault proxy loses, alters or holds back messages on protocol events (the next
  0400, the host's 0410, the host's 0210); the terminal retries a reversal as often as its rig declares
  (terminal.timing.reversalRetryMs, by default its response timeout).

  Background:
    Given the card "alice" holds 500.00 CNY
  @severity:critical @req:signal-display @req:timeout-outcome @req:reversal-reported @req:reversal-fields @req:pending-reversal
  Scenario: The first reversal never reaches the host: the terminal sends it again until the host confirms
    Given the host's next response is lost
    And the terminal's next reversal does not reach the host
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易超时"
    And the transaction times out
    And the terminal reverses the transaction with reason code "98"
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited
  @severity:critical @req:timeout-outcome @req:pending-reversal
  Scenario: The host's answer to the first reversal is lost: the terminal sends it again until the answer arrives
    Given the host's next response is lost
    And the host's answer to the terminal's next reversal is lost
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the transaction times out
    And the terminal reverses the transaction with reason code "98"
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited

  @needs-printer @severity:critical @req:reversal-before-next-request @req:timeout-outcome @req:pending-reversal @req:approved-not-posted @req:net-effect
  Scenario: A reversal still owed when the next sale starts goes out first, then the sale is approved
    Given the host's next response is lost
    And the host's answer to the terminal's next reversal is lost
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the transaction times out
    And the terminal sends the reversal to the host
    When the merchant starts a sale of 30.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal delivers the owed reversal before the sale's request
    And the transaction is approved
    And the terminal prints a cardholder receipt for 30.00 CNY
    And the card "alice" is debited 30.00 CNY
    And the merchant is credited 30.00 CNY
  @severity:critical @req:signal-display @req:reversal-before-next-request @req:pending-reversal
  Scenario: A reversal the host never gets holds the next sale back: no request, no money moves
    Given the host's next response is lost
    And no reversal reaches the host until the network recovers
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the transaction times out
    When the merchant starts a sale of 30.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "冲正未完成"
    And the transaction fails
    And the sale's request does not reach the host
    And no receipt is printed
    When the network recovers
    Then the card "alice" is not charged
    And the merchant is not credited
  @severity:critical @req:signal-display @req:response-matches-request @req:outcome-agree
  Scenario Outline: The host's answer carries another <field>: the terminal does not trust it and reverses
    Given the host's next response carries another <field>
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "应答报文错误"
    And the transaction fails
    And the terminal does not show "交易成功"
    And no receipt is printed
    And the terminal reverses the transaction with reason code "96"
    And the card "alice" is not charged
    And the merchant is not credited

    Examples:
      | field       |
      | amount      |
      | STAN        |
      | terminal ID |
  @severity:critical @req:signal-display @req:late-response-discarded @req:timeout-outcome
  Scenario: The host's answer comes just after the response timeout: the reversal stands, the late answer changes nothing
    Given the host's next response comes just after the terminal's response timeout
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易超时"
    And the transaction times out
    And the terminal does not show "交易成功"
    And the terminal reverses the transaction with reason code "98"
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited
