// Parameter types shared by English and Chinese steps: {money} reads "100.00 CNY", "100.00元" or "¥100.00".

import { defineParameterType } from '@cucumber/cucumber';
import { type Money, parseMoney } from '../../protocols/domain/money.ts';
import { ScenarioError } from '../../rigs/verdict/culprit.ts';
import { withVerdict } from './verdicts.ts';

// A transformer runs outside the step (no definition wrapper): an amount it cannot read is worded here.
defineParameterType({
  name: 'money',
  regexp: /\d+(?:\.\d+)? [A-Z]{3}|\d+(?:\.\d+)?\s?元|[¥￥]\s?\d+(?:\.\d+)?/,
  transformer: (text: string): Money => {
    try {
      return parseMoney(text);
    } catch (error) {
      throw withVerdict(new ScenarioError(`amount "${text}": ${error instanceof Error ? error.message : error}`));
    }
  },
});
