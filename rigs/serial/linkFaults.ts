// Faults on the ECR serial link itself, injected on the harness side of any serial rig (mock pair, socat PTY, a real
// /dev/tty): a Duplex between the port and the harness's EcrLink, so protocols/ecr stays as it is.
//   const faults = new SerialLinkFaults(port);  const link = new EcrLink(faults.stream);
//   faults.arm('corrupt');  await terminal.startSale(…);  faults.observations() → [{ fault: 'corrupt', seq: 1, … }]
// Each armed fault is one-shot and hits the next matching unit on the wire:
//   lose-ack  — the ACK the harness writes for the terminal's next frame is not written;
//   corrupt   — one payload byte of the harness's next command frame is changed (its CRC then fails);
//   duplicate — the harness's next command frame is written twice;
//   noise     — noise bytes (never 0x02, 0x06, 0x15) are written just before the next command frame;
//   truncate  — only the first part of the next command frame is written, then nothing more until the terminal NAKs
//               it (after its 200 ms inter-byte timeout) or the NAK is overdue; then the harness's link sends it again.
// "The next command" is the next command frame other than `hello`: the driver sends a barrier hello after every
// command (docs/protocol.md section 7), so a step's fault lands on the command the step means, not on the barrier.
// The wrapper also watches the terminal's answer (ACK/NAK, its retransmission) and records LinkObservations.

import { Duplex } from 'node:stream';
import { clock, type Timer } from '../../protocols/domain/clock.ts';
import { ACK, FrameDecoder, STX } from '../../protocols/ecr/frame.ts';

export type LinkFaultKind = 'lose-ack' | 'corrupt' | 'duplicate' | 'noise' | 'truncate';

export const LINK_FAULT_KINDS: readonly LinkFaultKind[] = ['lose-ack', 'corrupt', 'duplicate', 'noise', 'truncate'];

/** A control unit the terminal wrote while an observation was open. */
export interface LinkAnswer {
  readonly kind: 'ack' | 'nak';
  readonly seq: number;
  readonly at: Date;
}

/** A frame the terminal sent after the ACK of its frame was lost: a retransmission when SEQ and payload match. */
export interface LinkResend {
  readonly at: Date;
  readonly seq: number;
  readonly samePayload: boolean;
  /** The resent frame's message type, when its payload is JSON with a `type`. */
  readonly type?: string;
}

/** What one injected fault did and how the terminal reacted. Times are the moments the harness side saw the bytes. */
export interface LinkObservation {
  readonly fault: LinkFaultKind;
  /** When the fault was applied: the damaged, duplicated or noisy write left the harness, or the ACK was dropped. */
  readonly at: Date;
  /** SEQ of the frame concerned: the harness's command frame, or (lose-ack) the terminal's frame. */
  readonly seq: number;
  /** The message in that frame (type and id, read from its JSON); undefined when it is not readable JSON. */
  readonly message?: { readonly type: string; readonly id: string };
  /** Every ACK and NAK the terminal wrote from `at` until the observation settled. */
  readonly answers: readonly LinkAnswer[];
  /** lose-ack: the next frame the terminal sent (its retransmission, if it kept SEQ and payload). */
  readonly resent?: LinkResend;
  /** corrupt, truncate: when the harness's link sent the frame again (after a NAK or its ACK timeout). */
  readonly harnessResentAt?: Date;
  /** When the observation window closed; an unsettled observation is still being watched and is not judged. */
  readonly settledAt?: Date;
}

/** Faults on the serial link between harness and terminal; undefined on a rig whose terminal is not on one. */
export interface LinkFaults {
  /** Arms a one-shot fault for the next matching unit on the wire. */
  arm(fault: LinkFaultKind): void;
  /** A cursor into the observations: the index the next one will get. */
  mark(): number;
  /** The observations from a cursor on (all when omitted), copies as they stand now. */
  observations(from?: number): LinkObservation[];
  /** Calls back whenever an observation is added, answered or settled. */
  onChange(listener: () => void): void;
  /** Resolves once every observation open now has settled (its window closed): then linkFindings can judge it. */
  settled(): Promise<void>;
  /** Disarms every fault, stops watching and forgets the observations (between scenarios). */
  reset(): void;
}

/** docs/protocol.md section 5.4: the ACK timeout and the receiver's answer time. */
export const ACK_TIMEOUT_MS = 300;
export const ANSWER_MS = 100;
export const INTER_BYTE_TIMEOUT_MS = 200;
/** What the rules allow on top of a deadline of the spec: scheduling and a serial line are not instantaneous. */
export const MARGIN_MS = 200;
/** Noise: none of STX, ACK, NAK (nor ETX), so it cannot start or end a unit (section 4.1). */
export const NOISE = Buffer.from([0x00, 0xff, 0x55, 0xaa, 0x7e, 0x20]);

/** How long each fault's observation stays open after the fault was applied. */
export const OBSERVATION_MS: Readonly<Record<LinkFaultKind, number>> = {
  corrupt: ANSWER_MS + MARGIN_MS,
  truncate: INTER_BYTE_TIMEOUT_MS + ANSWER_MS + MARGIN_MS,
  duplicate: ANSWER_MS + MARGIN_MS,
  noise: ACK_TIMEOUT_MS,
  'lose-ack': ACK_TIMEOUT_MS + MARGIN_MS,
};

/** The faults that hit the harness's next command frame. */
const COMMAND_FAULTS: readonly LinkFaultKind[] = ['corrupt', 'duplicate', 'noise', 'truncate'];

interface Open {
  fault: LinkFaultKind;
  at: Date;
  seq: number;
  message?: { type: string; id: string };
  payload?: Buffer;
  answers: LinkAnswer[];
  resent?: LinkResend;
  harnessResentAt?: Date;
  settledAt?: Date;
  timer?: Timer;
  /** settled() callers waiting for this window to close */
  onSettled: Array<() => void>;
}

/** The harness-side wrapper of a serial port: `stream` is what the harness's EcrLink speaks on. */
export class SerialLinkFaults implements LinkFaults {
  readonly stream: Duplex;
  private readonly armed: LinkFaultKind[] = [];
  private readonly records: Open[] = [];
  private readonly listeners: Array<() => void> = [];
  private readonly fromTerminal = new FrameDecoder();
  /** lose-ack: the terminal frame whose ACK is to be dropped (SEQ, payload), once it arrived. */
  private ackToLose: { seq: number; payload: Buffer } | undefined;
  /** After a truncated frame the harness writes nothing (its next write waits here) until the terminal NAKs it or
   * the NAK is overdue: a byte sent meanwhile would only extend the truncated frame. */
  private quiet: { record: Open; timer: Timer; waiting?: () => void } | undefined;
  /** SEQ of the last frame the harness wrote: the same SEQ again is a retransmission. */
  private lastSeq: number | undefined;

  constructor(private readonly port: Duplex) {
    this.stream = new Duplex({
      read: () => {},
      write: (chunk: Buffer, _encoding, done) => this.harnessWrote(Buffer.from(chunk), done),
    });
    port.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk);
      this.terminalWrote(bytes);
      this.stream.push(bytes);
    });
    port.on('close', () => {
      this.stream.push(null);
      this.stream.destroy();
    });
  }

  arm(fault: LinkFaultKind): void {
    this.armed.push(fault);
  }

  mark(): number {
    return this.records.length;
  }

  observations(from = 0): LinkObservation[] {
    return this.records.slice(from).map(({ timer: _timer, payload: _payload, onSettled: _waiting, ...o }) => ({
      ...o,
      answers: [...o.answers],
    }));
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async settled(): Promise<void> {
    await Promise.all(this.watching().map((r) => new Promise<void>((resolve) => r.onSettled.push(resolve))));
  }

  reset(): void {
    this.armed.length = 0;
    this.ackToLose = undefined;
    const records = this.records.splice(0);
    for (const record of records) {
      clock.clearTimeout(record.timer);
      record.timer = undefined;
      for (const resolve of record.onSettled.splice(0)) resolve();
    }
    this.endQuiet(false);
  }

  // ---- the harness's side: whole units (EcrLink writes each frame and each ACK/NAK in one write) ----------------

  private harnessWrote(chunk: Buffer, done: (error?: Error | null) => void): void {
    if (this.quiet) {
      this.quiet.waiting = () => this.harnessWrote(chunk, done); // the stream hands over one write at a time
      return;
    }
    if (chunk.length === 2 && chunk[0] === ACK && this.ackToLose?.seq === chunk[1]) {
      this.loseAck(chunk[1] as number);
      done();
      return;
    }
    const frame = frameOf(chunk);
    const resent = frame !== undefined && frame.seq === this.lastSeq;
    if (frame) this.lastSeq = frame.seq;
    if (resent) this.harnessResent(frame.seq);
    // A retransmission goes out as it is: the fault hits the first transmission of the next command.
    const fault = frame && !resent && !isHello(frame.payload) ? this.take(COMMAND_FAULTS) : undefined;
    if (!frame || !fault) {
      this.write(chunk, done);
      return;
    }
    const open = this.open(fault, frame.seq, frame.payload);
    switch (fault) {
      case 'corrupt':
        this.write(corrupted(chunk), done, open);
        break;
      case 'duplicate':
        this.write(chunk, () => this.write(chunk, done), open);
        break;
      case 'noise':
        this.write(Buffer.concat([NOISE, chunk]), done, open);
        break;
      case 'truncate':
        this.write(chunk.subarray(0, 4 + Math.floor(frame.payload.length / 2)), done, open);
        this.quiet = { record: open, timer: clock.deadline(() => this.endQuiet(true), OBSERVATION_MS.truncate) };
        break;
      default:
        this.write(chunk, done);
    }
  }

  /** Writes to the port; `open` starts its observation window as the bytes go (an answer may come before the write
   * callback). Port errors are reported by the port itself (the rig watches it): the harness's write never fails here. */
  private write(bytes: Buffer, done: () => void, open?: Open): void {
    if (open) this.start(open);
    this.port.write(bytes, () => done());
  }

  /** The wire may carry the harness's writes again: the terminal NAKed the truncated frame, or (overdue) its window
   * is closed first, so the verdict is in before the frame is sent again. */
  private endQuiet(overdue: boolean): void {
    const quiet = this.quiet;
    if (!quiet) return;
    this.quiet = undefined;
    clock.clearTimeout(quiet.timer);
    if (overdue) this.settle(quiet.record);
    quiet.waiting?.();
  }

  private loseAck(seq: number): void {
    const lost = this.ackToLose;
    this.ackToLose = undefined;
    const open = this.open('lose-ack', seq, lost?.payload);
    this.start(open);
  }

  /** The harness's link sent a frame again (after a NAK or its ACK timeout). A bad CRC is answered within the answer
   * time, so that closes a corrupt frame's window; a truncated frame's stays open for the inter-byte timeout. */
  private harnessResent(seq: number): void {
    const record = this.records.at(-1);
    const damaged = record?.fault === 'corrupt' || record?.fault === 'truncate';
    if (!record || !damaged || record.seq !== seq || record.harnessResentAt) return;
    record.harnessResentAt = clock.date();
    if (record.fault === 'corrupt') this.settle(record);
    else this.changed();
  }

  // ---- the terminal's side ------------------------------------------------------------------------------------

  private terminalWrote(bytes: Buffer): void {
    for (const unit of this.fromTerminal.push(bytes)) {
      if (unit.kind === 'ack' || unit.kind === 'nak') {
        const answer = { kind: unit.kind, seq: unit.seq, at: clock.date() };
        for (const record of this.watching()) if (record.fault !== 'lose-ack') record.answers.push(answer);
        // The ACK of the command after the noise: the terminal has read past it, and what it answers from now on is
        // about later frames (on a fast rig the next command and its fault can follow within the window).
        if (unit.kind === 'ack')
          for (const record of this.watching())
            if (record.fault === 'noise' && record.seq === unit.seq) this.settle(record);
        this.changed();
        const truncated = this.quiet?.record;
        if (unit.kind === 'nak' && truncated && (unit.seq === truncated.seq || unit.seq === 0)) this.endQuiet(false);
      } else if (unit.kind === 'frame') {
        this.terminalFrame(unit.seq, unit.payload);
      }
    }
  }

  private terminalFrame(seq: number, payload: Buffer): void {
    const waiting = this.watching().find((r) => r.fault === 'lose-ack' && !r.resent);
    if (waiting) {
      const type = messageOf(payload)?.type;
      waiting.resent = {
        at: clock.date(),
        seq,
        samePayload: waiting.payload?.equals(payload) ?? false,
        ...(type ? { type } : {}),
      };
      this.settle(waiting);
      return;
    }
    if (!this.ackToLose && this.take(['lose-ack'])) this.ackToLose = { seq, payload };
  }

  // ---- observations -------------------------------------------------------------------------------------------

  /** Takes the first armed fault of these kinds (one-shot). */
  private take(kinds: readonly LinkFaultKind[]): LinkFaultKind | undefined {
    const i = this.armed.findIndex((fault) => kinds.includes(fault));
    if (i < 0) return undefined;
    return this.armed.splice(i, 1)[0];
  }

  private open(fault: LinkFaultKind, seq: number, payload: Buffer | undefined): Open {
    const message = payload && messageOf(payload);
    const record: Open = { fault, at: clock.date(), seq, answers: [], onSettled: [], ...(message ? { message } : {}) };
    if (payload) record.payload = payload;
    this.records.push(record);
    return record;
  }

  /** Starts the window once the fault's bytes are on the wire. */
  private start(record: Open): void {
    if (!this.records.includes(record)) return; // reset meanwhile
    record.at = clock.date();
    record.timer = clock.deadline(() => this.settle(record), OBSERVATION_MS[record.fault]);
    this.changed();
  }

  private settle(record: Open): void {
    if (record.settledAt) return;
    clock.clearTimeout(record.timer);
    record.timer = undefined;
    record.settledAt = clock.date();
    this.changed();
    for (const resolve of record.onSettled.splice(0)) resolve();
  }

  private watching(): Open[] {
    return this.records.filter((r) => r.timer !== undefined);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** The frame in one harness write, or undefined (a control unit, or bytes that are not one whole frame). */
function frameOf(chunk: Buffer): { seq: number; payload: Buffer } | undefined {
  if (chunk.length < 7 || chunk[0] !== STX) return undefined;
  const length = chunk.readUInt16BE(1);
  if (chunk.length !== length + 7) return undefined;
  return { seq: chunk[3] as number, payload: chunk.subarray(4, 4 + length) };
}

/** The same frame with one payload byte changed (a letter or digit for another), so its CRC no longer matches. */
function corrupted(frame: Buffer): Buffer {
  const copy = Buffer.from(frame);
  const at = 4 + Math.floor((frame.readUInt16BE(1) - 1) / 2);
  copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  return copy;
}

function isHello(payload: Buffer): boolean {
  return messageOf(payload)?.type === 'hello';
}

function messageOf(payload: Buffer): { type: string; id: string } | undefined {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as { type?: unknown; id?: unknown };
    if (typeof parsed.type === 'string' && typeof parsed.id === 'string') return { type: parsed.type, id: parsed.id };
  } catch {
    // not JSON: no message to name
  }
  return undefined;
}
