// The bank as the live page shows it: every account's balance (cards by alias with their PAN masked, the merchant by
// name and MID), its change since the page's starting point, and the journal, PANs masked.
//   const view = await ledgerView(rig, start);   // { accounts: [{ account: 'card:alice', label, minor, … }], journal }

import { formatMoney, type Money } from '../../protocols/domain/money.ts';
import { maskPan } from '../../protocols/domain/pan.ts';
import type { Rig } from '../../rigs/rig.ts';

export interface AccountView {
  /** 'card:alice', 'merchant:898310048160001' */
  readonly account: string;
  /** 'alice', 'POSRIG 测试商户' */
  readonly name: string;
  /** '622848*********0018' (masked), '898310048160001' (the MID) */
  readonly detail: string;
  readonly minor: number;
  readonly balance: string;
  /** Minor units moved since the starting point (the page opened, or the rig was reset). */
  readonly change: number;
  readonly changeText: string;
}

export interface JournalView {
  readonly id: number;
  readonly kind: string;
  readonly stan: string | null;
  readonly mti: string | null;
  readonly responseCode: string;
  readonly amount: string;
  readonly maskedPan: string | null;
  readonly posted: boolean;
  readonly reverses: number | null;
}

export interface LedgerView {
  /** False where the rig's bank probe cannot list accounts or the journal (a real host). */
  readonly visible: boolean;
  readonly accounts: readonly AccountView[];
  readonly journal: readonly JournalView[];
}

export type LedgerRig = Pick<Rig, 'bank' | 'cards' | 'file'>;

/** Every account's balance now, keyed as the bank probe keys them; undefined where the probe cannot tell. */
export async function balancesNow(rig: LedgerRig): Promise<ReadonlyMap<string, Money> | undefined> {
  return rig.bank.balances();
}

/** The ledger now, with each account's change since `start`. */
export async function ledgerView(rig: LedgerRig, start: ReadonlyMap<string, Money> | undefined): Promise<LedgerView> {
  const [balances, journal] = await Promise.all([rig.bank.balances(), rig.bank.journal()]);
  if (!balances) return { visible: false, accounts: [], journal: [] };
  const accounts = [...balances].map(([account, balance]) => {
    const change = balance.minor - (start?.get(account)?.minor ?? balance.minor);
    const moved = { minor: change, currency: balance.currency };
    return {
      account,
      ...labelOf(rig, account),
      minor: balance.minor,
      balance: formatMoney(balance),
      change,
      changeText: change === 0 ? '—' : `${change > 0 ? '+' : ''}${formatMoney(moved)}`,
    };
  });
  return {
    visible: true,
    accounts: accounts.sort((a, b) => rank(a.account) - rank(b.account)),
    journal: (journal ?? []).filter((entry) => entry.kind !== 'adjustment').map(journalLine),
  };
}

function journalLine(entry: NonNullable<Awaited<ReturnType<Rig['bank']['journal']>>>[number]): JournalView {
  return {
    id: entry.id,
    kind: entry.kind,
    stan: entry.stan,
    mti: entry.mti ?? null,
    responseCode: entry.responseCode,
    amount: formatMoney(entry.amount),
    maskedPan: entry.maskedPan,
    posted: entry.posted,
    reverses: entry.reverses,
  };
}

/** Cards first (file order), then the merchant, then anything else. */
function rank(account: string): number {
  return account.startsWith('card:') ? 0 : account.startsWith('merchant:') ? 1 : 2;
}

function labelOf(rig: LedgerRig, account: string): { name: string; detail: string } {
  const [kind, name = ''] = account.split(/:(.*)/s);
  if (kind === 'card') {
    const card = rig.cards.all().find((c) => c.alias === name);
    return { name, detail: card ? maskPan(card.pan) : '' };
  }
  if (kind === 'merchant') {
    const merchant = rig.file.terminal.merchant;
    return { name: merchant.id === name ? merchant.name : 'merchant', detail: name };
  }
  return { name: account, detail: '' };
}
