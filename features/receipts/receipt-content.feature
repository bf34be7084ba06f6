Feature: What a receipt prints
  Both copies of an approved sale print the amount, the date and time, the merchant and terminal numbers and
  the card number masked to its first 6 and last 4 digits; each copy names itself.

  Background:
    Given the card "alice" holds 500.00 CNY

  Scenario: The copies of a swiped sale
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功" within 5 s
    And the transaction is approved
    And the cardholder receipt shows "金额: ¥100.00"
    And the cardholder receipt shows "卡号: 622848*********0018"
    And the cardholder receipt shows "商户编号: 898310048160001"
    And the cardholder receipt shows this terminal's ID and merchant ID
    And the cardholder receipt shows the transaction time
    And the cardholder receipt shows "持卡人存根"
    And the merchant receipt shows "金额: ¥100.00"
    And the merchant receipt shows "卡号: 622848*********0018"
    And the merchant receipt shows this terminal's ID and merchant ID
    And the merchant receipt shows the transaction time
    And the merchant receipt shows "商户存根"

  Scenario: A tapped card's copy
    When the merchant starts a sale of 25.50 CNY
    And the cardholder taps the card "visa"
    Then the terminal shows "交易成功" within 5 s
    And the cardholder receipt shows "卡号: 411111******1111"
    And the cardholder receipt shows "刷卡方式: 挥卡"
    And the cardholder receipt shows "金额: ¥25.50"
