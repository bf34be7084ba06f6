// The evidence attached to a payment-truth finding: every account before/after/change, the scenario's journal, and
// what the terminal said about each transaction. Fixed-width text; PANs masked.
//   ledgerDiff(input) →
//     account                     before       after      change
//     card:alice              500.00 CNY  600.00 CNY  +100.00 CNY
//     ...
//     id  kind      TID       STAN    amount      RC  posted  reverses  moved       card
//     1   purchase  T0000001  000012  100.00 CNY  00  yes     -         100.00 CNY  411111******1111

import { maskPansIn } from '../../protocols/domain/pan.ts';
import { ledgerEffects, movedBy, transactionKey } from './ledgerEffect.ts';
import { balanceChanges } from './moneyConservation.ts';
import { changeText, moneyText } from './moneyText.ts';
import type { TruthInput } from './paymentTruth.ts';

type Align = 'left' | 'right';

/** Columns padded to their widest cell; 'right' columns (amounts) right-aligned; two spaces between columns. */
export function fixedWidth(header: string[], rows: string[][], align: Align[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The ledger diff of a scenario: balances table, journal lines, the terminal's transactions and pending reversals. */
export function ledgerDiff(input: TruthInput): string {
  const changes = balanceChanges(input.balancesBefore, input.balancesAfter);
  const accounts = [...changes.keys()].sort();
  const balanceRows = accounts.map((account) => {
    const change = changes.get(account) ?? { minor: 0, currency: 'XXX' };
    const before = input.balancesBefore.get(account) ?? { minor: 0, currency: change.currency };
    const after = input.balancesAfter.get(account) ?? { minor: 0, currency: change.currency };
    return [account, moneyText(before), moneyText(after), changeText(change)];
  });
  const journalRows = input.journal.map((e) => [
    String(e.id),
    e.kind,
    e.tid ?? '-',
    e.stan ?? '-',
    moneyText(e.amount),
    e.responseCode,
    e.posted ? 'yes' : 'no',
    e.reverses === null ? '-' : String(e.reverses),
    moved(movedBy(e), e.amount.currency),
    e.maskedPan ?? '-',
  ]);
  const effects = ledgerEffects(input.journal);
  const terminalRows = input.transactions.map((t) => {
    const effect = effects.get(transactionKey(t.tid, t.stan));
    return [
      t.stan,
      t.tid,
      t.outcome,
      moneyText(t.amount),
      t.receiptPrinted ? 'yes' : 'no',
      String(t.reprints),
      changeText({ minor: effect?.charged ?? 0, currency: effect?.currency ?? t.amount.currency }),
    ];
  });
  const lines = [
    `Balances (${accounts.length} accounts)`,
    ...fixedWidth(['account', 'before', 'after', 'change'], balanceRows, ['left', 'right', 'right', 'right']),
    '',
    `Journal (${input.journal.length} ${input.journal.length === 1 ? 'entry' : 'entries'})`,
    ...(journalRows.length === 0
      ? ['(empty)']
      : fixedWidth(['id', 'kind', 'TID', 'STAN', 'amount', 'RC', 'posted', 'reverses', 'moved', 'card'], journalRows, [
          'right',
          'left',
          'left',
          'left',
          'right',
          'left',
          'left',
          'right',
          'right',
          'left',
        ])),
    '',
    `Terminal (${input.transactions.length} ${input.transactions.length === 1 ? 'transaction' : 'transactions'})`,
    ...(terminalRows.length === 0
      ? ['(none)']
      : fixedWidth(['STAN', 'TID', 'outcome', 'amount', 'receipt', 'reprints', 'ledger net'], terminalRows, [
          'left',
          'left',
          'left',
          'right',
          'left',
          'right',
          'right',
        ])),
    `Pending reversals: ${input.pendingReversals.length === 0 ? 'none' : input.pendingReversals.join(', ')}`,
  ];
  return maskPansIn(lines.join('\n'));
}

function moved(minor: number | undefined, currency: string): string {
  if (minor === undefined) return '?';
  return minor === 0 ? '-' : moneyText({ minor, currency });
}
