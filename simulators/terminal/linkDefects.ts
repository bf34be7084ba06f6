// The seeded link defects of the simulated terminal (docs/protocol.md section 15.5), made on the terminal's byte
// stream so the reference link (protocols/ecr) stays correct:
//   no-nak          — the NAKs the terminal's link writes are dropped: damaged frames go unanswered;
//   duplicate-acted — a frame that repeats the last intact frame exactly (same SEQ and payload) gets another SEQ (and
//                     CRC) on its way in, so the terminal's link takes it as new and the firmware acts on it again;
//                     the ACK for it goes out with the original SEQ, so only the acting twice shows.
//   const link = new EcrLink(withLinkDefects(stream, defects));   // the stream itself when neither is switched on

import { Duplex } from 'node:stream';
import { ACK, encodeFrame, frameCrc, MAX_PAYLOAD, NAK, STX } from '../../protocols/ecr/index.ts';
import type { DefectSet } from './defects.ts';

/** A frame held back (it may repeat the last one) is let through as it is if it is not complete by then. */
const HOLD_MS = 50;

/** The stream the terminal's link speaks on: `stream` itself, or a wrapper with the defects switched on. */
export function withLinkDefects(stream: Duplex, defects: DefectSet): Duplex {
  const noNak = defects.has('no-nak');
  const actTwice = defects.has('duplicate-acted');
  if (!noNak && !actTwice) return stream;
  return new DefectiveLink(stream, { noNak, actTwice });
}

class DefectiveLink extends Duplex {
  /** Bytes from the harness not yet passed on: an incomplete frame that may turn out to repeat the last one. */
  private held = Buffer.alloc(0);
  private holdTimer: NodeJS.Timeout | undefined;
  /** The last intact frame from the harness, as it came. */
  private last: Buffer | undefined;
  /** SEQs given to repeated frames, and the SEQ the harness sent them with (for the ACK going back). */
  private readonly renumbered = new Map<number, number>();
  private readonly onData = (chunk: Buffer | string): void =>
    this.fromHarness(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk));
  private readonly onClose = (): void => {
    this.push(null);
    this.destroy();
  };

  constructor(
    private readonly inner: Duplex,
    private readonly defects: { noNak: boolean; actTwice: boolean },
  ) {
    super();
    inner.on('data', this.onData);
    inner.on('close', this.onClose);
    // When the terminal's link lets go of this stream (power cut, a new attach), so does this wrapper.
    this.on('removeListener', (event) => {
      if (event === 'data' && this.listenerCount('data') === 0) this.detach();
    });
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    // The terminal's link writes each frame and each ACK/NAK in one write (docs/protocol.md section 2).
    if (chunk.length === 2 && chunk[0] === NAK && this.defects.noNak) {
      done();
      return;
    }
    let bytes = chunk;
    if (chunk.length === 2 && chunk[0] === ACK && this.renumbered.has(chunk[1] as number)) {
      const original = this.renumbered.get(chunk[1] as number) as number;
      this.renumbered.delete(chunk[1] as number);
      bytes = Buffer.from([ACK, original]);
    }
    this.inner.write(bytes, () => done());
  }

  private detach(): void {
    this.inner.off('data', this.onData);
    this.inner.off('close', this.onClose);
    clearTimeout(this.holdTimer);
    if (this.inner.listenerCount('data') === 0) this.inner.pause();
  }

  private fromHarness(chunk: Buffer): void {
    if (!this.defects.actTwice) {
      this.push(chunk);
      return;
    }
    clearTimeout(this.holdTimer);
    const bytes = Buffer.concat([this.held, chunk]);
    const out: Buffer[] = [];
    let i = 0;
    let start = 0;
    while (i < bytes.length) {
      const b = bytes[i] as number;
      if (b === ACK || b === NAK) {
        i += 2; // a control unit: its SEQ byte may be 0x02
        continue;
      }
      if (b !== STX) {
        i++;
        continue;
      }
      const span = frameSpan(bytes, i);
      if (span === 'incomplete') break;
      if (span === undefined) {
        i++;
        continue;
      }
      const frame = bytes.subarray(i, i + span);
      out.push(bytes.subarray(start, i));
      out.push(this.repeated(frame) ?? frame);
      i += span;
      start = i;
    }
    const end = Math.min(i, bytes.length);
    out.push(bytes.subarray(start, end));
    this.held = Buffer.from(bytes.subarray(end));
    const passed = Buffer.concat(out);
    if (passed.length > 0) this.push(passed);
    if (this.held.length > 0) this.holdTimer = setTimeout(() => this.release(), HOLD_MS);
  }

  /** An incomplete frame that waited long enough goes on as it is (a truncated frame reaches the link). */
  private release(): void {
    const held = this.held;
    this.held = Buffer.alloc(0);
    if (held.length > 0) this.push(held);
  }

  /** The frame renumbered when it repeats the last intact one; undefined (and remembered) otherwise. */
  private repeated(frame: Buffer): Buffer | undefined {
    if (!intact(frame)) return undefined;
    if (!this.last?.equals(frame)) {
      this.last = Buffer.from(frame);
      return undefined;
    }
    const seq = frame[3] as number;
    const renumbered = (seq + 128) & 0xff;
    this.renumbered.set(renumbered, seq);
    return encodeFrame(renumbered, frame.subarray(4, frame.length - 3));
  }
}

/** The length of the frame starting with the STX at i; 'incomplete' when more bytes are needed; undefined when the
 * header declares no frame (oversize LEN). */
function frameSpan(bytes: Buffer, i: number): number | 'incomplete' | undefined {
  if (bytes.length - i < 4) return 'incomplete';
  const length = bytes.readUInt16BE(i + 1);
  if (length > MAX_PAYLOAD) return undefined;
  return bytes.length - i < length + 7 ? 'incomplete' : length + 7;
}

function intact(frame: Buffer): boolean {
  const etxAt = frame.length - 3;
  return frame[etxAt] === 0x03 && frameCrc(frame.subarray(1, etxAt + 1)) === frame.readUInt16BE(etxAt + 1);
}
