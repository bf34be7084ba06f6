// The simulated bank's SQLite schema — accounts, journal and double-entry postings — and the row types read from it.
//   Every posted journal entry has postings that sum to zero, so money moves but is never created —
//   except by 'adjustment' entries, which balance against a per-currency 'system' account that
//   totalMoney() leaves out (the test set-up "the card holds 500.00 CNY" creates money on purpose).

import type { Money } from '../../protocols/domain/money.ts';

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

/** A card account as seeded. */
export interface NewCardAccount {
  alias: string;
  pan: string;
  expiry: string;
  pin: string;
  balance: Money;
  status: CardStatus;
}

export interface PostingRow {
  journal_id: number;
  kind: AccountKind;
  ref: string;
  amount_minor: number;
  currency: string;
}

export interface DriftRow {
  kind: AccountKind;
  ref: string;
  balance_minor: number;
  expected: number;
}

/** DDL run on every open; idempotent. */
export const LEDGER_SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('card', 'merchant', 'system')),
  ref TEXT NOT NULL,                       -- card alias, merchant MID, or 'adjustments:CNY'
  name TEXT,
  pan TEXT UNIQUE,
  expiry TEXT,                             -- YYMM
  pin TEXT,
  status TEXT CHECK (status IS NULL OR status IN ('active', 'lost', 'stolen', 'blocked')),
  currency TEXT NOT NULL,
  balance_minor INTEGER NOT NULL,
  seed_balance_minor INTEGER NOT NULL,     -- what reset() restores
  pin_tries INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, ref)
);

CREATE TABLE IF NOT EXISTS journal (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('purchase', 'reversal', 'balance-inquiry', 'adjustment')),
  tid TEXT,
  stan TEXT,
  transmission TEXT,                       -- DE7 MMDDhhmmss as received
  mti TEXT,
  response_code TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  card_alias TEXT,
  masked_pan TEXT,
  mid TEXT,
  rrn TEXT,
  auth_code TEXT,
  reverses INTEGER REFERENCES journal (id),
  reversed_by INTEGER REFERENCES journal (id),
  original_mti TEXT,                       -- reversal rows: the original data elements of DE90
  original_stan TEXT,
  original_transmission TEXT,
  posted INTEGER NOT NULL CHECK (posted IN (0, 1)),
  debit_account INTEGER REFERENCES accounts (id),
  credit_account INTEGER REFERENCES accounts (id),
  response TEXT                            -- the response fields as sent (JSON), replayed on a duplicate
);
CREATE INDEX IF NOT EXISTS journal_request ON journal (tid, stan, transmission, mti);
CREATE INDEX IF NOT EXISTS journal_original ON journal (tid, original_stan, original_transmission);

-- amount_minor is signed: negative takes money out of the account, positive puts it in.
CREATE TABLE IF NOT EXISTS postings (
  id INTEGER PRIMARY KEY,
  journal_id INTEGER NOT NULL REFERENCES journal (id),
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
  currency TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS postings_journal ON postings (journal_id);

-- declineNextPurchase: response codes the issuer answers the next purchases with, oldest first (test instructions,
-- kept here so that a host on another connection to the file honours them; reset() and seeding empty it).
CREATE TABLE IF NOT EXISTS scripted_declines (
  id INTEGER PRIMARY KEY,
  response_code TEXT NOT NULL
);

-- Counters that survive reset(), so reference numbers stay unique for the life of the database file.
CREATE TABLE IF NOT EXISTS counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`;
