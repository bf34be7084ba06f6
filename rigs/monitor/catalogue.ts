// The behaviour monitor's rules: every MUST / MUST NOT of docs/protocol.md sections 4–6, 9–11 and 15 that can be
// judged from the terminal's events, the link and the network trace, each with an id and the clause it enforces.
// The ids are stable: verdicts, the self-check and the report's certification matrix name rules by them.
//   RULES['approval-after-host'].clause → '§10.7, §15.2'

export interface RuleInfo {
  /** The clause of docs/protocol.md the rule enforces. */
  readonly clause: string;
  /** What must hold, in one line. */
  readonly rule: string;
}

export const RULES = {
  'event-valid': { clause: '§6, §9, §11', rule: 'every event the terminal sends is valid against the schema' },
  'pan-masked': { clause: '§6', rule: 'no event carries a clear card number (at most the first 6 and last 4 digits)' },
  'info-tid': {
    clause: '§9 info',
    rule: "the TID in `info` is the one the terminal sends as DE41, and the rig's terminal.id (else a rig fault)",
  },
  'one-result': {
    clause: '§10.1, §10.2',
    rule: 'a transaction ends with exactly one `result`; a refused command gets an `error` and no `result`',
  },
  'result-last': {
    clause: '§10.1',
    rule: "the `result` is the transaction's last event: no receipt copy of it is printed after it",
  },
  'merchant-copy-first': { clause: '§10.3', rule: 'the merchant copy is printed before the cardholder copy' },
  'copy-once': {
    clause: '§15.4',
    rule: 'each copy is printed once; a copy printed again is a reprint, marked (`reprint: true` and the DUPLICATE line)',
  },
  'reprint-last-receipt': {
    clause: '§8, §15.4',
    rule: 'a reprint repeats the last receipt: the amount and card of the last approved transaction, never a transaction that was not approved',
  },
  'approval-after-host': {
    clause: '§10.7, §15.2',
    rule: 'no approval display, voice or `approved` result before the host answered this transaction with DE39 00',
  },
  'outcome-agree': {
    clause: '§10.7, §15.2.2',
    rule: 'display, voice, receipt and result agree: a transaction not approved shows and says no approval and prints no receipt; an approved one shows no failure',
  },
  'timeout-outcome': {
    clause: '§15.2.2',
    rule: 'no 0210 within the response timeout: outcome `timeout` and a 0400 with DE39 98',
  },
  'late-response-discarded': {
    clause: '§15.2.5',
    rule: 'a 0210 that arrives after the response timeout never changes the outcome',
  },
  'response-matches-request': {
    clause: '§15.2.2',
    rule: 'a 0210 whose DE4, DE11 or DE41 are not those sent is no answer: outcome `failed` and a 0400 with DE39 96',
  },
  'cancel-reversal': {
    clause: '§15.2.2',
    rule: 'a transaction cancelled while its request is out ends `cancelled` and is reversed with DE39 17',
  },
  'wrong-pin-not-reversed': {
    clause: '§15.1',
    rule: 'a request answered 55 is never reversed and gets no `result`: the terminal asks for the PIN again (on its own it may stop at its third 55, as for 75)',
  },
  'pin-tries-exceeded': {
    clause: '§15.1',
    rule: 'after a 75 the transaction ends `declined` with 75: no new PIN prompt, no new 0200',
  },
  'stan-new': {
    clause: '§15.1, §15.3',
    rule: 'every 0200 and 0800 the terminal sends carries a STAN it has not used before, also after a power cut',
  },
  'reversal-reported': {
    clause: '§9 reversal',
    rule: 'a reversal is reported `stored` before its first `sent`, and every 0400 that leaves is reported `stored`',
  },
  'reversal-fields': {
    clause: '§15.2.3',
    rule: "a 0400 carries the original's DE11, DE2/DE3/DE4/DE41/DE42/DE49, and DE90 = original MTI + STAN + DE7 + 22 zeros",
  },
  'reversal-before-next-request': {
    clause: '§15.2.4',
    rule: 'no 0200 leaves while a reversal is due: the reversal is delivered (0410) first',
  },
  'power-cut-reversal': {
    clause: '§15.3',
    rule: 'a request outstanding at a power cut is reversed with DE39 06 after power-up; a reversal out at the cut (0400 sent, no 0410) is sent again',
  },
  'power-up-order': {
    clause: '§15.3',
    rule: 'after power-up the unsolicited `info` comes before any reversal event, and the 0800 sign-on before any 0400 or 0200',
  },
  'link-nak': { clause: '§4.5, §11', rule: 'a damaged frame is NAKed and nothing of it is delivered' },
  'link-duplicate': {
    clause: '§5.3.2',
    rule: 'a frame received again (same SEQ and payload) is ACKed again and not acted on a second time',
  },
  'link-retransmit': {
    clause: '§5.2',
    rule: 'a frame whose ACK was lost is sent again with the same SEQ and payload, and delivered once',
  },
  'link-noise': { clause: '§4.1', rule: 'noise between frames is discarded and never NAKed' },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

/** Every rule id, in catalogue order. */
export const RULE_IDS: readonly RuleId[] = Object.keys(RULES) as RuleId[];
