// How the firmware reads the host's reply: outcome, what to show, whether the request must be reversed.
//   outcomeOf({ kind: 'response', message: { mti: '0210', fields: { 39: '51', ... } } }, 'zh-CN')
//     → { outcome: 'declined', display: ['余额不足', '交易失败'], result: { outcome: 'declined', responseCode: '51', ... } }

import type { Outcome } from '../../protocols/ecr/index.ts';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import type { HostReply } from './hostClient.ts';
import { prompt, responseText, type TextSource } from './texts.ts';

export interface HostOutcome {
  outcome: Outcome;
  /** display lines for a transaction that did not go through (approvals build their own screen) */
  display: string[];
  /** DE39 reason when the request must be reversed */
  reversal?: string;
  result: { outcome: Outcome; responseCode?: string; rrn?: string; authCode?: string; message?: string };
}

/** Reversal reason: no response from the host (timeout, connection lost after the request went out). */
export const REVERSAL_NO_RESPONSE = '98';
/** Reversal reason: a response the terminal cannot use (unreadable, no DE39, DE11/DE4/DE41 not those of the request). */
export const REVERSAL_BAD_RESPONSE = '96';

/** Data elements a response must echo unchanged when it carries them: STAN, amount, TID. */
const MATCHED_FIELDS = [11, 4, 41] as const;

/** The first field of a response that contradicts the request (DE11, DE4, DE41), or null when they match. */
export function mismatchedField(request: IsoMessage, response: IsoMessage): number | null {
  for (const de of MATCHED_FIELDS) {
    const sent = request.fields[de];
    const got = response.fields[de];
    if (sent !== undefined && got !== undefined && got !== sent) return de;
  }
  return null;
}

/** Maps a host reply to the transaction outcome, the failure screen, and the reversal decision; with the request,
 * a response that does not match it is unusable. */
export function outcomeOf(reply: HostReply, language: TextSource, request?: IsoMessage): HostOutcome {
  const declined = prompt(language, 'declined');
  switch (reply.kind) {
    case 'response': {
      const fields = reply.message.fields;
      const code = fields[39]?.trim();
      if (!code) return failed(language, 'badResponse', REVERSAL_BAD_RESPONSE);
      if (request && mismatchedField(request, reply.message) !== null) {
        return failed(language, 'badResponse', REVERSAL_BAD_RESPONSE);
      }
      const rrn = fields[37]?.trim();
      const authCode = fields[38]?.trim();
      const ids = { ...(rrn ? { rrn } : {}), ...(authCode ? { authCode } : {}) };
      if (code === '00') {
        return { outcome: 'approved', display: [], result: { outcome: 'approved', responseCode: code, ...ids } };
      }
      const text = responseText(language, code);
      return {
        outcome: 'declined',
        display: [text, declined],
        result: { outcome: 'declined', responseCode: code, ...(rrn ? { rrn } : {}), message: text },
      };
    }
    case 'timeout':
      return {
        ...failed(language, 'timeout', REVERSAL_NO_RESPONSE),
        outcome: 'timeout',
        result: timeoutResult(language),
      };
    case 'unreachable':
      return failed(language, 'hostUnreachable');
    case 'dropped':
      return failed(language, 'connectionLost', REVERSAL_NO_RESPONSE);
    case 'garbled':
      return failed(language, 'badResponse', REVERSAL_BAD_RESPONSE);
  }
}

/** The failure shown when a stored reversal could not be delivered before a transaction: no 0200 was sent. */
export function reversalPendingOutcome(language: TextSource): HostOutcome {
  const message = prompt(language, 'reversalPending');
  return {
    outcome: 'failed',
    display: [prompt(language, 'declined'), message],
    result: { outcome: 'failed', message },
  };
}

/** How the terminal ends a transaction itself at its own wrong-PIN limit: as for the host's 75 (PIN tries exceeded). */
export function pinTriesExceededOutcome(language: TextSource): HostOutcome {
  return outcomeOf({ kind: 'response', message: { mti: '0210', fields: { 39: '75' } } }, language);
}

function failed(
  language: TextSource,
  reason: 'timeout' | 'hostUnreachable' | 'connectionLost' | 'badResponse',
  reversal?: string,
): HostOutcome {
  const message = prompt(language, reason);
  return {
    outcome: 'failed',
    display: [prompt(language, 'declined'), message],
    ...(reversal ? { reversal } : {}),
    result: { outcome: 'failed', message },
  };
}

function timeoutResult(language: TextSource): HostOutcome['result'] {
  return { outcome: 'timeout', message: prompt(language, 'timeout') };
}
