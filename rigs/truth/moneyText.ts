// Money as the invariant's findings print it: "100.00 CNY", signed "+100.00 CNY" for changes.
// Never throws: a currency posrig does not know prints its minor units, e.g. "10000 (minor) XTS".

import { formatMoney, type Money } from '../../protocols/domain/money.ts';

/** "100.00 CNY"; "-100.00 CNY" when negative. */
export function moneyText(money: Money): string {
  try {
    return formatMoney(money);
  } catch {
    return `${money.minor} (minor) ${money.currency}`;
  }
}

/** A change: "+100.00 CNY", "-100.00 CNY", "0.00 CNY". */
export function changeText(money: Money): string {
  return `${money.minor > 0 ? '+' : ''}${moneyText(money)}`;
}
