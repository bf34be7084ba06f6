// One proxied connection: the terminal's socket, the upstream socket (none when blackholed), and one lane per direction.
// Each lane deframes what its sender writes (2-byte length header; binary packaging: then a TPDU, which goes on with
// the message unchanged), asks `decide` what to do with every message, and keeps an ordered outbound queue, so a
// delayed message holds back the later ones on that connection.
// A side that half-closes is half-closed on the other side once its lane has drained; a side that closes makes the other
// side close after everything queued for it has been written.

import type net from 'node:net';
import { clock, type Timer } from '../../protocols/domain/clock.ts';
import { deframerFor, frameForTcp, type Packaging, type TcpDeframer } from '../../protocols/iso8583/index.ts';
import type { Direction } from './faultRule.ts';

/** What to do with one message: forward these bodies (optionally later), swallow it, or drop the connection. */
export type Verdict =
  | { kind: 'forward'; bodies: Buffer[]; delayMs?: number; delivered?: () => void }
  | { kind: 'swallow' }
  | { kind: 'drop' };

interface Outbound {
  frames: Buffer[];
  delivered: (() => void) | undefined;
  due: boolean;
  timer: Timer | undefined;
}

class Lane {
  readonly deframer: TcpDeframer;
  private readonly queue: Outbound[] = [];
  private sourceState: 'open' | 'ended' | 'closed' = 'open';
  private finished = false;

  constructor(
    private readonly to: net.Socket | undefined,
    packaging: Packaging,
  ) {
    this.deframer = deframerFor(packaging, { maxLength: 0xffff }); // any 2-byte length: the proxy judges nothing
  }

  /** Queues frames for the receiver, now or after delayMs; later frames never overtake earlier ones. */
  send(frames: Buffer[], delayMs?: number, delivered?: () => void): void {
    const item: Outbound = { frames, delivered, due: delayMs === undefined, timer: undefined };
    if (delayMs !== undefined) {
      item.timer = clock.setTimeout(() => {
        item.timer = undefined;
        item.due = true;
        this.flush();
      }, delayMs);
    }
    this.queue.push(item);
    this.flush();
  }

  /** The sender half-closed ('ended') or went away ('closed'): pass that on once the queue has drained. */
  sourceGone(state: 'ended' | 'closed'): void {
    if (this.sourceState !== 'closed') this.sourceState = state;
    this.flush();
  }

  /** Delivers delayed frames now (heal). */
  releaseDelayed(): void {
    for (const item of this.queue) {
      clock.clearTimeout(item.timer);
      item.timer = undefined;
      item.due = true;
    }
    this.flush();
  }

  /** Forgets everything queued and clears the timers (the receiver is gone). */
  discard(): void {
    for (const item of this.queue.splice(0)) clock.clearTimeout(item.timer);
  }

  private flush(): void {
    const to = this.to;
    while (this.queue[0]?.due) {
      const item = this.queue.shift() as Outbound;
      if (!to || to.destroyed || !to.writable) continue;
      for (const frame of item.frames) to.write(frame);
      item.delivered?.();
    }
    if (this.queue.length > 0 || this.sourceState === 'open' || this.finished || !to || to.destroyed) return;
    this.finished = true;
    if (this.sourceState === 'closed') to.end(() => to.destroy());
    else to.end();
  }
}

export class ConnectionPipe {
  /** Resolves once both sockets have closed. */
  readonly closed: Promise<void>;
  /** The id of the blackhole rule that took this connection; undefined for a forwarding connection. */
  readonly blackholedBy: number | undefined;
  private readonly terminal: net.Socket;
  private readonly upstream: net.Socket | undefined;
  private readonly lanes: Record<Direction, Lane>;
  private readonly decide: (direction: Direction, body: Buffer) => Verdict;
  private upstreamConnected = false;
  private destroyed = false;

  constructor(options: {
    terminal: net.Socket;
    upstream?: net.Socket; // absent: blackholed
    blackholedBy?: number;
    decide: (direction: Direction, body: Buffer) => Verdict;
    packaging?: Packaging; // default 'ascii'; 'binary' frames carry a TPDU
  }) {
    this.terminal = options.terminal;
    this.upstream = options.upstream;
    this.blackholedBy = options.blackholedBy;
    this.decide = options.decide;
    const packaging = options.packaging ?? 'ascii';
    this.lanes = { request: new Lane(this.upstream, packaging), response: new Lane(this.terminal, packaging) };
    const closes = [closeOf(this.terminal)];
    this.wire(this.terminal, 'request', 'response');
    if (this.upstream) {
      const upstream = this.upstream;
      closes.push(closeOf(upstream));
      upstream.once('connect', () => {
        this.upstreamConnected = true;
      });
      this.wire(upstream, 'response', 'request');
    }
    this.closed = Promise.all(closes).then(() => {
      this.lanes.request.discard();
      this.lanes.response.discard();
    });
  }

  /** Closes both sockets at once; queued and delayed messages are lost. */
  destroy(): void {
    this.destroyed = true;
    this.lanes.request.discard();
    this.lanes.response.discard();
    this.terminal.destroy();
    this.upstream?.destroy();
  }

  /** Delivers every delayed message now, in order. */
  releaseDelayed(): void {
    this.lanes.request.releaseDelayed();
    this.lanes.response.releaseDelayed();
  }

  private wire(socket: net.Socket, inbound: Direction, outbound: Direction): void {
    socket.on('error', () => {}); // every error ends in 'close', handled below
    socket.on('data', (chunk: Buffer) => this.receive(inbound, chunk));
    socket.on('end', () => {
      if (!this.upstream) socket.end(); // a blackholed connection has nobody to pass the half-close to
      this.lanes[inbound].sourceGone('ended');
    });
    socket.on('close', () => {
      this.lanes[outbound].discard();
      if (socket === this.upstream && !this.upstreamConnected)
        this.terminal.destroy(); // upstream unreachable
      else this.lanes[inbound].sourceGone('closed');
    });
  }

  private receive(direction: Direction, chunk: Buffer): void {
    // A bad length header (shorter than the TPDU; never a 64 KiB overflow) destroys the connection, after the messages
    // before it, in the same chunk too, have had their verdicts: what goes on never depends on how TCP split the bytes.
    const deframer = this.lanes[direction].deframer;
    let frames: ReturnType<TcpDeframer['pushFrames']>;
    try {
      frames = deframer.pushFrames(chunk);
    } catch {
      this.destroy(); // a proxy must never throw here
      return;
    }
    for (const { tpdu, body } of frames) {
      if (this.destroyed) return;
      const verdict = this.decide(direction, body);
      if (verdict.kind === 'drop') {
        this.destroy();
        return;
      }
      if (verdict.kind === 'forward' && this.upstream) {
        this.lanes[direction].send(
          verdict.bodies.map((b) => frameForTcp(b, { tpdu })), // the TPDU (binary) goes on as it came
          verdict.delayMs,
          verdict.delivered,
        );
      }
    }
    if (deframer.failure) this.destroy();
  }
}

function closeOf(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed && socket.closed) resolve();
    else socket.once('close', () => resolve());
  });
}
