// The one home of the ledger's SQL: opening the database, row access to accounts, journal rows, postings and counters,
// and the read-only queries behind balances and the audit. Writers run inside the caller's better-sqlite3 transaction
// (ledger.ts opens them); nothing here opens one itself.
//   const store = LedgerStore.open('/var/posrig/ledger.db');  // file and -wal/-shm 0600, WAL journal
//   store.transfer(journalId, card, merchant, { minor: 10000, currency: 'CNY' })  // two postings, two balance updates

import Database from 'better-sqlite3';
import type { Money } from '../../protocols/domain/money.ts';
import { createPrivateFile, isInMemory, tightenSidecars } from './ledgerFile.ts';
import {
  type AccountKind,
  type AccountRow,
  type DriftRow,
  type JournalRow,
  LEDGER_SCHEMA,
  type NewCardAccount,
  type NewJournalRow,
  type PostingRow,
} from './ledgerSchema.ts';

export type {
  AccountKind,
  AccountRow,
  CardStatus,
  DriftRow,
  JournalKind,
  JournalRow,
  NewCardAccount,
  NewJournalRow,
  PostingRow,
} from './ledgerSchema.ts';

/** How long a writer waits for another connection's (or process's) write lock before SQLITE_BUSY. */
export const LEDGER_BUSY_TIMEOUT_MS = 5000;

export class LedgerError extends Error {
  override name = 'LedgerError';
}

/** Prepared statements over one open database. */
export class LedgerStore {
  readonly db: Database.Database;

  /** Each statement is compiled once, on first use: a prepare per call was a tenth of a simulated-time run. */
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.db = db;
  }

  /**
   * Opens (creating if needed) a ledger at a file path (WAL journal; file and sidecars 0600) or ':memory:'. Other
   * connections may share the file: a locked database is waited for (LEDGER_BUSY_TIMEOUT_MS), not an error.
   */
  #sql(source: string): Database.Statement {
    let statement = this.#statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  }

  static open(file: string): LedgerStore {
    const onDisk = !isInMemory(file);
    if (onDisk) createPrivateFile(file);
    const db = new Database(file, { timeout: LEDGER_BUSY_TIMEOUT_MS });
    if (onDisk) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.exec(LEDGER_SCHEMA);
    if (onDisk) tightenSidecars(file);
    return new LedgerStore(db);
  }

  /** Replaces every account, journal entry and posting: the seeded cards and merchants, at their seed balances. */
  replaceAccounts(
    cards: readonly NewCardAccount[],
    merchants: readonly { mid: string; name: string; currency: string }[],
  ): void {
    this.db.exec('DELETE FROM postings; DELETE FROM journal; DELETE FROM accounts; DELETE FROM scripted_declines;');
    const insert = this.#sql(
      `INSERT INTO accounts (kind, ref, name, pan, expiry, pin, status, currency, balance_minor, seed_balance_minor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of cards) {
      const { minor, currency } = c.balance;
      insert.run('card', c.alias, null, c.pan, c.expiry, c.pin, c.status, currency, minor, minor);
    }
    for (const m of merchants) insert.run('merchant', m.mid, m.name, null, null, null, null, m.currency, 0, 0);
  }

  /** Back to the seeded state: seed balances, empty journal and postings, PIN try counters at 0, no scripted
   * declines (counters stay). */
  resetToSeed(): void {
    this.db.exec(
      `DELETE FROM postings; DELETE FROM journal; DELETE FROM scripted_declines;
       UPDATE accounts SET balance_minor = seed_balance_minor, pin_tries = 0;`,
    );
  }

  /** The card account holding this PAN, if any. */
  cardByPan(pan: string): AccountRow | undefined {
    return this.#sql(`SELECT * FROM accounts WHERE kind = 'card' AND pan = ?`).get(pan) as AccountRow | undefined;
  }

  /** The account with this id, or a LedgerError. */
  accountById(id: number): AccountRow {
    const row = this.#sql('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    if (!row) throw new LedgerError(`no account with id ${id} in the ledger`);
    return row;
  }

  /** The account of this kind and ref (card alias, merchant MID), if any. */
  account(kind: AccountKind, ref: string): AccountRow | undefined {
    return this.#sql('SELECT * FROM accounts WHERE kind = ? AND ref = ?').get(kind, ref) as AccountRow | undefined;
  }

  /** The account of this kind and ref, or a LedgerError naming it and the known ones. */
  requireAccount(kind: AccountKind, ref: string): AccountRow {
    const row = this.account(kind, ref);
    if (row) return row;
    const known = (this.#sql('SELECT ref FROM accounts WHERE kind = ? ORDER BY ref').all(kind) as { ref: string }[])
      .map((r) => r.ref)
      .join(', ');
    throw new LedgerError(`no ${kind} account "${ref}" in the ledger (known: ${known || 'none'})`);
  }

  /** The per-currency system account that adjustments balance against; created on first use. */
  systemAccount(currency: string): AccountRow {
    const ref = `adjustments:${currency}`;
    const found = this.account('system', ref);
    if (found) return found;
    this.#sql(
      `INSERT INTO accounts (kind, ref, currency, balance_minor, seed_balance_minor) VALUES ('system', ?, ?, 0, 0)`,
    ).run(ref, currency);
    return this.requireAccount('system', ref);
  }

  /** Inserts a journal row and returns its id. */
  insertJournal(row: NewJournalRow): number {
    const result = this.#sql(
      `INSERT INTO journal (at, kind, tid, stan, transmission, mti, response_code, amount_minor, currency, card_alias,
           masked_pan, mid, rrn, auth_code, reverses, original_mti, original_stan, original_transmission, posted,
           debit_account, credit_account)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
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
    this.#sql('INSERT INTO postings (journal_id, account_id, amount_minor, currency) VALUES (?, ?, ?, ?)').run(
      journalId,
      account.id,
      minor,
      currency,
    );
    const updated = this.#sql('UPDATE accounts SET balance_minor = balance_minor + ? WHERE id = ?').run(
      minor,
      account.id,
    );
    if (updated.changes !== 1) {
      throw new LedgerError(
        `journal ${journalId}: ${account.kind} account "${account.ref}" (id ${account.id}) is gone`,
      );
    }
  }

  /** Sets a card's PIN try counter. */
  setPinTries(accountId: number, tries: number): void {
    this.#sql('UPDATE accounts SET pin_tries = ? WHERE id = ?').run(tries, accountId);
  }

  /** The journal row with this id, if any. */
  journalRow(id: number): JournalRow | undefined {
    return this.#sql('SELECT * FROM journal WHERE id = ?').get(id) as JournalRow | undefined;
  }

  /** The first journal row for a request key (MTI + TID + STAN + DE7), if that request was seen. */
  requestRow(mti: string, tid: string, stan: string, transmission: string): JournalRow | undefined {
    return this.#sql(
      'SELECT * FROM journal WHERE mti = ? AND tid = ? AND stan = ? AND transmission = ? ORDER BY id LIMIT 1',
    ).get(mti, tid, stan, transmission) as JournalRow | undefined;
  }

  /** Next value of a named counter that survives reset(). */
  nextCounter(name: string): number {
    const row = this.#sql(
      `INSERT INTO counters (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    ).get(name) as { value: number };
    return row.value;
  }

  /** Queues a response code the issuer answers a coming purchase with (declineNextPurchase). */
  pushScriptedDecline(responseCode: string): void {
    this.#sql('INSERT INTO scripted_declines (response_code) VALUES (?)').run(responseCode);
  }

  /** Takes the oldest queued scripted decline off the queue; undefined when none is queued. */
  takeScriptedDecline(): string | undefined {
    const row = this.#sql('SELECT id, response_code FROM scripted_declines ORDER BY id LIMIT 1').get() as
      | { id: number; response_code: string }
      | undefined;
    if (!row) return undefined;
    this.#sql('DELETE FROM scripted_declines WHERE id = ?').run(row.id);
    return row.response_code;
  }

  /** Records the response sent for a journal entry (JSON), replayed to a duplicate request. */
  setResponse(journalId: number, response: string): void {
    this.#sql('UPDATE journal SET response = ? WHERE id = ?').run(response, journalId);
  }

  /** Marks an original as reversed by a reversal entry. */
  markReversed(originalId: number, reversalId: number): void {
    this.#sql('UPDATE journal SET reversed_by = ? WHERE id = ?').run(reversalId, originalId);
  }

  /** Whether a reversal for this original request (TID + original MTI + STAN + DE7) was journalled already. */
  reversalSeenFor(tid: string, mti: string, stan: string, transmission: string): boolean {
    const row = this.#sql(
      `SELECT 1 FROM journal WHERE kind = 'reversal' AND tid = ? AND original_stan = ? AND original_transmission = ?
           AND original_mti = ? LIMIT 1`,
    ).get(tid, stan, transmission, mti);
    return row !== undefined;
  }

  /** Sum of card and merchant balances in a currency (system accounts excluded), in minor units. */
  totalMoney(currency: string): number {
    const row = this.#sql(
      `SELECT COALESCE(SUM(balance_minor), 0) AS total FROM accounts WHERE kind IN ('card', 'merchant') AND currency = ?`,
    ).get(currency) as { total: number };
    return row.total;
  }

  /** Card and merchant accounts, sorted by kind and ref. */
  customerAccounts(): AccountRow[] {
    return this.#sql(
      `SELECT * FROM accounts WHERE kind IN ('card', 'merchant') ORDER BY kind, ref`,
    ).all() as AccountRow[];
  }

  /** Every journal row, oldest first. */
  journalRows(): JournalRow[] {
    return this.#sql('SELECT * FROM journal ORDER BY id').all() as JournalRow[];
  }

  /** Every posting with its account's kind and ref, in order. */
  postingRows(): PostingRow[] {
    return this.#sql(
      `SELECT p.journal_id, a.kind, a.ref, p.amount_minor, p.currency FROM postings p
         JOIN accounts a ON a.id = p.account_id ORDER BY p.id`,
    ).all() as PostingRow[];
  }

  /** Journal entries whose postings do not sum to zero, and accounts whose balance disagrees with their postings. */
  auditRows(): { unbalanced: { journal_id: number; net: number }[]; drifted: DriftRow[] } {
    const unbalanced = this.#sql(
      'SELECT journal_id, SUM(amount_minor) AS net FROM postings GROUP BY journal_id HAVING net <> 0',
    ).all() as { journal_id: number; net: number }[];
    const drifted = this.#sql(
      `SELECT a.kind, a.ref, a.balance_minor, a.seed_balance_minor + COALESCE(SUM(p.amount_minor), 0) AS expected
         FROM accounts a LEFT JOIN postings p ON p.account_id = a.id GROUP BY a.id HAVING a.balance_minor <> expected`,
    ).all() as DriftRow[];
    return { unbalanced, drifted };
  }
}
