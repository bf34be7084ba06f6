// The two packagings of the host link, chosen per rig (host.packaging): what the simulators and the CLI call.
//   'ascii'  — ASCII-87 (jPOS ISO87APackager): [length 2][body]
//   'binary' — ISO87B  (jPOS ISO87BPackager): [length 2][TPDU 5][body]; the length counts the TPDU
//   const bytes = frameMessage(message, 'binary', { tpdu: DEFAULT_TPDU });
//   const deframer = deframerFor('binary');  for (const f of deframer.pushFrames(chunk)) unpackMessage(f.body, 'binary');

import { ASCII87 } from './ascii87.ts';
import { ISO87B } from './binary87.ts';
import { type IsoMessage, packIso, unpackIso } from './codec.ts';
import { DEFAULT_TPDU, frameForTcp, TcpDeframer, TPDU_LENGTH } from './framing.ts';
import type { PackagerSpec } from './spec.ts';

/** ISO 8583 packaging on the host link: ASCII-87, or binary ISO87B behind a 5-byte TPDU. */
export type Packaging = 'ascii' | 'binary';

export const PACKAGINGS: readonly Packaging[] = Object.freeze(['ascii', 'binary']);

/** Whether a value names a packaging. */
export function isPackaging(value: unknown): value is Packaging {
  return value === 'ascii' || value === 'binary';
}

/** The packager table + wire encoding of a packaging. */
export function packagerFor(packaging: Packaging): PackagerSpec {
  return packaging === 'binary' ? ISO87B : ASCII87;
}

/** Whether frames of this packaging carry a TPDU between the length header and the MTI (binary: yes). */
export function usesTpdu(packaging: Packaging): boolean {
  return packaging === 'binary';
}

/** Packs a message in a packaging (IsoError naming field and offset). */
export function packMessage(message: IsoMessage, packaging: Packaging = 'ascii'): Buffer {
  return packIso(message, packagerFor(packaging));
}

/** Unpacks a body (no length header, no TPDU) in a packaging. */
export function unpackMessage(bytes: Uint8Array, packaging: Packaging = 'ascii'): IsoMessage {
  return unpackIso(bytes, packagerFor(packaging));
}

/** Packs and frames a message: length header, then (binary) the TPDU — DEFAULT_TPDU unless given — then the body. */
export function frameMessage(
  message: IsoMessage,
  packaging: Packaging = 'ascii',
  options: { tpdu?: Uint8Array } = {},
): Buffer {
  return frameBody(packMessage(message, packaging), packaging, options);
}

/** Frames a packed body for a packaging (the TPDU only for binary). */
export function frameBody(
  body: Uint8Array,
  packaging: Packaging = 'ascii',
  options: { tpdu?: Uint8Array } = {},
): Buffer {
  return usesTpdu(packaging) ? frameForTcp(body, { tpdu: options.tpdu ?? DEFAULT_TPDU }) : frameForTcp(body);
}

/** A deframer for a packaging's frames: pushFrames returns each body with its TPDU (empty for ascii). */
export function deframerFor(packaging: Packaging = 'ascii', options: { maxLength?: number } = {}): TcpDeframer {
  return new TcpDeframer({ ...options, tpduLength: usesTpdu(packaging) ? TPDU_LENGTH : 0 });
}
