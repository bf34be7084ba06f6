// The monitor's rule on what a reprint prints (docs/protocol.md sections 8 `reprint` and 15.4): the last receipt
// again, so the amount and card of the last approved transaction — never a receipt of a transaction that was not
// approved (a declined sale in between prints none, and leaves the last receipt as it was).
//   reprintFindings(model) → [finding('reprint-last-receipt', at, 'the reprint asked at … prints 10.00 …')]
// Judged only when the scenario holds an approved transaction before the reprint (an earlier receipt is not seen).

import { amountOn, formatAmount } from '../../protocols/domain/money.ts';
import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { HistoryRecord } from '../terminal/eventHistory.ts';
import { type Finding, finding } from './finding.ts';
import { named } from './outcomeRules.ts';
import type { Print, ScenarioModel } from './scenarioModel.ts';

export function reprintFindings(model: ScenarioModel): Finding[] {
  const found: Finding[] = [];
  for (const [index, r] of model.records.entries()) {
    if (r.dir !== 'out' || r.message.type !== 'reprint') continue;
    const last = [...model.transactions]
      .reverse()
      .find((t) => t.span.from < index && t.result?.message.outcome === 'approved');
    if (!last?.result) continue;
    const { amount, currency, pan } = last.result.message;
    const money = typeof amount === 'number' && currency ? { minor: amount, currency } : undefined;
    for (const print of reprintsAnswering(model.records, index)) {
      const missing = [
        ...(money && !print.lines.some((line) => amountOn(line, money)) ? [`its amount ${formatAmount(money)}`] : []),
        ...(pan && !print.lines.some((line) => maskedCardOn(line, pan)) ? [`its card ${pan}`] : []),
      ];
      if (missing.length === 0) continue;
      found.push(
        finding(
          'reprint-last-receipt',
          r.at,
          `the reprint asked at ${localTimeOfDay(r.at)} does not repeat the last receipt, that of ${named(last)}: it lacks ${missing.join(' and ')} (it printed: ${print.lines.join(' | ')})`,
        ),
      );
    }
  }
  return found;
}

/** The copies marked as reprints that answer the reprint command at records[index]: up to the harness's next command
 * (its `hello` barriers aside). */
function reprintsAnswering(records: readonly HistoryRecord[], index: number): Print[] {
  const prints: Print[] = [];
  for (const r of records.slice(index + 1)) {
    if (r.dir === 'out' && r.message.type !== 'hello') break;
    if (r.dir === 'in' && r.message.type === 'print' && r.message.reprint) prints.push(r.message);
  }
  return prints;
}

/** The card of a masked PAN ('622848*********0018') on a line: the same kept digits, a mask character for each other
 * one, spaces or hyphens allowed between them. */
function maskedCardOn(line: string, masked: string): boolean {
  const kept = [...masked].map((c) => (/\d/.test(c) ? c : '[^\\d\\s-]'));
  return new RegExp(`(?<!\\d)${kept.join('[ -]?')}(?!\\d)`).test(line);
}
