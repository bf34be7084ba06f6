// One endpoint of the ECR test link over any Node Duplex byte stream (serial port, PTY, socket, PassThrough pair).
//   const link = new EcrLink(port, { name: 'harness' });
//   link.on('message', (m) => console.log(m.type));
//   await link.send({ type: 'hello', id: 'h1', protocol: '1' });   // resolves when the terminal ACKs
// Stop-and-wait: one frame in flight, others queued. Receiver ACKs good frames and NAKs bad ones.
// A frame that passes CRC but whose JSON fails validation is ACKed (the link delivered it intact) and reported as
// a 'fault' with an EcrMessageError; answering with an `error` message is the application's job, not the link's.
// Noise between frames is reported as a 'fault' but not NAKed (there is no frame to refuse).

import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { clock, type Timer } from '../domain/clock.ts';
import { encodeAck, encodeFrame, encodeNak, FrameDecoder, type FrameError, type LinkUnit } from './frame.ts';
import { type EcrMessage, EcrMessageError, encodeEcrMessage, parseEcrMessage } from './messages.ts';

export interface EcrLinkOptions {
  /** How long to wait for ACK/NAK after a frame has been written (default 300). */
  ackTimeoutMs?: number;
  /** Retransmissions after the first attempt before giving up (default 3). */
  maxRetries?: number;
  /** A partial frame with no new byte for this long is dropped as 'truncated' and NAKed (default 200). */
  interByteTimeoutMs?: number;
  /** Label for this endpoint, used in error messages (default 'ecr'). */
  name?: string;
}

export interface LinkTrace {
  dir: 'in' | 'out';
  at: Date;
  bytes: Buffer;
}

/** A send that could not be completed: no ACK after every retransmission, or the link was closed. */
export class LinkError extends Error {
  override name = 'LinkError';
  readonly code: 'no-ack' | 'closed';
  readonly seq?: number;

  constructor(code: 'no-ack' | 'closed', message: string, seq?: number) {
    super(message);
    this.code = code;
    if (seq !== undefined) this.seq = seq;
  }
}

interface Outgoing {
  message: EcrMessage;
  payload: Buffer;
  resolve: () => void;
  reject: (e: Error) => void;
}

interface InFlight extends Outgoing {
  seq: number;
  frame: Buffer;
  retransmits: number;
}

export interface EcrLink {
  on(event: 'message', listener: (m: EcrMessage) => void): this;
  on(event: 'fault', listener: (e: FrameError | EcrMessageError) => void): this;
  on(event: 'trace', listener: (t: LinkTrace) => void): this;
  once(event: 'message', listener: (m: EcrMessage) => void): this;
  once(event: 'fault', listener: (e: FrameError | EcrMessageError) => void): this;
  once(event: 'trace', listener: (t: LinkTrace) => void): this;
}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: typed event overloads for the class above
export class EcrLink extends EventEmitter {
  private readonly stream: Duplex;
  private readonly ackTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly interByteTimeoutMs: number;
  private readonly name: string;
  private readonly decoder = new FrameDecoder();
  private readonly queue: Outgoing[] = [];
  private inFlight: InFlight | undefined;
  private nextSeq = 0;
  private lastDelivered: { seq: number; payload: Buffer } | undefined;
  private ackTimer: Timer | undefined;
  private interByteTimer: Timer | undefined;
  private closed = false;
  private readonly onData = (chunk: Buffer | string): void => this.receive(chunk);
  private readonly onClose = (): void => this.close();

  /** Attaches to the stream (starts reading it) with the given timing options. */
  constructor(stream: Duplex, options: EcrLinkOptions = {}) {
    super();
    this.stream = stream;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 300;
    this.maxRetries = options.maxRetries ?? 3;
    this.interByteTimeoutMs = options.interByteTimeoutMs ?? 200;
    this.name = options.name ?? 'ecr';
    stream.on('data', this.onData);
    stream.on('close', this.onClose);
    stream.resume(); // an earlier link's close() may have paused it
  }

  /** Queues a message; resolves when the peer ACKs it, rejects with LinkError after maxRetries retransmissions. */
  send(message: EcrMessage): Promise<void> {
    if (this.closed) return Promise.reject(new LinkError('closed', `${this.name}: link is closed`));
    let payload: Buffer;
    try {
      payload = encodeEcrMessage(message);
      encodeFrame(0, payload); // size check before queuing
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ message, payload, resolve, reject });
      this.startNext();
    });
  }

  /** Detaches from the stream (does not destroy it), clears timers, rejects pending sends with LinkError('closed'). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.off('data', this.onData);
    this.stream.off('close', this.onClose);
    // keep unread bytes for whoever attaches next (removing a 'data' listener does not stop the flow)
    if (this.stream.listenerCount('data') === 0) this.stream.pause();
    this.clearAckTimer();
    this.clearInterByteTimer();
    const pending = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight = undefined;
    for (const item of pending) {
      const seq = 'seq' in item ? (item as InFlight).seq : undefined;
      item.reject(new LinkError('closed', `${this.name}: link closed before "${item.message.type}" was ACKed`, seq));
    }
  }

  // ---- sending -------------------------------------------------------------------------------------------------

  private startNext(): void {
    if (this.inFlight || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    const seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) & 0xff;
    this.inFlight = { ...next, seq, frame: encodeFrame(seq, next.payload), retransmits: 0 };
    this.transmit();
  }

  private transmit(): void {
    const item = this.inFlight;
    if (!item) return;
    const attempt = item.retransmits;
    this.armAckTimer();
    // Restart the ACK timer once the bytes have left (a 4 KiB frame takes ~0.36 s at 115200 baud).
    this.write(item.frame, () => {
      if (this.inFlight === item && item.retransmits === attempt && this.ackTimer) this.armAckTimer();
    });
  }

  private armAckTimer(): void {
    this.clearAckTimer();
    this.ackTimer = clock.deadline(() => {
      this.ackTimer = undefined;
      this.retransmitOrFail('no ACK');
    }, this.ackTimeoutMs);
  }

  private retransmitOrFail(reason: string): void {
    const item = this.inFlight;
    if (!item) return;
    if (item.retransmits < this.maxRetries) {
      item.retransmits++;
      this.transmit();
      return;
    }
    this.clearAckTimer();
    this.inFlight = undefined;
    const tries = item.retransmits + 1;
    item.reject(
      new LinkError(
        'no-ack',
        `${this.name}: "${item.message.type}" SEQ ${item.seq} not ACKed after ${tries} transmissions (last: ${reason})`,
        item.seq,
      ),
    );
    this.startNext();
  }

  private acked(seq: number): void {
    const item = this.inFlight;
    if (!item || item.seq !== seq) return; // stale or stray ACK
    this.clearAckTimer();
    this.inFlight = undefined;
    item.resolve();
    this.startNext();
  }

  private naked(seq: number): void {
    // Only a NAK naming the frame in flight triggers a retransmission; any other NAK is left to the ACK timeout.
    if (this.inFlight && this.inFlight.seq === seq) this.retransmitOrFail(`NAK ${seq}`);
  }

  // ---- receiving -----------------------------------------------------------------------------------------------

  private receive(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk);
    this.emit('trace', { dir: 'in', at: clock.date(), bytes } satisfies LinkTrace);
    this.handle(this.decoder.push(bytes));
    this.clearInterByteTimer();
    if (this.decoder.pending && !this.closed) {
      this.interByteTimer = clock.setTimeout(() => {
        this.interByteTimer = undefined;
        this.handle(this.decoder.flush());
      }, this.interByteTimeoutMs);
    }
  }

  private handle(units: LinkUnit[]): void {
    for (const unit of units) {
      if (this.closed) return;
      switch (unit.kind) {
        case 'ack':
          this.acked(unit.seq);
          break;
        case 'nak':
          this.naked(unit.seq);
          break;
        case 'frame':
          this.frameReceived(unit.seq, unit.payload);
          break;
        case 'fault':
          if (unit.error.code !== 'noise') this.write(encodeNak(unit.error.seq ?? 0));
          this.emit('fault', unit.error);
          break;
      }
    }
  }

  private frameReceived(seq: number, payload: Buffer): void {
    this.write(encodeAck(seq));
    const last = this.lastDelivered;
    if (last && last.seq === seq && last.payload.equals(payload)) return; // retransmission: re-ACKed, not re-delivered
    this.lastDelivered = { seq, payload };
    let message: EcrMessage;
    try {
      message = parseEcrMessage(payload);
    } catch (e) {
      const fault = e instanceof EcrMessageError ? e : new EcrMessageError(String(e), '');
      fault.payload = payload.toString('utf8');
      this.emit('fault', fault);
      return;
    }
    this.emit('message', message);
  }

  private write(bytes: Buffer, done?: () => void): void {
    if (this.closed) return;
    if (this.stream.destroyed || this.stream.writableEnded) {
      this.close();
      return;
    }
    this.emit('trace', { dir: 'out', at: clock.date(), bytes } satisfies LinkTrace);
    this.stream.write(bytes, (err) => {
      if (!err) done?.();
    });
  }

  private clearAckTimer(): void {
    if (this.ackTimer) clock.clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
  }

  private clearInterByteTimer(): void {
    if (this.interByteTimer) clock.clearTimeout(this.interByteTimer);
    this.interByteTimer = undefined;
  }
}
