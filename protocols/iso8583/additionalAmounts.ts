// DE54 "Additional amounts", both ways: up to six 20-character blocks, each account type (2) + amount type (2; '01'
// ledger balance, '02' available balance) + currency (3, ISO 4217 numeric) + sign ('C' credit, 'D' debit) + amount
// (12 digits, minor units). The acquirer simulator writes it in a balance inquiry's answer; the bank probe reads it.
//   availableBalanceAmounts({ minor: 50000, currency: 'CNY' }) → '1002156C000000050000'
//   availableBalance('1002156C000000050000') → { minor: 50000, currency: 'CNY' }

import { CURRENCIES, currencyFromNumeric, type Money } from '../domain/money.ts';

export interface AdditionalAmount {
  readonly accountType: string;
  readonly amountType: string;
  readonly amount: Money; // signed: a 'D' amount is negative
}

const BLOCK = 20;

/** A DE54 that is not the standard layout; the message names the offset and what is wrong. */
export class AdditionalAmountsError extends Error {
  override name = 'AdditionalAmountsError';
}

/** The DE54 value of the blocks, in order (a currency posrig does not know is written as numeric 000). */
export function formatAdditionalAmounts(amounts: readonly AdditionalAmount[]): string {
  return amounts
    .map(({ accountType, amountType, amount: { minor, currency } }) => {
      const numeric = CURRENCIES[currency]?.numeric ?? '000';
      return `${accountType}${amountType}${numeric}${minor < 0 ? 'D' : 'C'}${String(Math.abs(minor)).padStart(12, '0')}`;
    })
    .join('');
}

/** DE54 carrying one available balance (account type 10, amount type 02), as a balance inquiry's answer does. */
export function availableBalanceAmounts(balance: Money): string {
  return formatAdditionalAmounts([{ accountType: '10', amountType: '02', amount: balance }]);
}

/** Every block of a DE54 value; AdditionalAmountsError naming the offset of the first that is not the layout. */
export function parseAdditionalAmounts(de54: string): AdditionalAmount[] {
  if (de54.length === 0 || de54.length % BLOCK !== 0) {
    throw new AdditionalAmountsError(
      `DE54 is ${de54.length} characters, not a whole number of ${BLOCK}-character blocks`,
    );
  }
  const amounts: AdditionalAmount[] = [];
  for (let offset = 0; offset < de54.length; offset += BLOCK) {
    const block = de54.slice(offset, offset + BLOCK);
    const match = /^(\d\d)(\d\d)(\d{3})([CD])(\d{12})$/.exec(block);
    if (!match) {
      throw new AdditionalAmountsError(
        `DE54 at offset ${offset}: "${block}" is not account type (2 digits), amount type (2), currency (3), C or D, amount (12)`,
      );
    }
    const [, accountType = '', amountType = '', numeric = '', sign, digits = ''] = match;
    let currency: string;
    try {
      currency = currencyFromNumeric(numeric);
    } catch {
      throw new AdditionalAmountsError(`DE54 at offset ${offset + 4}: currency "${numeric}" is not one posrig knows`);
    }
    const minor = sign === 'D' && Number(digits) !== 0 ? -Number(digits) : Number(digits); // a debit of 0 is 0, not -0
    amounts.push({ accountType, amountType, amount: { minor, currency } });
  }
  return amounts;
}

/** The available balance (amount type 02) in a DE54 value; AdditionalAmountsError when it is not there. */
export function availableBalance(de54: string): Money {
  const available = parseAdditionalAmounts(de54).find((a) => a.amountType === '02');
  if (!available) throw new AdditionalAmountsError('DE54 carries no available balance (amount type 02)');
  return available.amount;
}
