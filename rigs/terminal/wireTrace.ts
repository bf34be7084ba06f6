// The ECR serial link as it crossed the wire: every frame, ACK and NAK each way, timestamped, with the frame's bytes in
// hex — card numbers masked and PIN digits hidden inside those bytes ('*', 0x2a), so a trace is safe to hand over.
// Built from the link's own 'trace' events, cut into units by the same FrameDecoder the link uses.
//   const wire = new WireTrace(ecrLink);  …  wire.since(scenarioStarted) → [{ at, dir: 'out', unit: 'frame', seq: 3, hex: '02 00 2f 03 7b …' }]

import { maskPansIn } from '../../protocols/domain/pan.ts';
import { type EcrLink, encodeFrame, FrameDecoder, type LinkTrace, type LinkUnit } from '../../protocols/ecr/index.ts';

export interface WireUnit {
  readonly at: Date;
  /** 'in' from the terminal, 'out' from the harness. */
  readonly dir: 'in' | 'out';
  readonly unit: LinkUnit['kind'];
  /** SEQ of a frame, ACK or NAK. */
  readonly seq?: number;
  /** The unit's bytes in hex (frames: the payload masked); for a fault, what was wrong. */
  readonly hex: string;
}

/** How many units are kept: a scenario's few hundred, with room; the oldest go first. */
const KEPT = 5000;

export class WireTrace {
  private readonly units: WireUnit[] = [];
  private readonly decoders = { in: new FrameDecoder(), out: new FrameDecoder() };

  constructor(link: EcrLink) {
    link.on('trace', (trace: LinkTrace) => this.record(trace));
  }

  /** The units that crossed at or after a moment, oldest first. */
  since(at: Date): WireUnit[] {
    return this.units.filter((u) => u.at >= at);
  }

  private record({ dir, at, bytes }: LinkTrace): void {
    for (const unit of this.decoders[dir].push(bytes)) {
      this.units.push({ at, dir, unit: unit.kind, ...describe(unit) });
      if (this.units.length > KEPT) this.units.splice(0, this.units.length - KEPT);
    }
  }
}

function describe(unit: LinkUnit): { seq?: number; hex: string } {
  switch (unit.kind) {
    case 'ack':
      return { seq: unit.seq, hex: `06 ${byteHex(unit.seq)}` };
    case 'nak':
      return { seq: unit.seq, hex: `15 ${byteHex(unit.seq)}` };
    case 'fault':
      return { hex: `(${unit.error.code} at byte ${unit.error.offset})` };
    case 'frame':
      return { seq: unit.seq, hex: frameHex(unit.seq, unit.payload) };
  }
}

/** The frame as sent — STX, LEN, SEQ, payload, ETX, CRC — with the payload's card numbers and PIN digits masked. */
export function frameHex(seq: number, payload: Buffer): string {
  const wire = encodeFrame(seq, payload);
  const safe = Buffer.from(safePayload(payload.toString('latin1')), 'latin1'); // same length: masks keep it
  safe.copy(wire, 4);
  return hexOf(wire);
}

/** The payload text with PANs masked and the digit keys of `input.keys` hidden; byte for byte the same length. */
export function safePayload(text: string): string {
  return maskPansIn(text).replace(
    /("keys"\s*:\s*\[)([^\]]*)\]/g,
    (_all, head: string, keys: string) => `${head}${keys.replace(/\d/g, '*')}]`,
  );
}

function hexOf(bytes: Buffer): string {
  return [...bytes].map(byteHex).join(' ');
}

function byteHex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
