// Money: an integer count of minor units plus an ISO 4217 currency. Never a float.
//   parseMoney('100.00 CNY') → { minor: 10000, currency: 'CNY' }
//   formatMoney({ minor: 10000, currency: 'CNY' }) → '100.00 CNY'
//   amountOn('金额: ¥1,100.00', parseMoney('1100.00 CNY')) → true   (on a printed line; 1100.00 is not 100.00)

export interface Money {
  readonly minor: number;
  readonly currency: string;
}

/** ISO 4217 alphabetic code → { numeric code, minor-unit exponent } for the currencies posrig knows. */
export const CURRENCIES: Readonly<Record<string, { numeric: string; exponent: number; symbol: string }>> = {
  CNY: { numeric: '156', exponent: 2, symbol: '¥' },
  USD: { numeric: '840', exponent: 2, symbol: '$' },
  EUR: { numeric: '978', exponent: 2, symbol: '€' },
  GBP: { numeric: '826', exponent: 2, symbol: '£' },
  HKD: { numeric: '344', exponent: 2, symbol: 'HK$' },
  JPY: { numeric: '392', exponent: 0, symbol: '¥' },
};

export class MoneyError extends Error {
  override name = 'MoneyError';
}

const CHINESE_YUAN = /^\s*(?:¥|￥)?\s*(\d+(?:\.\d+)?)\s*(?:元|CNY)\s*$|^\s*(?:¥|￥)\s*(\d+(?:\.\d+)?)\s*$/;
const WITH_CODE = /^\s*(\d+(?:\.\d+)?)\s*([A-Z]{3})\s*$/;

/** Parses "100.00 CNY", "100.00元" or "¥100.00" into Money; rejects more decimals than the currency has. */
export function parseMoney(text: string): Money {
  const yuan = CHINESE_YUAN.exec(text);
  const coded = yuan ? null : WITH_CODE.exec(text);
  const amount = yuan ? (yuan[1] ?? yuan[2]) : coded?.[1];
  const currency = yuan ? 'CNY' : coded?.[2];
  if (amount === undefined || currency === undefined) {
    throw new MoneyError(`"${text}" is not an amount: write it like "100.00 CNY", "100.00元" or "¥100.00"`);
  }
  return { minor: toMinor(amount, currency, text), currency };
}

function toMinor(amount: string, currency: string, text: string): number {
  const info = currencyInfo(currency);
  const [whole = '0', fraction = ''] = amount.split('.');
  if (fraction.length > info.exponent) {
    throw new MoneyError(`"${text}": ${currency} has ${info.exponent} decimal places, got ${fraction.length}`);
  }
  const minor = Number(whole) * 10 ** info.exponent + Number(fraction.padEnd(info.exponent, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`"${text}" is too large`);
  return minor;
}

/** Looks up a currency; unknown codes are an error naming the known ones. */
export function currencyInfo(currency: string): { numeric: string; exponent: number; symbol: string } {
  const info = CURRENCIES[currency];
  if (!info) {
    throw new MoneyError(`unknown currency "${currency}" (known: ${Object.keys(CURRENCIES).join(', ')})`);
  }
  return info;
}

/** The alphabetic code for an ISO 4217 numeric code (ISO 8583 DE49), e.g. '156' → 'CNY'. */
export function currencyFromNumeric(numeric: string): string {
  const found = Object.entries(CURRENCIES).find(([, info]) => info.numeric === numeric);
  if (!found) throw new MoneyError(`unknown ISO 4217 numeric currency "${numeric}"`);
  return found[0];
}

/** Formats Money as "100.00 CNY". */
export function formatMoney(money: Money): string {
  return `${formatAmount(money)} ${money.currency}`;
}

/** Formats Money as "¥100.00" (the style a receipt or display uses). */
export function formatMoneySymbol(money: Money): string {
  return `${currencyInfo(money.currency).symbol}${formatAmount(money)}`;
}

/** The decimal amount without a currency, e.g. "100.00". */
export function formatAmount(money: Money): string {
  const { exponent } = currencyInfo(money.currency);
  const sign = money.minor < 0 ? '-' : '';
  const digits = String(Math.abs(money.minor)).padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Money from minor units, checked to be a safe integer. */
export function money(minor: number, currency: string): Money {
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`amount ${minor} is not a whole number of minor units`);
  currencyInfo(currency);
  return { minor, currency };
}

/** True when both amounts have the same currency and minor units. */
export function sameMoney(a: Money, b: Money): boolean {
  return a.minor === b.minor && a.currency === b.currency;
}

/** The amount on a line in major units with its decimals ("100.00", grouped "1,100.00"), not inside a longer number
 * (1100.00 is not 100.00). */
export function amountOn(line: string, amount: Money): boolean {
  const [whole = '', fraction] = formatAmount(amount).split('.');
  const digits = whole.replace(/\B(?=(\d{3})+$)/g, ',?') + (fraction === undefined ? '' : `\\.${fraction}`);
  return new RegExp(`(?<![\\d.,])${digits}(?!\\d|[.,]\\d)`).test(line);
}
