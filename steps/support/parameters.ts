// Parameter types shared by English and Chinese steps: {money} reads "100.00 CNY", "100.00元" or "¥100.00".

import { defineParameterType } from '@cucumber/cucumber';
import { type Money, parseMoney } from '../../protocols/domain/money.ts';

defineParameterType({
  name: 'money',
  regexp: /\d+(?:\.\d+)? [A-Z]{3}|\d+(?:\.\d+)?\s?元|[¥￥]\s?\d+(?:\.\d+)?/,
  transformer: (text: string): Money => parseMoney(text),
});
