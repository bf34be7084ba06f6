// TCP framing: each message is preceded by a 2-byte big-endian length, which counts an optional TPDU (5 bytes) + body.
//   frameForTcp(body) → [len hi, len lo, ...body];  new TcpDeframer().push(chunk) → complete bodies, in order.
//   frameForTcp(body, { tpdu: DEFAULT_TPDU }) → [len, 60 00 03 00 00, ...body];  answerTpdu(tpdu) → 60 00 00 00 03
//   for (const body of deframer.push(chunk)) serve(body);  if (deframer.failure) close();  // good frames first
//
// The TPDU (binary packaging, docs/host.md): ID 0x60, destination address (2 bytes), source address (2 bytes). posrig's
// host accepts any addresses but refuses a frame whose ID is not 0x60 (tpduProblem: a fault, the connection goes on),
// and answers with the request's TPDU, destination and source swapped (jPOS NACChannel's default "tpdu-swap").

import { IsoError } from './errors.ts';

const HEADER = 2;
const MAX_FRAME = 0xffff;

/** Bytes of a TPDU: ID, destination (2), source (2). */
export const TPDU_LENGTH = 5;
/** The TPDU ID every frame of the binary packaging starts with. */
export const TPDU_ID = 0x60;
/** The TPDU the simulated terminal sends: to NII 0003 from 0000 (the value UnionPay terminal guides show). */
export const DEFAULT_TPDU: Readonly<Buffer> = Buffer.from([TPDU_ID, 0x00, 0x03, 0x00, 0x00]);

/** Why 5 bytes are not a TPDU this host accepts, or undefined when they are. `offset` is where it sits in the stream. */
export function tpduProblem(tpdu: Uint8Array, offset = HEADER): string | undefined {
  if (tpdu.length !== TPDU_LENGTH) return `TPDU at offset ${offset}: ${tpdu.length} bytes, a TPDU has ${TPDU_LENGTH}`;
  const id = tpdu[0] ?? 0;
  if (id === TPDU_ID) return undefined;
  const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;
  const ascii = id >= 0x30 && id <= 0x39 ? ' (an ASCII digit: is the terminal sending ASCII-87?)' : '';
  return `TPDU at offset ${offset}: ID ${hex(id)} is not ${hex(TPDU_ID)}${ascii}`;
}

/** The TPDU of an answer: the request's ID, its destination and source swapped (60 0003 0000 → 60 0000 0003). */
export function answerTpdu(request: Uint8Array): Buffer {
  const t = Buffer.from(request);
  if (t.length !== TPDU_LENGTH) return t;
  return Buffer.from([t[0] ?? TPDU_ID, t[3] ?? 0, t[4] ?? 0, t[1] ?? 0, t[2] ?? 0]);
}

/** Prefixes a message body (and an optional TPDU) with the 2-byte big-endian length header. */
export function frameForTcp(message: Uint8Array, options: { tpdu?: Uint8Array } = {}): Buffer {
  const tpdu = options.tpdu ?? new Uint8Array(0);
  const length = tpdu.length + message.length;
  if (length > MAX_FRAME) throw new IsoError(`Frame at offset 0: length ${length} does not fit a 2-byte header`, 0);
  const header = Buffer.alloc(HEADER);
  header.writeUInt16BE(length);
  return Buffer.concat([header, tpdu, message]);
}

/** Incremental deframer: accepts chunks split or merged anyhow, returns each complete body (TPDU stripped).
 * A bad length header never costs the frames before it: the push that meets it returns them and sets `failure`;
 * a push throws that IsoError only when it has no frame to return (the header was first, or the stream had failed). */
export class TcpDeframer {
  private readonly tpduLength: number;
  private readonly maxLength: number;
  private buffer: Buffer = Buffer.alloc(0);
  private consumed = 0;
  private broken: IsoError | undefined;

  constructor(options: { tpduLength?: number; maxLength?: number } = {}) {
    this.tpduLength = options.tpduLength ?? 0;
    this.maxLength = options.maxLength ?? 8192;
  }

  /** Bytes received but not yet returned as a message (none once failed: nothing after a bad header is returned). */
  get pending(): number {
    return this.buffer.length;
  }

  /** The bad length header met so far (IsoError naming its offset), or undefined while the stream is good. */
  get failure(): IsoError | undefined {
    return this.broken;
  }

  /** Feeds bytes; returns the bodies completed by them. On a bad length header: see the class comment. */
  push(chunk: Uint8Array): Buffer[] {
    return this.pushFrames(chunk).map((frame) => frame.body);
  }

  /** As push, keeping each frame's TPDU (empty without one) and the stream offset of its length header. */
  pushFrames(chunk: Uint8Array): Array<{ tpdu: Buffer; body: Buffer; offset: number }> {
    if (this.broken) throw this.broken;
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const frames: Array<{ tpdu: Buffer; body: Buffer; offset: number }> = [];
    while (this.buffer.length >= HEADER) {
      const declared = this.buffer.readUInt16BE(0);
      const problem = this.problem(declared);
      if (problem) {
        this.broken = new IsoError(`Length header at offset ${this.consumed}: ${problem}`, this.consumed);
        this.buffer = Buffer.alloc(0);
        break;
      }
      if (this.buffer.length < HEADER + declared) break;
      const tpdu = Buffer.from(this.buffer.subarray(HEADER, HEADER + this.tpduLength));
      const body = Buffer.from(this.buffer.subarray(HEADER + this.tpduLength, HEADER + declared));
      frames.push({ tpdu, body, offset: this.consumed });
      this.buffer = this.buffer.subarray(HEADER + declared);
      this.consumed += HEADER + declared;
    }
    if (this.broken && frames.length === 0) throw this.broken;
    return frames;
  }

  private problem(declared: number): string | undefined {
    if (declared > this.maxLength) return `declared length ${declared} exceeds max ${this.maxLength}`;
    if (declared < this.tpduLength)
      return `declared length ${declared} is shorter than the ${this.tpduLength}-byte TPDU`;
    return undefined;
  }
}
