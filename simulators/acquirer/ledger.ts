// The simulated bank's ledger in SQLite: card and merchant accounts, a journal of every request (declines too),
// and double-entry postings. Every money-moving call runs in one SQL transaction: it all happens or none of it.
//   const ledger = Ledger.open(':memory:');
//   ledger.seed(cards, [{ mid: '104110045110012', name: 'Shop', currency: 'CNY' }]);
//   ledger.cardBalance('alice') → { minor: 50000, currency: 'CNY' }
// Money conservation: totalMoney(currency) over card + merchant accounts only changes through 'adjustment'
// journal entries (setCardBalance), whose amount is the signed change; purchases and reversals move money.
// Everything lives in the database, test instructions (declineNextPurchase) too: two Ledger objects on one file — a
// `posrig sim host --ledger FILE` process and a rig's bank probe — see each other's writes. Writers take the write
// lock when they begin (BEGIN IMMEDIATE) and wait up to LEDGER_BUSY_TIMEOUT_MS for it, never failing with SQLITE_BUSY.

import { clock } from '../../protocols/domain/clock.ts';
import type { Money } from '../../protocols/domain/money.ts';
import { maskPan } from '../../protocols/domain/pan.ts';
import {
  type Authorization,
  authorizePurchaseIn,
  type CardRequest,
  inquireBalanceIn,
  inquireMerchantBalanceIn,
  type MerchantRequest,
  type PurchaseRequest,
} from './authorization.ts';
import type { HostDefect } from './hostPolicy.ts';
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

/** A request already journalled: its entry and the response recorded with it (null: none was recorded). */
export interface AnsweredRequest {
  journalId: number;
  response: string | null;
  entry: JournalEntry;
}

/**
 * Builds the response to a decision (serialised, e.g. JSON). Called inside the decision's SQL transaction, so the
 * response is committed together with the journal entry and its postings — or none of them is.
 */
export type Responder<Decision> = (decision: Decision) => string;

export class Ledger {
  private readonly store: LedgerStore;

  private constructor(store: LedgerStore) {
    this.store = store;
  }

  /**
   * Opens (creating if needed) a ledger at a file path or ':memory:'. A file uses the WAL journal; the file, its
   * -wal/-shm sidecars and any folder created for them are owner-only (0600 / 0700): the ledger holds PANs and PINs.
   */
  static open(path: string): Ledger {
    return new Ledger(LedgerStore.open(path));
  }

  /** (Re)creates the accounts at their seed balances; clears the journal. Idempotent. */
  seed(cards: CardAccountSeed[], merchants: MerchantSeed[]): void {
    validateSeeds(cards, merchants);
    this.write(() => seedIn(this.store, cards, merchants));
  }

  /** Back to the seeded state: seed balances, empty journal, PIN try counters at 0. */
  reset(): void {
    this.write(() => this.store.resetToSeed());
  }

  /** Sets a card's balance, journalled as an 'adjustment' balanced against the bank's system account. */
  setCardBalance(alias: string, balance: Money): void {
    this.write(() => {
      const card = this.store.requireAccount('card', alias);
      if (balance.currency !== card.currency) {
        throw new LedgerError(`card "${alias}" holds ${card.currency}, cannot set a balance in ${balance.currency}`);
      }
      if (!Number.isSafeInteger(balance.minor)) {
        throw new LedgerError(`card "${alias}": balance ${balance.minor} is not a whole number of minor units`);
      }
      const delta = balance.minor - card.balance_minor;
      const journalId = this.store.insertJournal({
        at: clock.date(),
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
    });
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
    return this.store.totalMoney(currency);
  }

  /** Every card and merchant balance, keyed 'card:<alias>' / 'merchant:<mid>' (system accounts left out), sorted. */
  balances(): Map<string, Money> {
    return new Map(this.store.customerAccounts().map((row) => [`${row.kind}:${row.ref}`, balanceOf(row)]));
  }

  /** Every journal entry, oldest first, declined attempts included. */
  journal(): JournalEntry[] {
    return this.store.journalRows().map(toEntry);
  }

  /** Every posting, in order. */
  postings(): Posting[] {
    return this.store.postingRows().map((r) => ({
      journalId: r.journal_id,
      account: `${r.kind}:${r.ref}`,
      amount: { minor: r.amount_minor, currency: r.currency },
    }));
  }

  /** Double-entry audit: journal entries whose postings do not sum to zero, and balances that disagree with postings. */
  audit(): string[] {
    const { unbalanced, drifted } = this.store.auditRows();
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

  /**
   * Decides, journals and (if approved) posts a purchase in one transaction; `respond` builds the response, recorded in
   * that same transaction (a duplicate is answered with it even after a crash). `defects` only for seeded host defects.
   */
  authorizePurchase(
    request: PurchaseRequest,
    defects: readonly HostDefect[] = [],
    respond?: Responder<Authorization>,
  ): Authorization {
    return this.decide(
      () => authorizePurchaseIn(this.store, request, defects, this.store.takeScriptedDecline()),
      respond,
    );
  }

  /**
   * The issuer declines the next purchase with this response code, whatever the card: nothing is posted. Stored in the
   * database (queued, in order; reset() and seed() clear the queue), so a host on another Ledger of the file honours it.
   */
  declineNextPurchase(responseCode: string): void {
    if (!/^[0-9A-Z]{2}$/.test(responseCode) || responseCode === '00') {
      throw new LedgerError(
        `declineNextPurchase: "${responseCode}" is not a decline response code (two digits or capitals, not 00)`,
      );
    }
    this.store.pushScriptedDecline(responseCode);
  }

  /** Decides and journals a balance inquiry in one transaction, with its response when `respond` is given. */
  inquireBalance(request: CardRequest, respond?: Responder<Authorization>): Authorization {
    return this.decide(() => inquireBalanceIn(this.store, request), respond);
  }

  /** Decides and journals posrig's merchant balance inquiry (no card; DE42 the MID) in one transaction. */
  inquireMerchantBalance(request: MerchantRequest, respond?: Responder<Authorization>): Authorization {
    return this.decide(() => inquireMerchantBalanceIn(this.store, request), respond);
  }

  /** Reverses an original at most once, in one transaction (with its response); unknown originals are journalled as 25. */
  reverse(
    request: ReversalRequest,
    defects: readonly HostDefect[] = [],
    respond?: Responder<ReversalOutcome>,
  ): ReversalOutcome {
    return this.decide(() => reverseIn(this.store, request, defects), respond);
  }

  /** The first journal entry for a request key (MTI + TID + STAN + DE7) and its recorded response, if seen before. */
  findRequest(mti: string, tid: string, stan: string, transmission: string): AnsweredRequest | undefined {
    const row = this.store.requestRow(mti, tid, stan, transmission);
    return row ? { journalId: row.id, response: row.response, entry: toEntry(row) } : undefined;
  }

  /** Runs a decision and records its response (if any) in one SQL transaction: all of it is committed, or none. */
  private decide<D extends { journalId: number }>(run: () => D, respond?: Responder<D>): D {
    return this.write(() => {
      const decision = run();
      if (respond) this.store.setResponse(decision.journalId, respond(decision));
      return decision;
    });
  }

  /** Runs a write in one SQL transaction that takes the write lock at BEGIN (IMMEDIATE): another connection to the
   * file holding it is waited for (LEDGER_BUSY_TIMEOUT_MS), never a read-then-upgrade SQLITE_BUSY halfway. */
  private write<T>(run: () => T): T {
    return this.store.db.transaction(run).immediate();
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
export { LEDGER_BUSY_TIMEOUT_MS, LedgerError } from './ledgerStore.ts';
