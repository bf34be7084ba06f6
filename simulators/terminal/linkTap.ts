// The stream a seeded link defect stands in: between the harness's bytes and the terminal's own (correct) link, so
// protocols/ecr stays untouched. A subclass reads what comes from the harness (fromHarness) and writes what the link
// sends (_write); this base wires it to the inner stream, lets go when the link does (power cut, a new attach), and
// holds an incomplete frame until it completes or its time is up (then it goes on as it is: a truncated frame reaches
// the link).
//   class Echo extends LinkTap { protected fromHarness(bytes: Buffer) { this.push(bytes); } _write(c, _e, done) { … } }

import { Duplex } from 'node:stream';
import { clock, type Timer } from '../../protocols/domain/clock.ts';
import { frameCrc } from '../../protocols/ecr/index.ts';

export abstract class LinkTap extends Duplex {
  /** Bytes from the harness not yet passed on: an incomplete frame. */
  protected held = Buffer.alloc(0);
  private holdTimer: Timer | undefined;
  private readonly onData = (chunk: Buffer | string): void =>
    this.fromHarness(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk));
  private readonly onClose = (): void => {
    this.push(null);
    this.destroy();
  };

  constructor(protected readonly inner: Duplex) {
    super();
    inner.on('data', this.onData);
    inner.on('close', this.onClose);
  }

  // When the terminal's link lets go of this stream (power cut, a new attach), so does this wrapper. (Not on the
  // 'removeListener' event: a stream's emitter keeps its events in a fixed shape and never emits it for 'data'.)
  // biome-ignore lint/suspicious/noExplicitAny: EventEmitter's own signature, which Duplex's overloads narrow
  override removeListener(event: string | symbol, listener: (...args: any[]) => void): this {
    super.removeListener(event, listener);
    if (event === 'data' && this.listenerCount('data') === 0) this.detach();
    return this;
  }

  // biome-ignore lint/suspicious/noExplicitAny: as removeListener
  override off(event: string | symbol, listener: (...args: any[]) => void): this {
    return this.removeListener(event, listener);
  }

  /** Bytes as they come from the harness, on their way to the terminal's link. */
  protected abstract fromHarness(chunk: Buffer): void;

  override _read(): void {}

  /** The held bytes followed by the chunk just come (the hold is over: they are read again). */
  protected withHeld(chunk: Buffer): Buffer {
    clock.clearTimeout(this.holdTimer);
    return Buffer.concat([this.held, chunk]);
  }

  /** Keeps the bytes not passed on; if nothing completes them within `ms` they go on as they are. */
  protected hold(rest: Buffer, ms: number): void {
    this.held = Buffer.from(rest);
    if (this.held.length > 0) this.holdTimer = clock.setTimeout(() => this.release(), ms);
  }

  protected detach(): void {
    this.inner.off('data', this.onData);
    this.inner.off('close', this.onClose);
    clock.clearTimeout(this.holdTimer);
    if (this.inner.listenerCount('data') === 0) this.inner.pause();
  }

  private release(): void {
    const held = this.held;
    this.held = Buffer.alloc(0);
    if (held.length > 0) this.push(held);
  }
}

/** True when the frame's ETX and CRC are right. */
export function intact(frame: Buffer): boolean {
  const etxAt = frame.length - 3;
  return frame[etxAt] === 0x03 && frameCrc(frame.subarray(1, etxAt + 1)) === frame.readUInt16BE(etxAt + 1);
}
