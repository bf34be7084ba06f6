// The link conformance checks: one per MUST of docs/protocol.md sections 2–7 and 11 that the harness side can test,
// each with its id, its clause and the rule in one line (docs/conformance.md explains each).
//   CHECKS['nak-bad-crc'] → { clause: '§3, §4.3, §4.5', must: 'a frame with a bad CRC is NAKed …' }

import type { Defect } from '../../simulators/terminal/index.ts';

export const CHECK_IDS = [
  'frame-ack',
  'ack-time',
  'split',
  'noise',
  'nak-bad-crc',
  'nak-bad-etx',
  'oversize',
  'truncated',
  'retransmit-nak',
  'retransmit-silence',
  'give-up',
  'ack-other-seq',
  'duplicate',
  'same-seq-new-payload',
  'hello-info',
  'hello-keeps-state',
  'unsupported-protocol',
  'unknown-field',
  'bad-json',
  'bad-field',
  'unknown-command',
  'unexpected',
  'terminal-frames',
  'event-valid',
  'ids-unique',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export interface CheckRule {
  /** Where docs/protocol.md says it. */
  readonly clause: string;
  /** The rule, as the terminal must keep it. */
  readonly must: string;
}

export const CHECKS: Readonly<Record<CheckId, CheckRule>> = {
  'frame-ack': {
    clause: '§2, §3, §5.3.1',
    must: 'a correctly framed command (CRC-16/CCITT-FALSE) is ACKed with its SEQ',
  },
  'ack-time': { clause: '§5.4', must: 'ACK within 100 ms of the frame’s last byte' },
  split: { clause: '§4', must: 'a frame written one byte at a time is received as one frame' },
  noise: { clause: '§4.1, §11', must: 'noise before a frame is discarded without a NAK; the frame is ACKed' },
  'nak-bad-crc': { clause: '§3, §4.3, §4.5', must: 'a frame with a bad CRC is NAKed within 100 ms and not acted on' },
  'nak-bad-etx': { clause: '§4.3, §4.5', must: 'a frame with a bad ETX is NAKed within 100 ms and not acted on' },
  oversize: { clause: '§2, §4.2, §4.5', must: 'a frame with LEN above 4096 is NAKed within 100 ms and not acted on' },
  truncated: {
    clause: '§4.4, §4.5',
    must: 'a frame cut short is NAKed after the 200 ms inter-byte timeout (within 100 ms more) and not acted on',
  },
  'retransmit-nak': { clause: '§5.2.3', must: 'a NAKed frame is sent again at once, same SEQ and payload' },
  'retransmit-silence': {
    clause: '§5.2.4',
    must: 'a frame not ACKed is sent again after the 300 ms ACK timeout, same SEQ and payload',
  },
  'give-up': {
    clause: '§5.2, §5.2.5',
    must: 'a frame never ACKed goes at most 4 times, one frame in flight, then the next message takes the next SEQ',
  },
  'ack-other-seq': { clause: '§5.2.2', must: 'an ACK naming another SEQ does not complete the frame in flight' },
  duplicate: { clause: '§5.3.2', must: 'the same frame twice (SEQ and payload) is ACKed twice and acted on once' },
  'same-seq-new-payload': { clause: '§5.3.2', must: 'the same SEQ with another payload is a new message, acted on' },
  'hello-info': { clause: '§7, §5.4', must: 'hello is answered by exactly one info within 2 s' },
  'hello-keeps-state': {
    clause: '§7',
    must: 'hello during a transaction is answered by info and leaves the transaction as it was',
  },
  'unsupported-protocol': {
    clause: '§7',
    must: 'hello asking another protocol version is answered by error unsupported-protocol, not info',
  },
  'unknown-field': { clause: '§6', must: 'fields the terminal does not know are ignored' },
  'bad-json': {
    clause: '§5.3.3, §11',
    must: 'an intact frame that is not JSON is ACKed and answered by error bad-message',
  },
  'bad-field': {
    clause: '§6, §11',
    must: 'a known field with an invalid value is answered by error bad-message naming the command in ref',
  },
  'unknown-command': {
    clause: '§11, §13',
    must: 'a command type the terminal does not know is answered by error unsupported naming it in ref',
  },
  unexpected: { clause: '§11', must: 'a terminal event type sent to the terminal is answered by error unexpected' },
  'terminal-frames': {
    clause: '§2, §3, §4',
    must: 'every frame the terminal sent is whole: correct ETX and CRC, LEN ≤ 4096, nothing between units',
  },
  'event-valid': {
    clause: '§6',
    must: 'every message the terminal sent is a JSON object with a string type and id (1–64)',
  },
  'ids-unique': { clause: '§6', must: 'the terminal never gives two different messages the same id' },
};

/** The seeded link defects of the simulated terminal, and the checks each fails (every other check passes). */
export const CAUGHT_BY: Readonly<Partial<Record<Defect, readonly CheckId[]>>> = {
  'link-no-crc-check': ['nak-bad-crc'],
  'link-slow-ack': ['ack-time'],
  'link-nak-ignored': ['retransmit-nak'],
  'link-no-retransmit': ['retransmit-silence'],
  'link-endless-retransmit': ['give-up'],
  'link-any-ack': ['ack-other-seq'],
  'link-no-interbyte-timeout': ['truncated'],
  'link-accepts-oversize': ['oversize'],
  'link-ignores-bad-json': ['bad-json'],
  'link-unknown-command-silent': ['unknown-command'],
  'link-slow-info': ['hello-info'],
  'link-naks-noise': ['noise'],
  'link-any-protocol': ['unsupported-protocol'],
  'no-nak': ['nak-bad-crc', 'nak-bad-etx', 'oversize', 'truncated'],
  'duplicate-acted': ['duplicate'],
};

/** One check's verdict: what was seen, in one line ("ACK 0 after 3 ms"). */
export interface CheckResult {
  readonly id: CheckId;
  readonly clause: string;
  readonly must: string;
  readonly pass: boolean;
  readonly seen: string;
}

/** What a check found. */
export interface Finding {
  readonly pass: boolean;
  readonly seen: string;
}

export const pass = (seen: string): Finding => ({ pass: true, seen });
export const fail = (seen: string): Finding => ({ pass: false, seen });
