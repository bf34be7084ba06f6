// TCP framing: each message is preceded by a 2-byte big-endian length, which counts an optional TPDU (5 bytes) + body.
//   frameForTcp(body) → [len hi, len lo, ...body];  new TcpDeframer().push(chunk) → complete bodies, in order.

import { IsoError } from './errors.ts';

const HEADER = 2;
const MAX_FRAME = 0xffff;

/** Prefixes a message body (and an optional TPDU) with the 2-byte big-endian length header. */
export function frameForTcp(message: Uint8Array, options: { tpdu?: Uint8Array } = {}): Buffer {
  const tpdu = options.tpdu ?? new Uint8Array(0);
  const length = tpdu.length + message.length;
  if (length > MAX_FRAME) throw new IsoError(`Frame at offset 0: length ${length} does not fit a 2-byte header`, 0);
  const header = Buffer.alloc(HEADER);
  header.writeUInt16BE(length);
  return Buffer.concat([header, tpdu, message]);
}

/** Incremental deframer: accepts chunks split or merged anyhow, returns each complete body (TPDU stripped). */
export class TcpDeframer {
  private readonly tpduLength: number;
  private readonly maxLength: number;
  private buffer: Buffer = Buffer.alloc(0);
  private consumed = 0;
  private failure: IsoError | undefined;

  constructor(options: { tpduLength?: number; maxLength?: number } = {}) {
    this.tpduLength = options.tpduLength ?? 0;
    this.maxLength = options.maxLength ?? 8192;
  }

  /** Bytes received but not yet returned as a message. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Feeds bytes; returns the bodies completed by them. Throws IsoError (and keeps throwing) on a bad length header. */
  push(chunk: Uint8Array): Buffer[] {
    if (this.failure) throw this.failure;
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const bodies: Buffer[] = [];
    while (this.buffer.length >= HEADER) {
      const declared = this.buffer.readUInt16BE(0);
      this.check(declared);
      if (this.buffer.length < HEADER + declared) break;
      bodies.push(Buffer.from(this.buffer.subarray(HEADER + this.tpduLength, HEADER + declared)));
      this.buffer = this.buffer.subarray(HEADER + declared);
      this.consumed += HEADER + declared;
    }
    return bodies;
  }

  private check(declared: number): void {
    let problem: string | undefined;
    if (declared > this.maxLength) problem = `declared length ${declared} exceeds max ${this.maxLength}`;
    else if (declared < this.tpduLength)
      problem = `declared length ${declared} is shorter than the ${this.tpduLength}-byte TPDU`;
    if (problem) {
      this.failure = new IsoError(`Length header at offset ${this.consumed}: ${problem}`, this.consumed);
      throw this.failure;
    }
  }
}
