// The simulated bank's ledger in SQLite: card and merchant accounts, a journal of every request (declines too),
// and double-entry postings. Every money-moving call runs in one SQL transaction: it all happens or none of it.
//   const ledger = Ledger.open(':memory:');
//   ledger.seed(cards, [{ mid: '104110045110012', name: 'Shop', currency: 'CNY' }]);
//   ledger.cardBalance('alice') → { minor: 50000, currency: 'CNY' }
// Money conservation: totalMoney(currency) over card + merchant accounts only changes through 'adjustment'
// journal entries (setCardBalance), whose amount is the signed change; purchases and reversals move money.

import Database from 'better-sqlite3';
import type { Money } from '../../protocols/domain/money.ts';
import { maskPan } from '../../protocols/domain/pan.ts';
import {
  type Authorization,
  authorizePurchaseIn,
  type CardRequest,
  inquireBalanceIn,
  type PurchaseRequest,
} from './authorization.ts';
import type { HostDefect } from './hostPolicy.ts';
import { LEDGER_SCHEMA } from './ledgerSchema.ts';
import { type CardAccountSeed, type MerchantSeed, seedIn, validateSeeds } from './ledgerSeed.ts';
import { type AccountRow, type JournalKind, type JournalRow, LedgerError, LedgerStore } from './ledgerStore.ts';
import { type ReversalOutcome, type ReversalRequest, reverseIn } from './reversal.ts';

export interface JournalEntry {
  id: number;
  at: string;
  kind: JournalKind;
  tid: string | null;
  stan: string | null;
  transmission: string | null;
  mti: string | null;
  responseCode: string;
  amount: Money; // adjustments: the signed change of the card balance
  cardAlias: string | null;
  maskedPan: string | null;
  mid: string | null;
  rrn: string | null;
  authCode: string | null;
  reverses: number | null; // journal id of the original
  posted: boolean; // true when this entry moved money
}

/** One side of a double-entry posting; amount is negative when money left the account. */
export interface Posting {
  journalId: number;
  account: string; // 'card:alice', 'merchant:104110045110012', 'system:adjustments:CNY'
  amount: Money;
}

/** A 0200 already answered: its journal id and the response as recorded. */
export interface AnsweredRequest {
  journalId: number;
  response: string | null;
}

export class Ledger {
  private readonly store: LedgerStore;
  /** Response codes the issuer will answer the next purchases with, in order (a test instruction; not stored). */
  private readonly scriptedDeclines: string[] = [];

  private constructor(db: Database.Database) {
    this.store = new LedgerStore(db);
  }

  /** Opens (creating if needed) a ledger at a file path (WAL journal) or ':memory:'. */
  static open(path: string): Ledger {
    const db = new Database(path);
    if (path !== ':memory:' && path !== '') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.exec(LEDGER_SCHEMA);
    return new Ledger(db);
  }

  /** (Re)creates the accounts at their seed balances; clears the journal. Idempotent. */
  seed(cards: CardAccountSeed[], merchants: MerchantSeed[]): void {
    validateSeeds(cards, merchants);
    this.store.db.transaction(() => seedIn(this.store, cards, merchants))();
  }

  /** Back to the seeded state: seed balances, empty journal, PIN try counters at 0. */
  reset(): void {
    this.scriptedDeclines.length = 0;
    this.store.db.transaction(() => {
      this.store.db.exec(
        `DELETE FROM postings; DELETE FROM journal;
         UPDATE accounts SET balance_minor = seed_balance_minor, pin_tries = 0;`,
      );
    })();
  }

  /** Sets a card's balance, journalled as an 'adjustment' balanced against the bank's system account. */
  setCardBalance(alias: string, balance: Money): void {
    this.store.db.transaction(() => {
      const card = this.store.requireAccount('card', alias);
      if (balance.currency !== card.currency) {
        throw new LedgerError(`card "${alias}" holds ${card.currency}, cannot set a balance in ${balance.currency}`);
      }
      if (!Number.isSafeInteger(balance.minor)) {
        throw new LedgerError(`card "${alias}": balance ${balance.minor} is not a whole number of minor units`);
      }
      const delta = balance.minor - card.balance_minor;
      const journalId = this.store.insertJournal({
        at: new Date(),
        kind: 'adjustment',
        responseCode: '00',
        amount: { minor: delta, currency: card.currency },
        cardAlias: alias,
        maskedPan: card.pan === null ? null : maskPan(card.pan),
        posted: delta !== 0,
      });
      if (delta === 0) return;
      const system = this.store.systemAccount(card.currency);
      const [from, to] = delta > 0 ? [system, card] : [card, system];
      this.store.transfer(journalId, from, to, { minor: Math.abs(delta), currency: card.currency });
    })();
  }

  /** A card's current balance; LedgerError for an unknown alias. */
  cardBalance(alias: string): Money {
    return balanceOf(this.store.requireAccount('card', alias));
  }

  /** A merchant's current balance; LedgerError for an unknown MID. */
  merchantBalance(mid: string): Money {
    return balanceOf(this.store.requireAccount('merchant', mid));
  }

  /** Sum of every card and merchant balance in a currency (system accounts excluded), in minor units. */
  totalMoney(currency: string): number {
    const row = this.store.db
      .prepare(
        `SELECT COALESCE(SUM(balance_minor), 0) AS total FROM accounts WHERE kind IN ('card', 'merchant') AND currency = ?`,
      )
      .get(currency) as { total: number };
    return row.total;
  }

  /** Every card and merchant balance, keyed 'card:<alias>' / 'merchant:<mid>' (system accounts left out), sorted. */
  balances(): Map<string, Money> {
    const rows = this.store.db
      .prepare(`SELECT * FROM accounts WHERE kind IN ('card', 'merchant') ORDER BY kind, ref`)
      .all() as AccountRow[];
    return new Map(rows.map((row) => [`${row.kind}:${row.ref}`, balanceOf(row)]));
  }

  /** Every journal entry, oldest first, declined attempts included. */
  journal(): JournalEntry[] {
    const rows = this.store.db.prepare('SELECT * FROM journal ORDER BY id').all() as JournalRow[];
    return rows.map(toEntry);
  }

  /** Every posting, in order. */
  postings(): Posting[] {
    const rows = this.store.db
      .prepare(
        `SELECT p.journal_id, a.kind, a.ref, p.amount_minor, p.currency FROM postings p
         JOIN accounts a ON a.id = p.account_id ORDER BY p.id`,
      )
      .all() as { journal_id: number; kind: string; ref: string; amount_minor: number; currency: string }[];
    return rows.map((r) => ({
      journalId: r.journal_id,
      account: `${r.kind}:${r.ref}`,
      amount: { minor: r.amount_minor, currency: r.currency },
    }));
  }

  /** Double-entry audit: journal entries whose postings do not sum to zero, and balances that disagree with postings. */
  audit(): string[] {
    const db = this.store.db;
    const unbalanced = db
      .prepare('SELECT journal_id, SUM(amount_minor) AS net FROM postings GROUP BY journal_id HAVING net <> 0')
      .all() as { journal_id: number; net: number }[];
    const drifted = db
      .prepare(
        `SELECT a.kind, a.ref, a.balance_minor, a.seed_balance_minor + COALESCE(SUM(p.amount_minor), 0) AS expected
         FROM accounts a LEFT JOIN postings p ON p.account_id = a.id GROUP BY a.id HAVING a.balance_minor <> expected`,
      )
      .all() as { kind: string; ref: string; balance_minor: number; expected: number }[];
    return [
      ...unbalanced.map((u) => `journal ${u.journal_id}: postings sum to ${u.net}, not 0`),
      ...drifted.map((d) => `${d.kind} "${d.ref}": balance ${d.balance_minor}, postings say ${d.expected}`),
    ];
  }

  /** The card holding this PAN, with its PIN try counter. */
  findCardByPan(pan: string): (CardAccountSeed & { pinTries: number }) | undefined {
    const row = this.store.cardByPan(pan);
    if (!row) return undefined;
    return {
      alias: row.ref,
      pan,
      expiry: row.expiry ?? '',
      pin: row.pin ?? '',
      balance: balanceOf(row),
      status: row.status ?? 'active',
      pinTries: row.pin_tries,
    };
  }

  /** Decides, journals and (if approved) posts a purchase in one transaction; `defects` only for seeded host defects. */
  authorizePurchase(request: PurchaseRequest, defects: readonly HostDefect[] = []): Authorization {
    const scripted = this.scriptedDeclines.shift();
    return this.store.db.transaction(() => authorizePurchaseIn(this.store, request, defects, scripted))();
  }

  /** The issuer declines the next purchase with this response code, whatever the card: nothing is posted. */
  declineNextPurchase(responseCode: string): void {
    if (!/^\d\d$/.test(responseCode) || responseCode === '00') {
      throw new LedgerError(
        `declineNextPurchase: "${responseCode}" is not a decline response code (two digits, not 00)`,
      );
    }
    this.scriptedDeclines.push(responseCode);
  }

  /** Decides and journals a balance inquiry in one transaction. */
  inquireBalance(request: CardRequest): Authorization {
    return this.store.db.transaction(() => inquireBalanceIn(this.store, request))();
  }

  /** Reverses an original at most once, in one transaction; unknown originals are journalled as 25. */
  reverse(request: ReversalRequest, defects: readonly HostDefect[] = []): ReversalOutcome {
    return this.store.db.transaction(() => reverseIn(this.store, request, defects))();
  }

  /** The first journal entry for a request key (MTI + TID + STAN + DE7) and its recorded response, if seen before. */
  findRequest(mti: string, tid: string, stan: string, transmission: string): AnsweredRequest | undefined {
    const row = this.store.requestRow(mti, tid, stan, transmission);
    return row ? { journalId: row.id, response: row.response } : undefined;
  }

  /** Records the response sent for a journal entry, so a duplicate request can be answered identically. */
  recordResponse(journalId: number, response: string): void {
    this.store.db.prepare('UPDATE journal SET response = ? WHERE id = ?').run(response, journalId);
  }

  /** Closes the database. */
  close(): void {
    if (this.store.db.open) this.store.db.close();
  }
}

function balanceOf(row: AccountRow): Money {
  return { minor: row.balance_minor, currency: row.currency };
}

function toEntry(row: JournalRow): JournalEntry {
  return {
    id: row.id,
    at: row.at,
    kind: row.kind,
    tid: row.tid,
    stan: row.stan,
    transmission: row.transmission,
    mti: row.mti,
    responseCode: row.response_code,
    amount: { minor: row.amount_minor, currency: row.currency },
    cardAlias: row.card_alias,
    maskedPan: row.masked_pan,
    mid: row.mid,
    rrn: row.rrn,
    authCode: row.auth_code,
    reverses: row.reverses,
    posted: row.posted === 1,
  };
}

export type { CardAccountSeed, MerchantSeed } from './ledgerSeed.ts';
export { LedgerError } from './ledgerStore.ts';
