@needs-bank-control @needs-pin @needs-faults @area:resilience @req:signal-display @req:signal-balances
Feature: Network faults between terminal and host
  Whatever the network does, a payment goes through once or not at all. The fault proxy between the
  terminal and the host triggers each fault on a protocol event (the next 0200, the host's 0210).
  The terminal waits for the host's answer as long as its rig declares (terminal.timing.responseTimeoutMs):
  the delays and bounds below are derived from it, so the same scenarios test a terminal with a 30 s timeout.

  Background:
    Given the card "alice" holds 500.00 CNY

  @needs-swipe @needs-voice @severity:critical @req:signal-voice @req:signal-receipt @req:outcome-agree @req:failed-not-zero
  Scenario: The network drops before the request reaches the host
    Given the network drops the next request to the host
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易失败"
    And the terminal says "交易失败"
    And the transaction completes
    And the terminal does not show "交易成功"
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited

  @needs-swipe @severity:blocker @req:signal-receipt @req:timeout-outcome @req:reversal-fields @req:reversal-reported @req:pending-reversal @req:failed-not-zero
  Scenario: The response is lost after the host approved: the terminal reverses
    Given the host's next response is lost
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易失败"
    And the terminal reverses the transaction
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited

  @needs-swipe @needs-printer @severity:normal @req:signal-receipt @req:approval-after-host @req:approved-not-posted
  Scenario: The response comes just under the timeout: approved
    Given the host's next response comes just before the terminal's response timeout
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功" within its response timeout
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY

  @needs-swipe @severity:critical @req:signal-receipt @req:late-response-discarded @req:timeout-outcome @req:failed-not-zero
  Scenario: The response comes just over the timeout: reversed, the late response discarded
    Given the host's next response comes just after the terminal's response timeout
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易失败" within its response timeout
    And the terminal does not show "交易成功"
    And the terminal reverses the transaction
    And no receipt is printed
    And the card "alice" is not charged
    And the merchant is not credited

  @needs-chip @severity:critical @req:outcome-agree @req:reversal-fields @req:failed-not-zero
  Scenario: A garbled response is not trusted: the terminal reverses
    Given the host's next response is garbled
    When the merchant starts a sale of 100.00 CNY
    And the cardholder inserts the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易失败"
    And the terminal reverses the transaction
    And the card "alice" is not charged

  @needs-swipe @needs-printer @needs-backup-host @severity:normal @req:signal-receipt @req:approved-not-posted
  Scenario: The primary host is down: the terminal fails over to the backup host
    Given the primary host refuses connections
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY

  @needs-swipe @needs-printer @severity:blocker @req:signal-receipt @req:net-effect @req:approved-not-posted
  Scenario: The request reaches the host twice: charged exactly once
    Given the terminal's next request reaches the host twice
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY
