// The online phase of a transaction: deliver stored reversals first, take a STAN, store the pending-reversal record,
// send the 0200, read the reply, then clear the record or make the reversal due. Seeded defects that bend these
// rules are checked here (stan-reused, late-response-accepted, success-on-timeout, no-reversal-on-timeout,
// unlimited-pin-retries, timeout-reported-failed, wrong-pin-reversed, sale-before-reversal, cancel-not-reversed,
// mismatch-accepted).
//   const step = await goOnline(deps, { kind: 'sale', card, amount, pinBlock, signal });
//   step.kind: 'done' (outcome to show) | 'pin-retry' (55: ask again) | 'blocked' (reversal undelivered) | 'abandoned'

import type { Money } from '../../protocols/domain/money.ts';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import type { Clock } from './clock.ts';
import type { ResolvedTerminalConfig } from './config.ts';
import type { DefectSet } from './defects.ts';
import type { HostReply } from './hostClient.ts';
import { type CardRead, financialRequest } from './isoRequest.ts';
import { type HostOutcome, outcomeOf, REVERSAL_BAD_RESPONSE } from './outcome.ts';
import type { TransactionKind } from './receipt.ts';
import type { HostExchange, ReversalSender } from './reversalSender.ts';
import type { ReversalStore } from './reversalStore.ts';
import type { StanCounter } from './stan.ts';

export interface OnlineDeps {
  config: ResolvedTerminalConfig;
  host: HostExchange;
  stans: StanCounter;
  reversals: ReversalStore;
  sender: ReversalSender;
  clock: Clock;
  defects: DefectSet;
  /** false once the power is gone: nothing more may be stored or shown */
  powered: () => boolean;
}

export interface OnlineRequest {
  kind: TransactionKind;
  card: CardRead;
  amount: Money;
  pinBlock?: string;
  /** aborted when the transaction is cancelled (abort, reset) */
  signal: AbortSignal;
  /** called the moment the 0200 has been written to the host connection */
  onSent?: () => void;
}

export type OnlineStep =
  | { kind: 'done'; stan: string; at: Date; outcome: HostOutcome }
  | { kind: 'pin-retry'; stan: string }
  | { kind: 'blocked' }
  | { kind: 'abandoned' };

/** DE39 reason recorded when a transaction already sent to the host is abandoned (customer cancellation). */
export const REVERSAL_CANCELLED = '17';
/** With the 'late-response-accepted' defect the terminal waits this many response timeouts for the 0210. */
export const LATE_WAIT_FACTOR = 4;

/** The STAN for the next message: the next one, or the last one again with the 'stan-reused' defect. */
export function takeStan(stans: StanCounter, defects: DefectSet): string {
  return defects.has('stan-reused') ? (stans.current ?? stans.next()) : stans.next();
}

/** Runs the online phase of one request; the firmware shows the step it returns. */
export async function goOnline(deps: OnlineDeps, input: OnlineRequest): Promise<OnlineStep> {
  const { config, host, stans, reversals, sender, clock, defects } = deps;
  // the 'sale-before-reversal' defect sends the 0200 without delivering the due reversals first
  const cleared = defects.has('sale-before-reversal') || (await sender.settle());
  if (!deps.powered() || input.signal.aborted) return { kind: 'abandoned' };
  if (!cleared) return { kind: 'blocked' };

  const at = clock();
  const stan = takeStan(stans, defects);
  const { tid, mid } = config;
  const request = financialRequest({ ...input, stan, at, tid, mid });
  reversals.arm({ stan, transmission: request.fields[7] ?? '', request, armedAt: at });
  const late = defects.has('late-response-accepted');
  let reply: HostReply;
  try {
    reply = await host.exchange(request, {
      signal: input.signal,
      ...(input.onSent ? { onSent: input.onSent } : {}),
      ...(late ? { timeoutMs: config.responseTimeoutMs * LATE_WAIT_FACTOR } : {}),
    });
  } catch (error) {
    reply = { kind: 'unreachable', reason: (error as Error).message };
  }
  if (!deps.powered()) return { kind: 'abandoned' };
  if (input.signal.aborted) {
    // cancelled while online: reverse whatever the host may have approved
    const declined = reply.kind === 'response' && reply.message.fields[39] !== '00';
    const forgotten = defects.has('cancel-not-reversed'); // the defect: a cancelled request is never reversed
    if (reply.kind === 'unreachable' || declined || forgotten) reversals.clear(stan);
    else sender.due(stan, REVERSAL_CANCELLED);
    return { kind: 'abandoned' };
  }

  const outcome = outcomeWithDefects(reply, request, deps);
  const code = outcome.result.responseCode;
  if (code === '55' || (code === '75' && defects.has('unlimited-pin-retries'))) {
    // a finished, declined request: nothing to reverse (the 'wrong-pin-reversed' defect reverses it all the same)
    if (defects.has('wrong-pin-reversed')) sender.due(stan, REVERSAL_BAD_RESPONSE);
    else reversals.clear(stan);
    return { kind: 'pin-retry', stan };
  }
  if (outcome.reversal) sender.due(stan, outcome.reversal);
  else reversals.clear(stan);
  return { kind: 'done', stan, at, outcome };
}

function outcomeWithDefects(reply: HostReply, request: IsoMessage, deps: OnlineDeps): HostOutcome {
  // the 'mismatch-accepted' defect does not compare the answer's DE4, DE11, DE41 with the request's
  const outcome = outcomeOf(reply, deps.config, deps.defects.has('mismatch-accepted') ? undefined : request);
  if (reply.kind !== 'timeout') return outcome;
  if (deps.defects.has('success-on-timeout')) {
    return { outcome: 'approved', display: [], result: { outcome: 'approved', responseCode: '00' } };
  }
  if (deps.defects.has('no-reversal-on-timeout')) {
    const { reversal: _dropped, ...rest } = outcome;
    return rest;
  }
  if (deps.defects.has('timeout-reported-failed')) {
    return { ...outcome, outcome: 'failed', result: { ...outcome.result, outcome: 'failed' } };
  }
  return outcome;
}
