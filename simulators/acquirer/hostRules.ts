// The host's answer to each ISO 8583 request, by MTI (the ledger decides; this file reads fields and builds replies):
//   0800 → 0810 (DE70 001 sign-on, 002 sign-off, 301 echo → 00; others → 96)
//   0200 DE3 00xxxx purchase, 31xxxx balance inquiry (DE54) → 0210; other processing codes → 96, not journalled
//   0200 DE3 31xxxx with no card (no DE2, no DE35): posrig's merchant balance inquiry, DE54 the DE42 merchant's balance
//   0200 repeated (same MTI + DE41 + DE11 + DE7) → the first 0210 replayed (duplicatePolicy 'replay', the default;
//     recorded with the decision in one SQL transaction) or 94 ('decline-94'); nothing posted again — except under the
//     seeded 'double-post-duplicate'
//   0400 → 0410 (00 reversed or already reversed, 25 original not found)
//   any other request MTI (third digit even) → MTI + 10 with DE39 96; a response-class MTI → close the connection

import {
  availableBalanceAmounts,
  type IsoFields,
  type IsoMessage,
  responseMti,
} from '../../protocols/iso8583/index.ts';
import type { Authorization } from './authorization.ts';
import type { DuplicatePolicy, HostDefect } from './hostPolicy.ts';
import { panOf, purchaseRequestFrom, reversalRequestFrom, text } from './isoRequest.ts';
import type { AnsweredRequest, Ledger } from './ledger.ts';
import type { ReversalOutcome } from './reversal.ts';

export interface HostContext {
  ledger: Ledger;
  pinKey: string;
  now: Date;
  duplicatePolicy?: DuplicatePolicy; // default 'replay'
  defects?: readonly HostDefect[]; // seeded host defects (hostPolicy.ts); none by default
}

export type HostAnswer = { kind: 'reply'; message: IsoMessage } | { kind: 'close'; reason: string };

const ECHO_0810 = [7, 11, 41, 70];
const ECHO_0210 = [2, 3, 4, 7, 11, 12, 13, 41, 42, 49];
const ECHO_0410 = [2, 3, 4, 7, 11, 41, 42, 49];
const NETWORK_CODES = new Set(['001', '002', '301']);

/** What the host sends back for one request (or that it closes the connection). */
export function answerRequest(request: IsoMessage, context: HostContext): HostAnswer {
  switch (request.mti) {
    case '0800':
      return reply('0810', request, ECHO_0810, { 39: NETWORK_CODES.has(text(request, 70) ?? '') ? '00' : '96' });
    case '0200':
      return { kind: 'reply', message: financial(request, context) };
    case '0400':
      return { kind: 'reply', message: reversal(request, context) };
    default:
      return malfunction(request);
  }
}

/** The +10 response with DE39 96 (system malfunction), or 'close' when the MTI is not a request. */
export function malfunction(request: IsoMessage): HostAnswer {
  const mti = responseMti(request.mti);
  if (mti === null) return { kind: 'close', reason: `MTI ${request.mti} is not a request the host can answer` };
  const echo = request.mti === '0200' ? ECHO_0210 : request.mti === '0400' ? ECHO_0410 : [7, 11, 41];
  return reply(mti, request, echo, { 39: '96' });
}

function financial(request: IsoMessage, context: HostContext): IsoMessage {
  const [tid, stan, transmission] = [text(request, 41), text(request, 11), text(request, 7)];
  if (tid !== null && stan !== null && transmission !== null) {
    const seen = context.ledger.findRequest(request.mti, tid, stan, transmission);
    if (seen) return duplicate(request, seen, context);
  }
  const processing = text(request, 3) ?? '';
  const ledgerRequest = purchaseRequestFrom(request, context.pinKey, context.now);
  // The 0210 is recorded in the decision's own SQL transaction: a crash can never leave money posted without the
  // answer a duplicate must replay.
  const respond = (auth: Authorization) => JSON.stringify(financialResponse(request, auth));
  let auth: Authorization;
  if (processing.startsWith('00')) auth = context.ledger.authorizePurchase(ledgerRequest, context.defects, respond);
  else if (processing.startsWith('31')) {
    // No card at all: posrig's merchant balance inquiry (a real host would refuse it).
    auth =
      panOf(request) === ''
        ? context.ledger.inquireMerchantBalance(ledgerRequest, respond)
        : context.ledger.inquireBalance(ledgerRequest, respond);
  } else return message('0210', request, ECHO_0210, { 39: '96' });
  return financialResponse(request, auth);
}

/** The 0210 for a decision: the request's echo fields, DE37 RRN, DE38 auth code, DE39, DE54 for a balance. */
function financialResponse(request: IsoMessage, auth: Authorization): IsoMessage {
  const extra: IsoFields = { 37: auth.rrn, 39: auth.responseCode };
  if (auth.authCode !== null) extra[38] = auth.authCode;
  if (auth.balance !== null) extra[54] = availableBalanceAmounts(auth.balance);
  return message('0210', request, ECHO_0210, extra);
}

/**
 * A repeated 0200: the first answer replayed, or 94 under 'decline-94'; the seeded 'double-post-duplicate' defect posts
 * it once more. A purchase journalled without a recorded answer (a ledger file from before answers were recorded with
 * the decision) is answered from its journal entry, so money posted is never answered 94 under 'replay'.
 */
function duplicate(request: IsoMessage, seen: AnsweredRequest, context: HostContext): IsoMessage {
  const defects = context.defects ?? [];
  if (defects.includes('double-post-duplicate') && (text(request, 3) ?? '').startsWith('00')) {
    context.ledger.authorizePurchase(purchaseRequestFrom(request, context.pinKey, context.now), defects);
  }
  const declined94 = message('0210', request, ECHO_0210, { 39: '94' });
  if ((context.duplicatePolicy ?? 'replay') === 'decline-94') return declined94;
  if (seen.response !== null) return JSON.parse(seen.response) as IsoMessage;
  const { kind, rrn, authCode, responseCode, posted } = seen.entry;
  if (kind !== 'purchase' || rrn === null) return declined94;
  return financialResponse(request, { journalId: seen.journalId, responseCode, rrn, authCode, posted, balance: null });
}

function reversal(request: IsoMessage, context: HostContext): IsoMessage {
  const respond = (outcome: ReversalOutcome) => JSON.stringify(reversalResponse(request, outcome));
  return reversalResponse(
    request,
    context.ledger.reverse(reversalRequestFrom(request, context.now), context.defects, respond),
  );
}

function reversalResponse(request: IsoMessage, outcome: ReversalOutcome): IsoMessage {
  return message('0410', request, ECHO_0410, { 39: outcome.responseCode });
}

function reply(mti: string, request: IsoMessage, echo: readonly number[], extra: IsoFields): HostAnswer {
  return { kind: 'reply', message: message(mti, request, echo, extra) };
}

function message(mti: string, request: IsoMessage, echo: readonly number[], extra: IsoFields): IsoMessage {
  const fields: IsoFields = {};
  for (const n of echo) {
    const value = request.fields[n];
    if (value !== undefined) fields[n] = value;
  }
  return { mti, fields: { ...fields, ...extra } };
}
