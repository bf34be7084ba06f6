// The monitor's rules on what the terminal does with the host's answers (docs/protocol.md sections 15.1 and 15.2):
// approval only after a 0210 with 00, a response timeout gives `timeout` and a 0400 with 98, a late 0210 changes
// nothing, a 0210 that does not match its request is no answer, a cancel while online is reversed with 17, a 55 is
// never reversed and a 75 ends the transaction. Every rule here needs the network trace.
// An answer within a margin of the response timeout is judged neither in time nor late (finding.ts timeoutMargin).

import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { EcrMessage, TerminalEvent } from '../../protocols/ecr/index.ts';
import type { MonitorEvidence, NetworkMessage } from './evidence.ts';
import { describeNetwork, type Finding, finding, timeoutMargin } from './finding.ts';
import { named } from './outcomeRules.ts';
import {
  type Exchange,
  refusal,
  reversalsOf,
  type ScenarioModel,
  stanOf,
  type Timed,
  type Transaction,
} from './scenarioModel.ts';
import { outcomeWords, saying } from './words.ts';

type Timing = 'in time' | 'late' | 'unclear' | 'never';

/** Whether the terminal got the answer within its response timeout, clearly too late, or never. */
export function answerTiming(exchange: Exchange, timeoutMs: number): Timing {
  const delivered = exchange.answer?.deliveredAt;
  if (!delivered) return 'never';
  const took = delivered.getTime() - exchange.request.at.getTime();
  const margin = timeoutMargin(timeoutMs);
  if (took <= timeoutMs - margin) return 'in time';
  return took >= timeoutMs + margin ? 'late' : 'unclear';
}

export function hostFindings(model: ScenarioModel, evidence: MonitorEvidence): Finding[] {
  const network = model.network;
  if (!network) return [];
  const timeoutMs = evidence.rig.responseTimeoutMs;
  const words = outcomeWords(evidence.rig.language, evidence.rig.words);
  // a CANCEL key the terminal refused (`wrong-state`: no prompt while online) cancelled nothing
  const refused = new Set(model.records.flatMap((r) => (r.dir === 'in' && refusal(r.message) ? [r.message.ref] : [])));
  const isCancel = (c: Timed<EcrMessage>) => cancels(c.message) && !refused.has(c.message.id);
  return model.transactions.flatMap((t) => [
    ...approvalAfterHost(t, network, words),
    ...t.requests.flatMap((exchange, i) => {
      const last = i === t.requests.length - 1;
      const timing = answerTiming(exchange, timeoutMs);
      return [
        ...timeoutOutcome(t, exchange, timing, last, network, model, timeoutMs, isCancel),
        ...lateResponse(t, exchange, timing, model, words),
        ...mismatch(t, exchange, timing, last, network),
        ...cancelWhileOut(t, exchange, timing, network, timeoutMs, isCancel),
        ...wrongPin(t, exchange, timing, network),
        ...pinTriesExceeded(t, exchange, timing),
      ];
    }),
  ]);
}

/** No approval display, voice or result before the terminal got a 0210 with 00 in this transaction. */
function approvalAfterHost(
  t: Transaction,
  network: readonly NetworkMessage[],
  words: ReturnType<typeof outcomeWords>,
): Finding[] {
  const approvals = t.events.flatMap((e) => {
    const what =
      saying(e, words.isApproval) ??
      (e.message.type === 'result' && e.message.outcome === 'approved' && ownResult(t, e.message)
        ? 'result "approved"'
        : undefined);
    return what ? [{ at: e.at, what }] : [];
  });
  const first = approvals[0];
  if (!first) return [];
  // section 15 gives a sale or refund a 0200/0210; a settle or void is answered by whatever its host message is
  const financial = t.command === 'sale' || t.command === 'refund';
  const approvedBefore = network.some(
    (m) =>
      m.direction === 'response' &&
      (m.mti === '0210' || (!financial && m.mti !== 'garbled')) &&
      m.fields?.[39] === '00' &&
      m.deliveredAt !== undefined &&
      m.deliveredAt >= t.start &&
      m.deliveredAt <= first.at,
  );
  if (approvedBefore) return [];
  const got = t.requests.map((e) =>
    e.answer?.deliveredAt
      ? `${describeNetwork(e.answer)} delivered ${localTimeOfDay(e.answer.deliveredAt)}`
      : `no answer to ${describeNetwork(e.request)}`,
  );
  return [
    finding(
      'approval-after-host',
      first.at,
      `${named(t)}: the terminal gave the ${first.what} at ${localTimeOfDay(first.at)} before the host had answered it with 00 (${got.join('; ') || 'no request reached the host'})`,
    ),
  ];
}

/** No answer within the response timeout: outcome timeout and a 0400 with DE39 98 (06 after a power cut). */
function timeoutOutcome(
  t: Transaction,
  exchange: Exchange,
  timing: Timing,
  last: boolean,
  network: readonly NetworkMessage[],
  model: ScenarioModel,
  timeoutMs: number,
  isCancel: (c: Timed<EcrMessage>) => boolean,
): Finding[] {
  if (timing !== 'never' && timing !== 'late') return [];
  const { request } = exchange;
  if (request.fault === 'drop') return []; // the connection was lost with the request: `failed`, not a timeout
  const expires = request.at.getTime() + timeoutMs + timeoutMargin(timeoutMs);
  if (t.end.getTime() < expires && !t.result) return []; // the power or the scenario ended it first
  if (model.cuts.some((c) => c >= request.at && c.getTime() <= expires)) return [];
  if (t.commands.some((c) => isCancel(c) && c.at >= request.at && c.at.getTime() <= expires)) return [];
  const found: Finding[] = [];
  const outcome = t.result?.message.outcome;
  // a result before the timer could have run out ended the transaction for another reason: the connection was lost
  // after the request went out (outcome `failed`, still a 0400 with 98, section 15.2.2)
  const beforeTimer = t.result !== undefined && t.result.at.getTime() < expires - 2 * timeoutMargin(timeoutMs);
  if (last && outcome !== undefined && outcome !== 'timeout' && !beforeTimer)
    found.push(
      finding(
        'timeout-outcome',
        t.result?.at ?? t.end,
        `${named(t)}: no answer to ${describeNetwork(request)} within the response timeout (${timeoutMs} ms), yet the result is "${outcome}", not "timeout"`,
      ),
    );
  const reversals = reversalsOf(network, stanOf(request));
  if (!reversals.some((r) => r.fields?.[39] === '98' || r.fields?.[39] === '06'))
    found.push(
      finding(
        'timeout-outcome',
        new Date(expires),
        `${named(t)}: no answer to ${describeNetwork(request)} within the response timeout (${timeoutMs} ms), yet no 0400 with DE39 98 followed${reversals.length > 0 ? ` (0400 DE39 ${reversals.map((r) => r.fields?.[39]).join(', ')})` : ''}`,
      ),
    );
  return found;
}

/** A 0210 delivered after the response timeout never changes the outcome. */
function lateResponse(
  t: Transaction,
  exchange: Exchange,
  timing: Timing,
  model: ScenarioModel,
  words: ReturnType<typeof outcomeWords>,
): Finding[] {
  const answer = exchange.answer;
  const delivered = answer?.deliveredAt;
  if (timing !== 'late' || !delivered || answer.fields?.[39] !== '00') return [];
  const late = `the 0210 (DE39 00) to ${describeNetwork(exchange.request)} arrived at ${localTimeOfDay(delivered)}, after the response timeout`;
  if (t.result?.message.outcome === 'approved' && t.result.at >= delivered)
    return [
      finding(
        'late-response-discarded',
        t.result.at,
        `${named(t)}: ${late}, yet the result is "approved": a late answer is discarded and the request reversed`,
      ),
    ];
  // the transaction ended first: an approval shown or said for it afterwards (before the next one) took the answer
  const next = model.transactions.find((other) => other.span.from > t.span.to)?.span.from ?? model.records.length;
  const shown = model.records
    .slice(t.span.to + 1, next)
    .find(
      (r) =>
        r.dir === 'in' &&
        r.at >= delivered &&
        saying({ at: r.at, message: r.message as TerminalEvent }, words.isApproval) !== undefined,
    );
  if (!shown || t.result?.message.outcome === 'approved') return [];
  return [
    finding(
      'late-response-discarded',
      shown.at,
      `${named(t)}: ${late}; the transaction had ended "${t.result?.message.outcome ?? 'without a result'}", yet the terminal gave the approval at ${localTimeOfDay(shown.at)}`,
    ),
  ];
}

/** The fields among DE4, DE11, DE41 in which the 0210 differs from its request: any, and it is no answer at all. */
function mismatchedFields({ request, answer }: Exchange): number[] {
  return [4, 11, 41].filter((n) => answer?.fields?.[n] !== undefined && answer.fields[n] !== request.fields?.[n]);
}

/** A 0210 whose DE4, DE11 or DE41 differ from the request is no answer: failed, and a 0400 with 96. */
function mismatch(
  t: Transaction,
  exchange: Exchange,
  timing: Timing,
  last: boolean,
  network: readonly NetworkMessage[],
): Finding[] {
  const { request, answer } = exchange;
  if (timing !== 'in time' || !answer?.fields || !request.fields) return [];
  const differs = mismatchedFields(exchange);
  if (differs.length === 0) return [];
  const which = differs.map((n) => `DE${n} ${answer.fields?.[n]} instead of ${request.fields?.[n]}`).join(', ');
  const found: Finding[] = [];
  const outcome = t.result?.message.outcome;
  if (last && outcome !== undefined && outcome !== 'failed')
    found.push(
      finding(
        'response-matches-request',
        t.result?.at ?? t.end,
        `${named(t)}: the 0210 to ${describeNetwork(request)} carried ${which}, yet the result is "${outcome}": an answer that does not match its request is no answer ("failed")`,
      ),
    );
  if (!reversalsOf(network, stanOf(request)).some((r) => r.fields?.[39] === '96'))
    found.push(
      finding(
        'response-matches-request',
        answer.deliveredAt ?? answer.at,
        `${named(t)}: the 0210 to ${describeNetwork(request)} carried ${which}, yet no 0400 with DE39 96 followed`,
      ),
    );
  return found;
}

/** Cancelled while the request was out (no answer yet): outcome cancelled and a 0400 with 17. */
function cancelWhileOut(
  t: Transaction,
  exchange: Exchange,
  timing: Timing,
  network: readonly NetworkMessage[],
  timeoutMs: number,
  isCancel: (c: Timed<EcrMessage>) => boolean,
): Finding[] {
  const { request, answer } = exchange;
  const expires = request.at.getTime() + timeoutMs - timeoutMargin(timeoutMs);
  const cancel = t.commands.find((c) => isCancel(c) && c.at >= request.at && c.at.getTime() < expires);
  if (!cancel || (timing === 'in time' && answer?.deliveredAt && answer.deliveredAt <= cancel.at)) return [];
  if (answer?.deliveredAt && t.result && answer.deliveredAt <= t.result.at) return []; // answered before the cancel took
  const found: Finding[] = [];
  const outcome = t.result?.message.outcome;
  if (outcome !== undefined && outcome !== 'cancelled')
    found.push(
      finding(
        'cancel-reversal',
        t.result?.at ?? t.end,
        `${named(t)} was cancelled at ${localTimeOfDay(cancel.at)} while ${describeNetwork(request)} was out, yet the result is "${outcome}"`,
      ),
    );
  if (outcome === 'cancelled' && !reversalsOf(network, stanOf(request)).some((r) => r.fields?.[39] === '17'))
    found.push(
      finding(
        'cancel-reversal',
        t.result?.at ?? t.end,
        `${named(t)} was cancelled at ${localTimeOfDay(cancel.at)} while ${describeNetwork(request)} was out, yet no 0400 with DE39 17 followed`,
      ),
    );
  return found;
}

/** A 55 in time: no reversal of that request, no result for it. */
function wrongPin(t: Transaction, exchange: Exchange, timing: Timing, network: readonly NetworkMessage[]): Finding[] {
  const { request, answer } = exchange;
  // a 0210 that does not match its request is no answer, whatever its DE39 (response-matches-request judges it)
  if (timing !== 'in time' || answer?.fields?.[39] !== '55' || mismatchedFields(exchange).length > 0) return [];
  const found: Finding[] = [];
  const reversal = reversalsOf(network, stanOf(request))[0];
  if (reversal)
    found.push(
      finding(
        'wrong-pin-not-reversed',
        reversal.at,
        `${named(t)}: ${describeNetwork(request)} was answered 55 (wrong PIN), a finished decline, yet the terminal reversed it (${describeNetwork(reversal)})`,
      ),
    );
  const result = t.result;
  if (result && result.message.responseCode === '55')
    found.push(
      finding(
        'wrong-pin-not-reversed',
        result.at,
        `${named(t)}: the terminal ended the transaction with a result for the 55 (wrong PIN) answer; it must ask for the PIN again`,
      ),
    );
  else if (result && answer.deliveredAt && endedOnWrongPin(t, answer.deliveredAt))
    found.push(
      finding(
        'wrong-pin-not-reversed',
        result.at,
        `${named(t)}: after the 55 (wrong PIN) at ${localTimeOfDay(answer.deliveredAt)} the terminal ended the transaction "${result.message.outcome}"${result.message.responseCode ? ` with ${result.message.responseCode}` : ''} instead of asking for the PIN again, at only ${wrongPins(t)} wrong PIN(s) in this transaction (a terminal's own limit is at least ${PIN_TRY_FLOOR})`,
      ),
    );
  return found;
}

/** The fewest wrong PINs (55) in one transaction after which a terminal may stop asking on its own (§15.1). */
const PIN_TRY_FLOOR = 3;

function wrongPins(t: Transaction): number {
  return t.requests.filter((e) => e.answer?.fields?.[39] === '55' && mismatchedFields(e).length === 0).length;
}

/** The transaction ended after a 55 without asking for the PIN again (no `state` `pin`, no new request, not cancelled),
 * before the terminal's own limit could have been reached. */
function endedOnWrongPin(t: Transaction, answered: Date): boolean {
  const result = t.result;
  if (!result || result.at < answered || result.message.outcome === 'cancelled') return false;
  const askedAgain = t.events.some((e) => e.at >= answered && e.message.type === 'state' && e.message.state === 'pin');
  const sentAgain = t.requests.some((e) => e.request.at > answered);
  return !askedAgain && !sentAgain && wrongPins(t) < PIN_TRY_FLOOR;
}

/** A 75 in time ends the transaction: declined with 75, no PIN prompt, no new 0200. */
function pinTriesExceeded(t: Transaction, exchange: Exchange, timing: Timing): Finding[] {
  const { answer } = exchange;
  const unmatched = mismatchedFields(exchange).length > 0; // no answer at all, whatever its DE39
  if (timing !== 'in time' || answer?.fields?.[39] !== '75' || !answer.deliveredAt || unmatched) return [];
  const after = answer.deliveredAt;
  const found: Finding[] = [];
  const again = t.events.find((e) => e.at > after && e.message.type === 'state' && e.message.state === 'pin');
  if (again)
    found.push(
      finding(
        'pin-tries-exceeded',
        again.at,
        `${named(t)}: after the 75 (PIN tries exceeded) at ${localTimeOfDay(after)} the terminal asked for the PIN again at ${localTimeOfDay(again.at)}`,
      ),
    );
  const request = t.requests.find((e) => e.request.at > after);
  if (request)
    found.push(
      finding(
        'pin-tries-exceeded',
        request.request.at,
        `${named(t)}: after the 75 (PIN tries exceeded) the terminal sent another request (${describeNetwork(request.request)})`,
      ),
    );
  const result = t.result?.message;
  if (result && (result.outcome !== 'declined' || result.responseCode !== '75'))
    found.push(
      finding(
        'pin-tries-exceeded',
        t.result?.at ?? t.end,
        `${named(t)}: after the 75 (PIN tries exceeded) the result is "${result.outcome}"${result.responseCode ? ` with ${result.responseCode}` : ''}, not "declined" with 75`,
      ),
    );
  return found;
}

/** A result concluding this transaction, not a lastResult repeat of an earlier one (it names the earlier command). */
function ownResult(t: Transaction, result: { ref?: string | undefined }): boolean {
  return result.ref === undefined || result.ref === t.id;
}

function cancels(command: { type: string; keys?: unknown }): boolean {
  return (
    command.type === 'abort' ||
    (command.type === 'input.keys' && Array.isArray(command.keys) && command.keys.includes('CANCEL'))
  );
}
