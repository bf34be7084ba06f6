// Row-level access to the ledger database: accounts, journal rows, postings and counters.
// Callers run these inside a better-sqlite3 transaction; nothing here opens one itself.
//   store.transfer(journalId, card, merchant, { minor: 10000, currency: 'CNY' })  // two postings, two balance updates

import type Database from 'better-sqlite3';
import type { Money } from '../../protocols/domain/money.ts';

export class LedgerError extends Error {
  override name = 'LedgerError';
}

export type AccountKind = 'card' | 'merchant' | 'system';
export type CardStatus = 'active' | 'lost' | 'stolen' | 'blocked';
export type JournalKind = 'purchase' | 'reversal' | 'balance-inquiry' | 'adjustment';

export interface AccountRow {
  id: number;
  kind: AccountKind;
  ref: string;
  name: string | null;
  pan: string | null;
  expiry: string | null;
  pin: string | null;
  status: CardStatus | null;
  currency: string;
  balance_minor: number;
  seed_balance_minor: number;
  pin_tries: number;
}

export interface JournalRow {
  id: number;
  at: string;
  kind: JournalKind;
  tid: string | null;
  stan: string | null;
  transmission: string | null;
  mti: string | null;
  response_code: string;
  amount_minor: number;
  currency: string;
  card_alias: string | null;
  masked_pan: string | null;
  mid: string | null;
  rrn: string | null;
  auth_code: string | null;
  reverses: number | null;
  reversed_by: number | null;
  original_mti: string | null;
  original_stan: string | null;
  original_transmission: string | null;
  posted: 0 | 1;
  debit_account: number | null;
  credit_account: number | null;
  response: string | null;
}

/** A journal row to insert; omitted optional fields are stored as NULL. */
export interface NewJournalRow {
  at: Date;
  kind: JournalKind;
  responseCode: string;
  amount: Money;
  posted: boolean;
  tid?: string | null;
  stan?: string | null;
  transmission?: string | null;
  mti?: string | null;
  cardAlias?: string | null;
  maskedPan?: string | null;
  mid?: string | null;
  rrn?: string | null;
  authCode?: string | null;
  reverses?: number | null;
  originalMti?: string | null;
  originalStan?: string | null;
  originalTransmission?: string | null;
  debitAccount?: number | null;
  creditAccount?: number | null;
}

/** Prepared statements over one open database. */
export class LedgerStore {
  readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** The card account holding this PAN, if any. */
  cardByPan(pan: string): AccountRow | undefined {
    return this.db.prepare(`SELECT * FROM accounts WHERE kind = 'card' AND pan = ?`).get(pan) as AccountRow | undefined;
  }

  /** The account with this id, or a LedgerError. */
  accountById(id: number): AccountRow {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    if (!row) throw new LedgerError(`no account with id ${id} in the ledger`);
    return row;
  }

  /** The account of this kind and ref (card alias, merchant MID), if any. */
  account(kind: AccountKind, ref: string): AccountRow | undefined {
    return this.db.prepare('SELECT * FROM accounts WHERE kind = ? AND ref = ?').get(kind, ref) as
      | AccountRow
      | undefined;
  }

  /** The account of this kind and ref, or a LedgerError naming it and the known ones. */
  requireAccount(kind: AccountKind, ref: string): AccountRow {
    const row = this.account(kind, ref);
    if (row) return row;
    const known = (
      this.db.prepare('SELECT ref FROM accounts WHERE kind = ? ORDER BY ref').all(kind) as { ref: string }[]
    )
      .map((r) => r.ref)
      .join(', ');
    throw new LedgerError(`no ${kind} account "${ref}" in the ledger (known: ${known || 'none'})`);
  }

  /** The per-currency system account that adjustments balance against; created on first use. */
  systemAccount(currency: string): AccountRow {
    const ref = `adjustments:${currency}`;
    const found = this.account('system', ref);
    if (found) return found;
    this.db
      .prepare(
        `INSERT INTO accounts (kind, ref, currency, balance_minor, seed_balance_minor) VALUES ('system', ?, ?, 0, 0)`,
      )
      .run(ref, currency);
    return this.requireAccount('system', ref);
  }

  /** Inserts a journal row and returns its id. */
  insertJournal(row: NewJournalRow): number {
    const result = this.db
      .prepare(
        `INSERT INTO journal (at, kind, tid, stan, transmission, mti, response_code, amount_minor, currency, card_alias,
           masked_pan, mid, rrn, auth_code, reverses, original_mti, original_stan, original_transmission, posted,
           debit_account, credit_account)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.at.toISOString(),
        row.kind,
        row.tid ?? null,
        row.stan ?? null,
        row.transmission ?? null,
        row.mti ?? null,
        row.responseCode,
        row.amount.minor,
        row.amount.currency,
        row.cardAlias ?? null,
        row.maskedPan ?? null,
        row.mid ?? null,
        row.rrn ?? null,
        row.authCode ?? null,
        row.reverses ?? null,
        row.originalMti ?? null,
        row.originalStan ?? null,
        row.originalTransmission ?? null,
        row.posted ? 1 : 0,
        row.debitAccount ?? null,
        row.creditAccount ?? null,
      );
    return Number(result.lastInsertRowid);
  }

  /** Moves money from one account to another: a debit and a credit posting that sum to zero, plus both balances. */
  transfer(journalId: number, from: AccountRow, to: AccountRow, amount: Money): void {
    if (!Number.isSafeInteger(amount.minor) || amount.minor <= 0) {
      throw new LedgerError(
        `journal ${journalId}: transfer amount must be a positive whole number, got ${amount.minor}`,
      );
    }
    for (const account of [from, to]) {
      if (account.currency !== amount.currency) {
        throw new LedgerError(
          `journal ${journalId}: ${account.kind} account "${account.ref}" holds ${account.currency}, cannot post ${amount.currency}`,
        );
      }
    }
    this.post(journalId, from, -amount.minor, amount.currency);
    this.post(journalId, to, amount.minor, amount.currency);
  }

  private post(journalId: number, account: AccountRow, minor: number, currency: string): void {
    this.db
      .prepare('INSERT INTO postings (journal_id, account_id, amount_minor, currency) VALUES (?, ?, ?, ?)')
      .run(journalId, account.id, minor, currency);
    const updated = this.db
      .prepare('UPDATE accounts SET balance_minor = balance_minor + ? WHERE id = ?')
      .run(minor, account.id);
    if (updated.changes !== 1) {
      throw new LedgerError(
        `journal ${journalId}: ${account.kind} account "${account.ref}" (id ${account.id}) is gone`,
      );
    }
  }

  /** Sets a card's PIN try counter. */
  setPinTries(accountId: number, tries: number): void {
    this.db.prepare('UPDATE accounts SET pin_tries = ? WHERE id = ?').run(tries, accountId);
  }

  /** The journal row with this id, if any. */
  journalRow(id: number): JournalRow | undefined {
    return this.db.prepare('SELECT * FROM journal WHERE id = ?').get(id) as JournalRow | undefined;
  }

  /** The first journal row for a request key (MTI + TID + STAN + DE7), if that request was seen. */
  requestRow(mti: string, tid: string, stan: string, transmission: string): JournalRow | undefined {
    return this.db
      .prepare('SELECT * FROM journal WHERE mti = ? AND tid = ? AND stan = ? AND transmission = ? ORDER BY id LIMIT 1')
      .get(mti, tid, stan, transmission) as JournalRow | undefined;
  }

  /** Next value of a named counter that survives reset(). */
  nextCounter(name: string): number {
    const row = this.db
      .prepare(
        `INSERT INTO counters (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get(name) as { value: number };
    return row.value;
  }
}
