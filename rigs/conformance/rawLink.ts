// The conformance kit's end of the serial line: raw bytes out, every unit the terminal writes back, timestamped.
// Unlike the harness's EcrLink it answers nothing by itself (no ACK, no retransmission) unless told to, so a check
// can damage a frame, stay silent, NAK on purpose and time each answer.
//   const raw = new RawLink(port);
//   const sent = await raw.sendFrame({ type: 'hello', id: 'k-1', protocol: '1' });
//   const ack = await raw.waitFor(sent.mark, (u) => u.kind === 'ack' && u.seq === sent.seq, 1000);

import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { encodeAck, encodeFrame, encodeNak, FrameDecoder, type LinkUnit } from '../../protocols/ecr/frame.ts';

/** One unit the terminal wrote, with the moment (performance.now(), ms) its last byte arrived here. */
export interface Received {
  readonly at: number;
  readonly unit: LinkUnit;
}

/** A frame the terminal sent, its JSON read when it is JSON. */
export interface TerminalFrame {
  /** Its index among the units the terminal wrote. */
  readonly index: number;
  readonly at: number;
  readonly seq: number;
  readonly payload: Buffer;
  readonly message?: { readonly type?: unknown; readonly id?: unknown; readonly [key: string]: unknown };
}

/** What one write left behind: where the answers start and when the last byte left. */
export interface Sent {
  /** Index of the next unit from the terminal: the answers to this write start there. */
  readonly mark: number;
  /** When the write was handed over (ms). */
  readonly startedAt: number;
  /** When the port reported the bytes written (ms). */
  readonly doneAt: number;
}

export interface SentFrame extends Sent {
  readonly seq: number;
  readonly frame: Buffer;
  readonly payload: Buffer;
}

/** A raw client of the terminal's serial line. */
export class RawLink {
  /** Every unit the terminal wrote, in order. */
  readonly units: Received[] = [];
  private readonly decoder = new FrameDecoder();
  private readonly waiters = new Set<() => void>();
  private nextSeq = 0;
  private autoAck = false;
  /** Writes made so far (the automatic ACKs included). */
  writes = 0;
  private readonly onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk);
    const at = performance.now();
    for (const unit of this.decoder.push(bytes)) {
      this.units.push({ at, unit });
      if (this.autoAck && unit.kind === 'frame') {
        this.writes++;
        this.port.write(encodeAck(unit.seq));
      }
    }
    for (const wake of [...this.waiters]) wake();
  };

  constructor(private readonly port: Duplex) {
    port.on('data', this.onData);
    port.resume();
  }

  /** The index the next unit from the terminal will get. */
  mark(): number {
    return this.units.length;
  }

  /** ACK every frame of the terminal as it arrives (between checks), or stop doing so. */
  acknowledgeAll(on: boolean): void {
    this.autoAck = on;
  }

  /** The SEQ the next sendFrame uses unless told otherwise; each call takes the next one (section 5.1). */
  takeSeq(): number {
    const seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) & 0xff;
    return seq;
  }

  /** Writes bytes as they are. */
  async write(bytes: Buffer): Promise<Sent> {
    const mark = this.mark();
    this.writes++;
    const startedAt = performance.now();
    await new Promise<void>((resolve, reject) => this.port.write(bytes, (e) => (e ? reject(e) : resolve())));
    return { mark, startedAt, doneAt: performance.now() };
  }

  /** Frames a message (an object is JSON-encoded, a string or Buffer sent as it is) and writes it. */
  async sendFrame(message: object | string | Buffer, seq = this.takeSeq()): Promise<SentFrame> {
    const payload = payloadOf(message);
    const frame = encodeFrame(seq, payload);
    return { ...(await this.write(frame)), seq, frame, payload };
  }

  ack(seq: number): Promise<Sent> {
    return this.write(encodeAck(seq));
  }

  nak(seq: number): Promise<Sent> {
    return this.write(encodeNak(seq));
  }

  /** The first unit from index `from` on that `pick` maps to a value, waiting up to timeoutMs; undefined if none. */
  waitFor<T>(
    from: number,
    pick: (unit: LinkUnit, at: number, index: number) => T | undefined,
    timeoutMs: number,
  ): Promise<T | undefined> {
    let scanned = from;
    const scan = (): T | undefined => {
      for (; scanned < this.units.length; scanned++) {
        const r = this.units[scanned] as Received;
        const value = pick(r.unit, r.at, scanned);
        if (value !== undefined) {
          scanned++;
          return value;
        }
      }
      return undefined;
    };
    const now = scan();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (value: T | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(value);
      };
      const wake = () => {
        const value = scan();
        if (value !== undefined) done(value);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.waiters.add(wake);
    });
  }

  /** The first frame from `from` on that `match` accepts, waiting up to timeoutMs. */
  waitForFrame(
    from: number,
    match: (f: TerminalFrame) => boolean,
    timeoutMs: number,
  ): Promise<TerminalFrame | undefined> {
    return this.waitFor(
      from,
      (unit, at, index) => {
        if (unit.kind !== 'frame') return undefined;
        const frame = terminalFrame(index, unit.seq, unit.payload, at);
        return match(frame) ? frame : undefined;
      },
      timeoutMs,
    );
  }

  /** The terminal's frames from `from` on (to `to`, exclusive). */
  frames(from = 0, to = this.units.length): TerminalFrame[] {
    return this.units
      .slice(from, to)
      .flatMap(({ unit, at }, i) =>
        unit.kind === 'frame' ? [terminalFrame(from + i, unit.seq, unit.payload, at)] : [],
      );
  }

  /** The terminal's units from `from` on (to `to`, exclusive). */
  since(from: number, to = this.units.length): Received[] {
    return this.units.slice(from, to);
  }

  /** Stops reading the port (does not close it). */
  close(): void {
    this.port.off('data', this.onData);
    for (const wake of [...this.waiters]) wake();
  }
}

function payloadOf(message: object | string | Buffer): Buffer {
  if (Buffer.isBuffer(message)) return message;
  return Buffer.from(typeof message === 'string' ? message : JSON.stringify(message), 'utf8');
}

/** A frame of the terminal with its JSON read (when it is a JSON object). */
export function terminalFrame(index: number, seq: number, payload: Buffer, at: number): TerminalFrame {
  try {
    const value = JSON.parse(payload.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { index, at, seq, payload, message: value as TerminalFrame['message'] & object };
    }
  } catch {
    // not JSON: judged by the message checks
  }
  return { index, at, seq, payload };
}
