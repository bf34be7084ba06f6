// The seeded link defects of the simulated terminal (docs/protocol.md section 15.5), made on the terminal's byte
// stream so the reference link (protocols/ecr) stays correct:
//   no-nak          — the NAKs the terminal's link writes are dropped: damaged frames go unanswered;
//   duplicate-acted — a frame that repeats the last intact frame exactly (same SEQ and payload) gets another SEQ (and
//                     CRC) on its way in, so the terminal's link takes it as new and the firmware acts on it again;
//                     the ACK for it goes out with the original SEQ, so only the acting twice shows.
// The `link-*` defects, which only `posrig conformance` provokes, are made by ConformanceDefects
// (conformanceDefects.ts, on the bytes) and by linkDefectOptions (the link's own timers: never giving up, no
// inter-byte timeout).
//   const link = new EcrLink(withLinkDefects(stream, defects), { ...options, ...linkDefectOptions(defects) });

import type { Duplex } from 'node:stream';
import { ACK, type EcrLinkOptions, encodeFrame, MAX_PAYLOAD, NAK, STX } from '../../protocols/ecr/index.ts';
import { ConformanceDefects } from './conformanceDefects.ts';
import { CONFORMANCE_DEFECTS, type ConformanceDefect, type Defect, type DefectSet } from './defects.ts';
import { intact, LinkTap } from './linkTap.ts';

/** A frame held back (it may repeat the last one) is let through as it is if it is not complete by then. */
const HOLD_MS = 50;

/** The `link-*` defects the terminal link's own options make (linkDefectOptions); ConformanceDefects makes the others
 * on the bytes. */
const OPTION_DEFECTS: readonly Defect[] = [
  'link-endless-retransmit',
  'link-no-interbyte-timeout',
] satisfies readonly ConformanceDefect[];

/** The stream the terminal's link speaks on: `stream` itself, or a wrapper with the defects switched on. */
export function withLinkDefects(stream: Duplex, defects: DefectSet): Duplex {
  const byteDefects = CONFORMANCE_DEFECTS.filter((d) => defects.has(d) && !OPTION_DEFECTS.includes(d));
  const inner = byteDefects.length > 0 ? new ConformanceDefects(stream, new Set(byteDefects)) : stream;
  const noNak = defects.has('no-nak');
  const actTwice = defects.has('duplicate-acted');
  if (!noNak && !actTwice) return inner;
  return new DefectiveLink(inner, { noNak, actTwice });
}

/** The terminal link's own options a defect changes: it never gives a frame up, or never times a partial frame out. */
export function linkDefectOptions(defects: DefectSet): EcrLinkOptions {
  return {
    ...(defects.has('link-endless-retransmit') ? { maxRetries: 1_000_000 } : {}),
    ...(defects.has('link-no-interbyte-timeout') ? { interByteTimeoutMs: 24 * 3600_000 } : {}),
  };
}

/** no-nak and duplicate-acted, on the bytes. */
class DefectiveLink extends LinkTap {
  /** The last intact frame from the harness, as it came. */
  private last: Buffer | undefined;
  /** SEQs given to repeated frames, and the SEQ the harness sent them with (for the ACK going back). */
  private readonly renumbered = new Map<number, number>();

  constructor(
    inner: Duplex,
    private readonly defects: { noNak: boolean; actTwice: boolean },
  ) {
    super(inner);
  }

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

  protected fromHarness(chunk: Buffer): void {
    if (!this.defects.actTwice) {
      this.push(chunk);
      return;
    }
    const bytes = this.withHeld(chunk);
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
    const passed = Buffer.concat(out);
    if (passed.length > 0) this.push(passed);
    this.hold(bytes.subarray(end), HOLD_MS);
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
