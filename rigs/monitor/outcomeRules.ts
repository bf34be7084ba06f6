// The monitor's rules on what the terminal shows, says, prints and reports for each transaction
// (docs/protocol.md sections 9, 10 and 15.4): one result, the result last, the merchant copy first, each copy once,
// display, voice, receipt and result agreeing on the outcome, and the TID of `info`.

import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import { AWAITING_CARDHOLDER } from '../terminal/transactionEnd.ts';
import type { MonitorEvidence } from './evidence.ts';
import { type Finding, finding } from './finding.ts';
import {
  type Print,
  refusal,
  type ScenarioModel,
  type Timed,
  type Transaction,
  transactionAt,
} from './scenarioModel.ts';
import { outcomeWords, saying } from './words.ts';

/** "sale c-3 (STAN 000012)" */
export function named(t: Transaction): string {
  const stan = t.result?.message.stan;
  return `${t.command} ${t.id}${stan ? ` (STAN ${stan})` : ''}`;
}

export function outcomeFindings(model: ScenarioModel, evidence: MonitorEvidence): Finding[] {
  const words = outcomeWords(evidence.rig.language, evidence.rig.words);
  return [
    ...oneResult(model),
    ...model.transactions.flatMap(unended),
    ...model.transactions.flatMap((t) => [...copies(t), ...agreement(t, words)]),
    ...printsOutsideTransactions(model, words),
  ];
}

/** One result per transaction, none for a refused command, none with no transaction open (lastResult aside: its
 * answer repeats an earlier result, naming the earlier command, and may come while a transaction is open). */
function oneResult(model: ScenarioModel): Finding[] {
  const found: Finding[] = [];
  let open: string | undefined;
  let repeatAsked: string | undefined;
  const refused = new Set<string>();
  for (const r of model.records) {
    const m = r.message;
    if (r.dir === 'out') {
      if (model.transactions.some((t) => t.id === m.id)) open = m.id;
      if (m.type === 'lastResult') repeatAsked = m.id;
      continue;
    }
    if (refusal(m)) refused.add(m.ref);
    if (m.type === 'error' && m.ref !== undefined && m.ref === repeatAsked) repeatAsked = undefined; // no-result
    if (m.type !== 'result') continue;
    if (repeatAsked !== undefined && (open === undefined || (m.ref !== undefined && m.ref !== open))) {
      repeatAsked = undefined; // the answer to lastResult
      continue;
    }
    if (m.ref !== undefined && refused.has(m.ref) && m.ref !== open) {
      found.push(
        finding(
          'one-result',
          r.at,
          `a result (${m.outcome}) came for command ${m.ref}, which the terminal had refused with an error`,
        ),
      );
    } else if (open === undefined) {
      const about = m.ref ? ` for ${m.ref}` : '';
      found.push(
        finding(
          'one-result',
          r.at,
          `a second result (${m.outcome})${about} came at ${localTimeOfDay(r.at)} after the transaction had already ended`,
        ),
      );
    }
    open = undefined;
  }
  return found;
}

/** A transaction ends with a result: not the power cut, nor the cardholder's turn when the scenario stopped. */
function unended(t: Transaction): Finding[] {
  if (t.endedBy === 'next command')
    return [
      finding(
        'one-result',
        t.end,
        `${named(t)} never got its result, yet the terminal accepted the next transaction's command at ${localTimeOfDay(t.end)}`,
      ),
    ];
  if (t.endedBy !== 'nothing') return [];
  // Judged only once the terminal went online, and not while it asks the cardholder again (after a 55): `state`
  // events are optional, so a terminal may wait for a card or PIN without saying so.
  const lastAnswer = t.requests.at(-1)?.answer?.fields?.[39];
  if (t.requests.length === 0 || lastAnswer === '55') return [];
  const lastState = [...t.events].reverse().find((e) => e.message.type === 'state')?.message;
  if (lastState?.type === 'state' && AWAITING_CARDHOLDER.has(lastState.state)) return [];
  return [
    finding(
      'one-result',
      t.end,
      `${named(t)} never ended with a result (the terminal's last state: ${lastState?.type === 'state' ? lastState.state : 'none'})`,
    ),
  ];
}

/** Within a transaction: the merchant copy first, each copy once (a copy printed again is a marked reprint). */
function copies(t: Transaction): Finding[] {
  const found: Finding[] = [];
  const printed = new Set<string>();
  for (const e of t.events) {
    if (e.message.type !== 'print' || e.message.reprint) continue;
    const copy = e.message.copy;
    if (printed.has(copy)) {
      found.push(
        finding(
          'copy-once',
          e.at,
          `the ${copy} copy of ${named(t)} was printed a second time at ${localTimeOfDay(e.at)}, not marked as a reprint`,
        ),
      );
      continue;
    }
    if (copy === 'cardholder' && !printed.has('merchant') && printedLater(t, 'merchant'))
      found.push(
        finding(
          'merchant-copy-first',
          e.at,
          `the cardholder copy of ${named(t)} was printed at ${localTimeOfDay(e.at)}, before the merchant copy`,
        ),
      );
    printed.add(copy);
  }
  return found;
}

function printedLater(t: Transaction, copy: string): boolean {
  return t.events.some((e) => e.message.type === 'print' && !e.message.reprint && e.message.copy === copy);
}

/** Display, voice, receipt and result say the same outcome. */
function agreement(t: Transaction, words: ReturnType<typeof outcomeWords>): Finding[] {
  const outcome = t.result?.message.outcome;
  if (outcome === undefined) return [];
  const found: Finding[] = [];
  const said = (test: (text: string) => boolean) =>
    t.events.flatMap((e) => {
      const what = saying(e, test);
      return what ? [{ e, what }] : [];
    });
  if (outcome !== 'approved') {
    for (const { e, what } of said(words.isApproval))
      found.push(
        finding(
          'outcome-agree',
          e.at,
          `${named(t)} ended "${outcome}" but the terminal gave the approval ${what} at ${localTimeOfDay(e.at)}`,
        ),
      );
    for (const e of receipts(t.events))
      found.push(
        finding(
          'outcome-agree',
          e.at,
          `${named(t)} ended "${outcome}" but the terminal printed the ${e.message.copy} copy at ${localTimeOfDay(e.at)}: only an approved transaction prints a receipt`,
        ),
      );
  } else {
    for (const { e, what } of said(words.isFailure))
      found.push(
        finding(
          'outcome-agree',
          e.at,
          `${named(t)} was approved but the terminal gave the failure ${what} at ${localTimeOfDay(e.at)}`,
        ),
      );
  }
  return found;
}

function receipts(events: readonly Timed<TerminalEvent>[]): Timed<Print>[] {
  return events.filter((e): e is Timed<Print> => e.message.type === 'print' && !e.message.reprint);
}

/** A print outside any transaction is a reprint (reprint command, printer fixed): marked, and never of a copy the
 * transaction before has not printed yet (that copy belonged before the result). */
function printsOutsideTransactions(model: ScenarioModel, words: ReturnType<typeof outcomeWords>): Finding[] {
  const found: Finding[] = [];
  for (const [index, r] of model.records.entries()) {
    const m = r.message;
    if (r.dir !== 'in' || m.type !== 'print') continue;
    const at = localTimeOfDay(r.at);
    if (m.reprint) {
      if (!m.lines.some(words.isDuplicateMark))
        found.push(
          finding(
            'copy-once',
            r.at,
            `the reprint of the ${m.copy} copy at ${at} has no duplicate line (重打印凭证 / DUPLICATE)`,
          ),
        );
      continue;
    }
    if (transactionAt(model, index)) continue;
    const before = [...model.transactions].reverse().find((t) => t.span.to < index);
    const had = before?.events.some((e) => e.message.type === 'print' && e.message.copy === m.copy);
    if (before?.result && !had) {
      const ended = localTimeOfDay(before.result.at);
      found.push(
        finding(
          'result-last',
          r.at,
          `the ${m.copy} copy of ${named(before)} was printed at ${at}, after its result (${ended}): every print of a transaction comes before its result`,
        ),
      );
    } else {
      found.push(
        finding(
          'copy-once',
          r.at,
          `a ${m.copy} copy printed at ${at} outside any transaction carries reprint: false: a copy printed again is a reprint, marked`,
        ),
      );
    }
  }
  return found;
}
