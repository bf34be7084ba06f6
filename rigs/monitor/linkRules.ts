// The behaviour monitor's rules for the serial link (docs/protocol.md sections 4.1, 4.5, 5.2, 5.3.2): how the terminal
// answered each fault the harness injected on the link (rigs/serial/linkFaults.ts). Pure: observations and the
// terminal history in, findings out; an observation still being watched (not settled) is judged only on what already
// broke a rule.
//   await rig.link.settled();  linkFindings(rig.link.observations(from), rig.terminal.history.all(from))
//     → [{ rule: 'link-nak', at, culprit: 'firmware defect', message: 'the damaged frame SEQ 3 ("sale" …) written at 11:32:01.120 got no NAK …' }]

import { maskPansIn } from '../../protocols/domain/pan.ts';
import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { EcrMessage } from '../../protocols/ecr/index.ts';
import {
  ACK_TIMEOUT_MS,
  ANSWER_MS,
  INTER_BYTE_TIMEOUT_MS,
  type LinkAnswer,
  type LinkObservation,
  MARGIN_MS,
} from '../serial/linkFaults.ts';
import { TRANSACTION_COMMANDS } from '../terminal/transactionEnd.ts';
import type { RuleId } from './catalogue.ts';

export interface LinkEvent {
  readonly at: Date;
  readonly dir: 'in' | 'out';
  readonly message: EcrMessage;
}

/** One broken link rule (the shape of the monitor's findings, rigs/monitor/finding.ts). */
export interface LinkFinding {
  readonly rule: RuleId;
  /** When it happened: the wrong answer, or the fault left unanswered. */
  readonly at: Date;
  readonly message: string;
  readonly culprit: 'firmware defect';
}

/** How late a NAK may come after the damaged frame: the answer time and a margin, plus the inter-byte timeout the
 * terminal must wait out before it can call a frame truncated. */
export const NAK_WITHIN_MS = {
  corrupt: ANSWER_MS + MARGIN_MS,
  truncate: INTER_BYTE_TIMEOUT_MS + ANSWER_MS + MARGIN_MS,
};
/** How late the retransmission of a frame whose ACK was lost may come: the ACK timeout and a margin. */
export const RESEND_WITHIN_MS = ACK_TIMEOUT_MS + MARGIN_MS;

/** Every rule the terminal broke in answer to the link faults observed; empty when it answered each one right. */
export function linkFindings(observations: readonly LinkObservation[], events: readonly LinkEvent[]): LinkFinding[] {
  return observations
    .flatMap((o) => judge(o, events))
    .map((found) => ({ ...found, message: maskPansIn(found.message) }));
}

function judge(o: LinkObservation, events: readonly LinkEvent[]): LinkFinding[] {
  switch (o.fault) {
    case 'corrupt':
    case 'truncate':
      return damaged(o);
    case 'duplicate':
      return duplicated(o, events);
    case 'noise':
      return noise(o);
    case 'lose-ack':
      return ackLost(o);
  }
}

/** §4.5: a damaged (bad CRC) or truncated frame is NAKed in time, and not taken as intact. */
function damaged(o: LinkObservation): LinkFinding[] {
  const truncated = o.fault === 'truncate';
  const what = `the ${truncated ? 'truncated' : 'damaged (bad CRC)'} frame SEQ ${o.seq}${named(o)} written at ${time(o.at)}`;
  const beforeResend = o.answers.filter((a) => !o.harnessResentAt || a.at <= o.harnessResentAt);
  const nak = o.answers.find((a) => a.kind === 'nak' && (a.seq === o.seq || (truncated && a.seq === 0)));
  const ack = beforeResend.find((a) => a.kind === 'ack' && a.seq === o.seq);
  if (ack && (!nak || ack.at < nak.at))
    return [
      finding('link-nak', ack.at, `${what} was ACKed at ${time(ack.at)}: the terminal took a damaged frame as intact`),
    ];
  const within = NAK_WITHIN_MS[truncated ? 'truncate' : 'corrupt'];
  if (nak && elapsed(o.at, nak.at) > within)
    return [
      finding(
        'link-nak',
        nak.at,
        `${what} was NAKed late, at ${time(nak.at)} (${elapsed(o.at, nak.at)} ms; allowed ${within} ms)`,
      ),
    ];
  if (nak || !o.settledAt) return [];
  const wanted = truncated ? `NAK ${o.seq} or NAK 0` : `NAK ${o.seq}`;
  return [
    finding(
      'link-nak',
      o.at,
      `${what} got no ${wanted} within ${within} ms (the terminal answered ${answered(o.answers)} until ${time(o.settledAt)}): a damaged frame must be NAKed`,
    ),
  ];
}

/** §5.3.2: a frame received again is ACKed again and not acted on a second time. */
function duplicated(o: LinkObservation, events: readonly LinkEvent[]): LinkFinding[] {
  const findings: LinkFinding[] = [];
  const what = `the frame SEQ ${o.seq}${named(o)} written twice at ${time(o.at)}`;
  const acks = o.answers.filter((a) => a.kind === 'ack' && a.seq === o.seq);
  if (o.settledAt && acks.length < 2)
    findings.push(
      finding(
        'link-duplicate',
        o.at,
        `${what} was ACKed ${acks.length === 1 ? 'once' : `${acks.length} times`} (the terminal answered ${answered(o.answers)}): the copy must be ACKed again`,
      ),
    );
  const acted = actedTwice(o, events);
  if (acted) findings.push(finding('link-duplicate', acted.at, `${what} was acted on twice: ${acted.why}`));
  return findings;
}

/** What shows that the terminal acted on the command twice, or undefined: two answers naming it, or a transaction it
 * started and then refused the copy of as a new command. */
function actedTwice(o: LinkObservation, events: readonly LinkEvent[]): { at: Date; why: string } | undefined {
  const command = o.message;
  if (!command) return undefined;
  const after = events.filter((e) => e.dir === 'in' && e.at >= o.at);
  const answers = after.filter((e) => refOf(e.message) === command.id);
  const second = answers[1];
  if (second)
    return {
      at: second.at,
      why: `the terminal answered "${command.type}" ${command.id} ${answers.length} times: ${answers.map(describe).join(', ')}`,
    };
  const refusal = answers.find((e) => e.message.type === 'error');
  if (!refusal || !TRANSACTION_COMMANDS.has(command.type)) return undefined;
  const started = after.find(
    (e) => e.at <= refusal.at && e !== refusal && e.message.type === 'state' && e.message.state !== 'idle',
  );
  if (!started) return undefined;
  return {
    at: refusal.at,
    why: `the terminal started the "${command.type}" (${describe(started)}), then refused the copy as a new command (${describe(refusal)})`,
  };
}

/** §4.1: noise is discarded, never NAKed. */
function noise(o: LinkObservation): LinkFinding[] {
  const naks = o.answers.filter((a) => a.kind === 'nak');
  const first = naks[0];
  if (!first) return [];
  const list = naks.map((a) => `NAK ${a.seq} at ${time(a.at)}`).join(', ');
  return [
    finding(
      'link-noise',
      first.at,
      `noise written at ${time(o.at)} before the intact frame SEQ ${o.seq}${named(o)} was answered with ${list}: noise must not be NAKed`,
    ),
  ];
}

/** §5.2: a frame whose ACK was lost is sent again, same SEQ and payload, after the ACK timeout. */
function ackLost(o: LinkObservation): LinkFinding[] {
  const what = `the terminal's frame SEQ ${o.seq}${named(o)}, whose ACK was lost at ${time(o.at)},`;
  const resent = o.resent;
  if (resent && resent.seq !== o.seq)
    return [
      finding(
        'link-retransmit',
        resent.at,
        `${what} was not sent again: the next frame, at ${time(resent.at)}, had SEQ ${resent.seq}${resent.type ? ` ("${resent.type}")` : ''} (a retransmission keeps its SEQ)`,
      ),
    ];
  if (resent && !resent.samePayload)
    return [
      finding(
        'link-retransmit',
        resent.at,
        `${what} was sent again at ${time(resent.at)} with SEQ ${resent.seq} but another payload${resent.type ? ` ("${resent.type}")` : ''} (a retransmission keeps its payload)`,
      ),
    ];
  if (resent && elapsed(o.at, resent.at) > RESEND_WITHIN_MS)
    return [
      finding(
        'link-retransmit',
        resent.at,
        `${what} was sent again late, at ${time(resent.at)} (${elapsed(o.at, resent.at)} ms; allowed ${RESEND_WITHIN_MS} ms)`,
      ),
    ];
  if (resent || !o.settledAt) return [];
  return [finding('link-retransmit', o.at, `${what} was not sent again within ${RESEND_WITHIN_MS} ms`)];
}

function finding(rule: RuleId, at: Date, message: string): LinkFinding {
  return { rule, at, message, culprit: 'firmware defect' };
}

function refOf(message: EcrMessage): string | undefined {
  return 'ref' in message && typeof message.ref === 'string' ? message.ref : undefined;
}

function describe(event: LinkEvent): string {
  const m = event.message;
  const detail =
    m.type === 'error' ? ` ${m.code}` : m.type === 'result' ? ` ${m.outcome}` : m.type === 'state' ? ` ${m.state}` : '';
  return `${m.type}${detail} at ${time(event.at)}`;
}

function named(o: LinkObservation): string {
  return o.message ? ` ("${o.message.type}" ${o.message.id})` : '';
}

function answered(answers: readonly LinkAnswer[]): string {
  if (answers.length === 0) return 'nothing';
  return answers.map((a) => `${a.kind.toUpperCase()} ${a.seq} at ${time(a.at)}`).join(', ');
}

function elapsed(from: Date, to: Date): number {
  return to.getTime() - from.getTime();
}

function time(at: Date): string {
  return localTimeOfDay(at);
}
