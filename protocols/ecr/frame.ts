// ECR test link framing: STX | LEN (2, BE) | SEQ (1) | payload | ETX | CRC (2, BE), plus 2-byte ACK/NAK units.
//   encodeFrame(0, Buffer.from('{"type":"hello","id":"h1","protocol":"1"}'))  → <Buffer 02 00 29 00 7b ... 03 xx xx>
//   const decoder = new FrameDecoder(); decoder.push(chunk) → [{ kind: 'frame', seq: 0, payload }, { kind: 'ack', seq: 4 }]
// Normative description: docs/protocol.md. Length-prefixed, so there is no byte stuffing.

// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR; check value 0x29B1 for "123456789").
// The `crc` package calls this model `crc16ccitt`.
import crc16ccitt from 'crc/crc16ccitt';

export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;
/** Largest payload (bytes) a frame may carry; a LEN above this is refused as 'oversize'. */
export const MAX_PAYLOAD = 4096;

/** Bytes a frame adds around its payload: STX, LEN (2), SEQ, ETX, CRC (2). */
const OVERHEAD = 7;
const HEADER = 4; // STX + LEN + SEQ

export type FrameErrorCode = 'noise' | 'bad-crc' | 'bad-etx' | 'oversize' | 'truncated';

/** A framing problem at a byte offset of the received stream (or of an encoding request). */
export class FrameError extends Error {
  override name = 'FrameError';
  readonly code: FrameErrorCode;
  /** Stream offset (bytes since the decoder started) of the STX, or of the first skipped byte for 'noise'. */
  readonly offset: number;
  readonly seq?: number;

  constructor(code: FrameErrorCode, offset: number, message: string, seq?: number) {
    super(message);
    this.code = code;
    this.offset = offset;
    if (seq !== undefined) this.seq = seq;
  }
}

export type LinkUnit =
  | { kind: 'frame'; seq: number; payload: Buffer }
  | { kind: 'ack'; seq: number }
  | { kind: 'nak'; seq: number }
  | { kind: 'fault'; error: FrameError };

/** CRC-16/CCITT-FALSE of the bytes, as an unsigned 16-bit number. */
export function frameCrc(bytes: Uint8Array): number {
  return crc16ccitt(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) & 0xffff;
}

function checkSeq(seq: number): void {
  if (!Number.isInteger(seq) || seq < 0 || seq > 255) throw new RangeError(`SEQ must be an integer 0..255, got ${seq}`);
}

/** Wraps a payload in a frame with the given SEQ (0..255); throws FrameError 'oversize' above MAX_PAYLOAD. */
export function encodeFrame(seq: number, payload: Uint8Array): Buffer {
  checkSeq(seq);
  if (payload.length > MAX_PAYLOAD) {
    throw new FrameError('oversize', 0, `payload of ${payload.length} bytes exceeds MAX_PAYLOAD ${MAX_PAYLOAD}`, seq);
  }
  const frame = Buffer.alloc(payload.length + OVERHEAD);
  frame[0] = STX;
  frame.writeUInt16BE(payload.length, 1);
  frame[3] = seq;
  frame.set(payload, HEADER);
  const etxAt = HEADER + payload.length;
  frame[etxAt] = ETX;
  frame.writeUInt16BE(frameCrc(frame.subarray(1, etxAt + 1)), etxAt + 1);
  return frame;
}

/** The 2-byte positive acknowledgement `ACK SEQ`. */
export function encodeAck(seq: number): Buffer {
  checkSeq(seq);
  return Buffer.from([ACK, seq]);
}

/** The 2-byte negative acknowledgement `NAK SEQ`. */
export function encodeNak(seq: number): Buffer {
  checkSeq(seq);
  return Buffer.from([NAK, seq]);
}

const hex16 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;

/** What the bytes at a STX turned out to be. */
type FrameScan =
  | { kind: 'frame'; seq: number; payload: Buffer; length: number }
  | { kind: 'bad'; code: 'oversize' | 'bad-etx' | 'bad-crc'; seq: number; why: string; span: number }
  | { kind: 'incomplete' };

/** Reads the frame that starts with the STX at buf[i]. */
function scanFrame(buf: Buffer, i: number): FrameScan {
  if (buf.length - i < HEADER) return { kind: 'incomplete' };
  const len = buf.readUInt16BE(i + 1);
  const seq = buf[i + 3] as number;
  if (len > MAX_PAYLOAD)
    return { kind: 'bad', code: 'oversize', seq, why: `LEN ${len} > ${MAX_PAYLOAD}`, span: HEADER };
  const span = len + OVERHEAD;
  if (buf.length - i < span) return { kind: 'incomplete' };
  const etxAt = i + HEADER + len;
  const etx = buf[etxAt] as number;
  if (etx !== ETX) {
    const why = `byte ${HEADER + len} of the frame is 0x${etx.toString(16).padStart(2, '0')}, not ETX`;
    return { kind: 'bad', code: 'bad-etx', seq, why, span };
  }
  const computed = frameCrc(buf.subarray(i + 1, etxAt + 1));
  const received = buf.readUInt16BE(etxAt + 1);
  if (computed !== received) {
    return { kind: 'bad', code: 'bad-crc', seq, why: `computed ${hex16(computed)}, received ${hex16(received)}`, span };
  }
  return { kind: 'frame', seq, payload: Buffer.from(buf.subarray(i + HEADER, etxAt)), length: span };
}

const BAD_WORDS = { oversize: 'oversize frame', 'bad-etx': 'bad ETX in frame', 'bad-crc': 'bad CRC in frame' } as const;

/**
 * Incremental decoder: push chunks as they arrive, get whole units back. Never throws on input bytes.
 * It holds at most one incomplete unit (< MAX_PAYLOAD + 7 bytes); noise is dropped at once.
 *
 * After a bad frame it resynchronises by rescanning from the byte after that frame's STX, so a real frame hidden
 * in the bad one is still found. Inside the span the bad frame claimed ("quiet zone"), only complete valid frames
 * count: stray ACK/NAK bytes and further errors there are artefacts of the same corruption and are not reported.
 */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  /** Stream offset of buffer[0]. */
  private base = 0;
  /** Inside a run of skipped bytes that has already been reported (noise, or the rest of a bad frame). */
  private skipping = false;
  /** Stream offset where the quiet zone of the last bad frame ends. */
  private quietUntil = 0;

  /** True while an incomplete frame (or ACK/NAK) is held, waiting for more bytes. */
  get pending(): boolean {
    return this.buffer.length > 0;
  }

  /** Bytes held for an incomplete unit: always under MAX_PAYLOAD + 7 (one frame), 0 after flush. */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  /** Feeds received bytes; returns every unit (frame, ack, nak, fault) they complete, in stream order. */
  push(chunk: Uint8Array): LinkUnit[] {
    if (chunk.length === 0) return [];
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    return this.drain(false);
  }

  /** Ends the input: a held partial frame becomes a 'truncated' fault, and the bytes after its STX are rescanned. */
  flush(): LinkUnit[] {
    return this.drain(true);
  }

  private drain(final: boolean): LinkUnit[] {
    const units: LinkUnit[] = [];
    const buf = this.buffer;
    let i = 0;
    while (i < buf.length) {
      const b = buf[i] as number;
      const quiet = this.at(i) < this.quietUntil;
      if (b === STX) {
        const scan = scanFrame(buf, i);
        if (scan.kind === 'frame') {
          units.push({ kind: 'frame', seq: scan.seq, payload: scan.payload });
          this.skipping = false;
          i += scan.length;
          continue;
        }
        if (scan.kind === 'bad') {
          const where = `${BAD_WORDS[scan.code]} SEQ ${scan.seq} at stream offset ${this.at(i)}`;
          if (!quiet) units.push(this.fault(scan.code, i, `${where}: ${scan.why}`, scan.seq));
          this.badFrameAt(i, scan.span);
          i++;
          continue;
        }
        if (!final) break;
        const seq = buf.length - i >= HEADER ? buf[i + 3] : undefined;
        const what = seq === undefined ? 'frame (in its header)' : `frame SEQ ${seq}`;
        if (!quiet) units.push(this.fault('truncated', i, `truncated ${what} at stream offset ${this.at(i)}`, seq));
        this.badFrameAt(i, buf.length - i);
        i++;
        continue;
      }
      if ((b === ACK || b === NAK) && !quiet) {
        const seq = buf[i + 1];
        if (seq !== undefined) {
          units.push({ kind: b === ACK ? 'ack' : 'nak', seq });
          this.skipping = false;
          i += 2;
          continue;
        }
        if (!final) break;
      }
      // noise: any other byte, a lone trailing ACK/NAK byte, or a control byte inside a quiet zone
      if (!this.skipping && !quiet) units.push(this.fault('noise', i, `noise from stream offset ${this.at(i)}`));
      this.skipping = true;
      i++;
    }
    this.buffer = buf.length === i ? Buffer.alloc(0) : buf.subarray(i);
    this.base += i;
    return units;
  }

  /** Starts the quiet zone of a bad frame at i claiming span bytes; scanning resumes at i + 1. */
  private badFrameAt(i: number, span: number): void {
    this.quietUntil = Math.max(this.quietUntil, this.at(i + span));
    this.skipping = true;
  }

  private at(i: number): number {
    return this.base + i;
  }

  private fault(code: FrameErrorCode, i: number, message: string, seq?: number): LinkUnit {
    return { kind: 'fault', error: new FrameError(code, this.at(i), message, seq) };
  }
}
