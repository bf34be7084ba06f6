// Seeding the simulated bank: card and merchant accounts, validated before anything is written.
//   seedIn(store, [{ alias: 'alice', pan: '6228480402564890018', expiry: '3012', pin: '123456',
//     balance: { minor: 50000, currency: 'CNY' }, status: 'active' }], [{ mid: '104110045110012', name: 'Shop', currency: 'CNY' }])

import { currencyInfo, type Money } from '../../protocols/domain/money.ts';
import { type CardStatus, LedgerError, type LedgerStore } from './ledgerStore.ts';

export interface CardAccountSeed {
  alias: string;
  pan: string;
  expiry: string; // YYMM
  pin: string;
  balance: Money;
  status: CardStatus;
}

export interface MerchantSeed {
  mid: string;
  name: string;
  currency: string;
}

const STATUSES: readonly CardStatus[] = ['active', 'lost', 'stolen', 'blocked'];

/** Throws a LedgerError naming the first bad seed field (e.g. 'cards[1].expiry'). */
export function validateSeeds(cards: readonly CardAccountSeed[], merchants: readonly MerchantSeed[]): void {
  const aliases = new Set<string>();
  const pans = new Set<string>();
  cards.forEach((card, i) => {
    const at = `cards[${i}]`;
    if (!card.alias) throw new LedgerError(`${at}.alias: empty`);
    if (aliases.has(card.alias)) throw new LedgerError(`${at}.alias: "${card.alias}" appears twice`);
    if (!/^\d{12,19}$/.test(card.pan)) throw new LedgerError(`${at}.pan (${card.alias}): must be 12–19 digits`);
    if (pans.has(card.pan)) throw new LedgerError(`${at}.pan (${card.alias}): PAN appears twice`);
    if (!/^\d{2}(0[1-9]|1[0-2])$/.test(card.expiry)) {
      throw new LedgerError(`${at}.expiry (${card.alias}): "${card.expiry}" is not YYMM`);
    }
    if (!/^\d{4,12}$/.test(card.pin)) throw new LedgerError(`${at}.pin (${card.alias}): must be 4–12 digits`);
    if (!Number.isSafeInteger(card.balance.minor)) {
      throw new LedgerError(
        `${at}.balance (${card.alias}): ${card.balance.minor} is not a whole number of minor units`,
      );
    }
    checkCurrency(card.balance.currency, `${at}.balance.currency`);
    if (!STATUSES.includes(card.status)) {
      throw new LedgerError(`${at}.status (${card.alias}): "${card.status}" is not one of ${STATUSES.join(', ')}`);
    }
    aliases.add(card.alias);
    pans.add(card.pan);
  });
  const mids = new Set<string>();
  merchants.forEach((merchant, i) => {
    const at = `merchants[${i}]`;
    if (!merchant.mid || merchant.mid.length > 15) throw new LedgerError(`${at}.mid: must be 1–15 characters`);
    if (mids.has(merchant.mid)) throw new LedgerError(`${at}.mid: "${merchant.mid}" appears twice`);
    checkCurrency(merchant.currency, `${at}.currency`);
    mids.add(merchant.mid);
  });
}

function checkCurrency(code: string, at: string): void {
  try {
    currencyInfo(code);
  } catch (error) {
    throw new LedgerError(`${at}: ${(error as Error).message}`);
  }
}

/** Replaces every account, journal entry and posting with the seeds. Run inside a transaction. */
export function seedIn(
  store: LedgerStore,
  cards: readonly CardAccountSeed[],
  merchants: readonly MerchantSeed[],
): void {
  store.replaceAccounts(cards, merchants);
}
