// The `link-*` seeded defects the simulated terminal's link can have (docs/protocol.md section 15.5), which only
// `posrig conformance` provokes: damaged, oversize, unanswered or odd frames no feature scenario sends. Made on the
// bytes between the harness and the terminal's own (correct) link (a LinkTap, as linkDefects.ts does for no-nak and
// duplicate-acted); withLinkDefects puts this wrapper in place when one of them is switched on.
//   const stream = new ConformanceDefects(port, new Set(['link-slow-ack']));   // ACKs go out 250 ms late

import type { Duplex } from 'node:stream';
import { clock, type Timer } from '../../protocols/domain/clock.ts';
import {
  ACK,
  encodeAck,
  encodeFrame,
  HARNESS_COMMAND_TYPES,
  MAX_PAYLOAD,
  NAK,
  STX,
  TERMINAL_EVENT_TYPES,
} from '../../protocols/ecr/index.ts';
import type { Defect } from './defects.ts';
import { intact, LinkTap } from './linkTap.ts';

/** link-slow-ack: how late each ACK goes out (the answer time is 100 ms). */
const SLOW_ACK_MS = 250;
/** link-slow-info: how long a hello waits before the firmware reads it (info is due within 2 s). */
const SLOW_INFO_MS = 2200;
/** How long an incomplete frame from the harness is held before it goes on as it is (a truncated frame reaches the
 * link); an oversize one longer (link-accepts-oversize reads it to its end). */
const HOLD_MS = 50;
const OVERSIZE_HOLD_MS = 500;
const KNOWN_TYPES: ReadonlySet<string> = new Set([...HARNESS_COMMAND_TYPES, ...TERMINAL_EVENT_TYPES]);

/** What a complete frame from the harness becomes on its way to the terminal's link. */
type Verdict = { pass: Buffer } | { ackAndDrop: number } | { late: Buffer; seq: number };

/**
 * The `link-*` defects on the bytes between the harness and the terminal's (correct) link:
 * in from the harness — a bad CRC repaired (no-crc-check); NAKs dropped (nak-ignored); any ACK turned into the ACK of
 * the frame in flight (any-ack); an oversize frame read whole and ACKed (accepts-oversize), a payload that is not JSON
 * or of an unknown type ACKed here and dropped (ignores-bad-json, unknown-command-silent); a hello ACKed here and passed
 * on 2.2 s later (slow-info), or passed on as protocol "1" whatever it asked (any-protocol); noise before a frame
 * answered NAK 00 (naks-noise). Out to the harness — ACKs 250 ms late (slow-ack); a frame written again without a NAK
 * asking for it dropped (no-retransmit).
 */
export class ConformanceDefects extends LinkTap {
  /** The last frame the terminal's link wrote, and whether the harness NAKed it since (link-no-retransmit). */
  private lastOut: { frame: Buffer; naked: boolean } | undefined;
  /** ACKs this wrapper already wrote for frames it passes on late (link-slow-info): the link's own is dropped. */
  private readonly ackedEarly = new Map<number, number>();
  private readonly timers = new Set<Timer>();

  constructor(
    inner: Duplex,
    private readonly defects: ReadonlySet<Defect>,
  ) {
    super(inner);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const bytes = Buffer.from(chunk);
    const ack = bytes.length === 2 && bytes[0] === ACK;
    if (ack && this.dropOwnAck(bytes[1] as number)) {
      done();
    } else if (ack && this.defects.has('link-slow-ack')) {
      // a late ACK is overtaken by the frames written after it (a control unit may go between any two frames)
      this.later(() => this.inner.write(bytes), SLOW_ACK_MS);
      done();
    } else if (this.droppedRetransmission(bytes)) {
      done();
    } else {
      this.inner.write(bytes, () => done());
    }
  }

  /** link-no-retransmit: a frame written again without a NAK asking for it does not go out. */
  private droppedRetransmission(bytes: Buffer): boolean {
    if (bytes.length < 7 || bytes[0] !== STX) return false;
    const again = this.lastOut?.frame.equals(bytes) && !this.lastOut.naked;
    if (again && this.defects.has('link-no-retransmit')) return true;
    this.lastOut = { frame: bytes, naked: false };
    return false;
  }

  private dropOwnAck(seq: number): boolean {
    const count = this.ackedEarly.get(seq);
    if (!count) return false;
    if (count === 1) this.ackedEarly.delete(seq);
    else this.ackedEarly.set(seq, count - 1);
    return true;
  }

  protected override detach(): void {
    super.detach();
    for (const timer of this.timers) clock.clearTimeout(timer);
  }

  private later(run: () => void, ms: number): void {
    const timer = clock.setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  protected fromHarness(chunk: Buffer): void {
    const bytes = this.withHeld(chunk);
    const out: Buffer[] = [];
    let i = 0;
    let noise = false;
    while (i < bytes.length) {
      const b = bytes[i] as number;
      if (b === ACK || b === NAK) {
        if (i + 1 >= bytes.length) break;
        out.push(this.controlUnit(b, bytes[i + 1] as number));
        i += 2;
        continue;
      }
      if (b !== STX) {
        out.push(bytes.subarray(i, i + 1));
        noise = true;
        i++;
        continue;
      }
      if (bytes.length - i < 4) break;
      const span = bytes.readUInt16BE(i + 1) + 7;
      const oversize = span - 7 > MAX_PAYLOAD;
      if (oversize && !this.defects.has('link-accepts-oversize')) {
        out.push(bytes.subarray(i, i + 1));
        i++;
        continue;
      }
      if (bytes.length - i < span) break;
      const whole = bytes.subarray(i, i + span);
      if (noise && this.defects.has('link-naks-noise') && intact(whole)) this.inner.write(Buffer.from([NAK, 0]));
      noise = false;
      const verdict = this.frame(whole, oversize);
      if ('pass' in verdict) out.push(verdict.pass);
      else if ('ackAndDrop' in verdict) this.inner.write(encodeAck(verdict.ackAndDrop));
      else {
        this.inner.write(encodeAck(verdict.seq));
        this.ackedEarly.set(verdict.seq, (this.ackedEarly.get(verdict.seq) ?? 0) + 1);
        this.later(() => this.push(verdict.late), SLOW_INFO_MS);
      }
      i += span;
    }
    const rest = bytes.subarray(i);
    const passed = Buffer.concat(out);
    if (passed.length > 0) this.push(passed);
    this.hold(rest, rest.length > 4 && rest.readUInt16BE(1) > MAX_PAYLOAD ? OVERSIZE_HOLD_MS : HOLD_MS);
  }

  /** An ACK or NAK from the harness, as the terminal's link gets it. */
  private controlUnit(kind: number, seq: number): Buffer {
    if (kind === NAK) {
      if (this.defects.has('link-nak-ignored')) return Buffer.alloc(0);
      if (this.lastOut && this.lastOut.frame[3] === seq) this.lastOut.naked = true;
    }
    if (kind === ACK && this.defects.has('link-any-ack') && this.lastOut) {
      return Buffer.from([ACK, this.lastOut.frame[3] as number]);
    }
    return Buffer.from([kind, seq]);
  }

  /** A complete frame from the harness: passed on, repaired, answered here, or held back. */
  private frame(frame: Buffer, oversize: boolean): Verdict {
    const seq = frame[3] as number;
    const etxAt = frame.length - 3;
    if (oversize) return frame[etxAt] === 0x03 ? { ackAndDrop: seq } : { pass: frame };
    const payload = frame.subarray(4, etxAt);
    if (frame[etxAt] === 0x03 && !intact(frame)) {
      return this.defects.has('link-no-crc-check') ? this.frame(encodeFrame(seq, payload), false) : { pass: frame };
    }
    if (frame[etxAt] !== 0x03) return { pass: frame };
    const type = typeOf(payload);
    if (type === undefined && this.defects.has('link-ignores-bad-json')) return { ackAndDrop: seq };
    if (typeof type === 'string' && !KNOWN_TYPES.has(type) && this.defects.has('link-unknown-command-silent')) {
      return { ackAndDrop: seq };
    }
    if (type === 'hello' && this.defects.has('link-any-protocol')) {
      const hello = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
      if (hello.protocol !== '1')
        return this.frame(encodeFrame(seq, Buffer.from(JSON.stringify({ ...hello, protocol: '1' }))), false);
    }
    if (type === 'hello' && this.defects.has('link-slow-info')) return { late: Buffer.from(frame), seq };
    return { pass: frame };
  }
}

/** The payload's `type` (null when it has none); undefined when the payload is not JSON. */
function typeOf(payload: Buffer): string | null | undefined {
  try {
    const value = JSON.parse(payload.toString('utf8')) as { type?: unknown } | null;
    return typeof value?.type === 'string' ? value.type : null;
  } catch {
    return undefined;
  }
}
