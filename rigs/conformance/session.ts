// What every conformance check works with: the raw link, fresh message ids, the spec's timings, and the barrier
// `hello` (docs/protocol.md section 7) that tells "not acted on" from "not yet": whatever the terminal does about a
// frame it does before it answers the next hello.
//   const session = new Session(raw);
//   const barrier = await session.barrier();   // the frames between a mark and the barrier's info
//   const acted = session.actedOn(sent.mark, 'k-0003', barrier);

import { ACK_TIMEOUT_MS, ANSWER_MS, INTER_BYTE_TIMEOUT_MS, MARGIN_MS } from '../serial/linkFaults.ts';
import type { Finding } from './checks.ts';
import type { RawLink, Sent, SentFrame, TerminalFrame } from './rawLink.ts';

export { ACK_TIMEOUT_MS, ANSWER_MS, INTER_BYTE_TIMEOUT_MS, MARGIN_MS };
/** `info` after `hello` (section 5.4). */
export const INFO_MS = 2000;
/** How long a check waits for something that has no deadline of its own (an `error`, the frame it will NAK). */
export const WAIT_MS = 5000;
/** A retransmission "at once" after a NAK comes before half the ACK timeout: it cannot be the timeout's. */
export const IMMEDIATE_MS = ACK_TIMEOUT_MS / 2;
/** Scheduling on both sides: a lower bound ("not before the timeout") allows this much early. */
export const SLACK_MS = 50;

/** The barrier's answer, and the terminal's frames between a mark and it. */
export interface Barrier {
  /** The info answering the barrier hello; undefined when none came within WAIT_MS. */
  readonly info: TerminalFrame | undefined;
  /** Index just past the barrier info (or the end, when none came). */
  readonly end: number;
}

/** An answer to a frame: ACK or NAK with its SEQ, and how long after the frame's last byte it came. */
export interface Answer {
  readonly kind: 'ack' | 'nak';
  readonly seq: number;
  readonly ms: number;
}

/** One active check: it drives the terminal through the session and says what it found. */
export type Check = (s: Session) => Promise<Finding>;

/** True when the answer is the ACK of this SEQ. */
export function isAck(answer: Answer | undefined, seq: number): answer is Answer {
  return answer?.kind === 'ack' && answer.seq === seq;
}

export class Session {
  private counter = 0;
  /** The line as the last barrier left it: units received and writes made by then. */
  private quietAt = { units: -1, writes: -1 };

  constructor(
    readonly raw: RawLink,
    /** The currency a command carries (the rig's). */
    readonly currency: string,
  ) {}

  /** A message id no earlier message of this run used. */
  id(prefix = 'k'): string {
    this.counter += 1;
    return `${prefix}-${String(this.counter).padStart(4, '0')}`;
  }

  /** A hello with a fresh id. */
  hello(extra: Record<string, unknown> = {}): { type: 'hello'; id: string; protocol: string } {
    return { type: 'hello', id: this.id('h'), protocol: '1', ...extra };
  }

  /** The first ACK or NAK of the frame with this SEQ (or NAK 00) after a write, within timeoutMs; its time counted
   * from the last byte. A late ACK of an earlier frame is not its answer. */
  async answer(sent: Sent & { seq: number }, timeoutMs = WAIT_MS): Promise<Answer | undefined> {
    return this.raw.waitFor(
      sent.mark,
      (unit, at) =>
        (unit.kind === 'ack' && unit.seq === sent.seq) || (unit.kind === 'nak' && [sent.seq, 0].includes(unit.seq))
          ? { kind: unit.kind, seq: unit.seq, ms: Math.round(at - (sent.doneAt <= at ? sent.doneAt : sent.startedAt)) }
          : undefined,
      timeoutMs,
    );
  }

  /** The terminal's `info` naming this hello in `ref` (or, from a terminal that sends no ref, the next info). */
  info(from: number, helloId: string, timeoutMs = WAIT_MS): Promise<TerminalFrame | undefined> {
    return this.raw.waitForFrame(
      from,
      (f) => f.message?.type === 'info' && (f.message.ref === helloId || f.message.ref === undefined),
      timeoutMs,
    );
  }

  /** The `error` naming this command in `ref`, else the next error without ref, within timeoutMs. */
  error(from: number, commandId: string, timeoutMs = WAIT_MS): Promise<TerminalFrame | undefined> {
    return this.raw.waitForFrame(
      from,
      (f) => f.message?.type === 'error' && (f.message.ref === commandId || f.message.ref === undefined),
      timeoutMs,
    );
  }

  /** Sends a barrier hello (every frame of the terminal ACKed meanwhile) and waits for its info. */
  async barrier(): Promise<Barrier> {
    this.raw.acknowledgeAll(true);
    const hello = this.hello();
    const sent = await this.raw.sendFrame(hello);
    const info = await this.info(sent.mark, hello.id);
    this.quietAt = { units: this.raw.mark(), writes: this.raw.writes };
    return { info, end: info ? info.index + 1 : this.raw.mark() };
  }

  /** True when nothing crossed the line since the last barrier answered: no need for another. */
  get settled(): boolean {
    return this.quietAt.units === this.raw.mark() && this.quietAt.writes === this.raw.writes;
  }

  /** What the terminal sent about the command with this id between `from` and the barrier: a message naming it in
   * `ref`, or an `info` other than the barrier's (a terminal that sends no ref). */
  actedOn(from: number, id: string, barrier: Barrier): TerminalFrame[] {
    return this.raw
      .frames(from, barrier.end)
      .filter((f) => f.index !== barrier.info?.index)
      .filter((f) => f.message?.ref === id || (f.message?.type === 'info' && f.message.ref === undefined));
  }

  /** Sends a frame and returns it with its first answer. */
  async send(message: object | string | Buffer, seq?: number): Promise<{ sent: SentFrame; answer?: Answer }> {
    const sent = await this.raw.sendFrame(message, seq);
    const answer = await this.answer(sent);
    return answer ? { sent, answer } : { sent };
  }
}

/** "ACK 3 after 2 ms", "NAK 0 after 201 ms", "no ACK or NAK". */
export function describeAnswer(answer: Answer | undefined): string {
  return answer
    ? `${answer.kind.toUpperCase()} ${answer.seq} after ${answer.ms} ms`
    : `no ACK or NAK within ${WAIT_MS} ms`;
}

/** A message as the report names it: `info ref h-0002`, `error bad-message`. */
export function describeFrame(frame: TerminalFrame): string {
  const m = frame.message;
  if (!m) return `frame SEQ ${frame.seq} (not JSON)`;
  const code = typeof m.code === 'string' ? ` ${m.code}` : '';
  const ref = typeof m.ref === 'string' ? ` ref ${m.ref}` : '';
  return `${String(m.type)}${code}${ref}`;
}
