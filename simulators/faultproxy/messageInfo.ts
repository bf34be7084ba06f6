// What the proxy reads from a message body and how it corrupts one. Its log words carry MTI, STAN and DE39 only; the
// fields it keeps for the network trace are masked (DE2/35/45 masked, DE52 removed), so no PAN or PIN block leaks.
//   readMessage(body) → { mti: '0210', stan: '000012', responseCode: '00' } or { mti: 'garbled' }
//   readFields(body) → { 3: '000000', 4: '000000010000', 2: '411111******1111', … } or undefined
//   corruptBody(body) → a copy whose bitmap no longer parses (length unchanged)
// Each takes the link's packaging ('ascii' by default, or 'binary': ISO87B bodies, the TPDU already split off).

import { maskIsoMessage, type Packaging, packagerFor, unpackMessage } from '../../protocols/iso8583/index.ts';
import { type Direction, directionArrow } from './faultRule.ts';

export interface MessageSummary {
  mti: string; // the first 4 bytes when they are digits, else 'garbled'
  stan?: string; // DE11, when the body unpacks
  responseCode?: string; // DE39, when present
}

/** Reads MTI, STAN and DE39 from a body; a body that does not unpack keeps its MTI or is 'garbled'. */
export function readMessage(body: Uint8Array, packaging: Packaging = 'ascii'): MessageSummary {
  return readBody(body, packaging).summary;
}

/** The body's fields, masked for the trace; undefined when the body does not unpack. */
export function readFields(body: Uint8Array, packaging: Packaging = 'ascii'): Record<number, string> | undefined {
  return readBody(body, packaging).fields;
}

/** Both at once, unpacking the body once: the proxy reads every message that passes. */
export function readBody(
  body: Uint8Array,
  packaging: Packaging = 'ascii',
): { summary: MessageSummary; fields?: Record<number, string> } {
  try {
    const message = unpackMessage(body, packaging);
    const summary: MessageSummary = { mti: message.mti };
    if (message.fields[11] !== undefined) summary.stan = message.fields[11];
    if (message.fields[39] !== undefined) summary.responseCode = message.fields[39];
    const spec = packagerFor(packaging);
    return { summary, fields: { ...maskIsoMessage(message, spec).fields } as Record<number, string> };
  } catch {
    const encoding = packagerFor(packaging).encoding;
    const head = Buffer.from(body.subarray(0, encoding.mtiLength));
    const mti = head.length === encoding.mtiLength ? encoding.decodeMti(head) : '';
    return { summary: { mti: /^\d{4}$/.test(mti) ? mti : 'garbled' } };
  }
}

const BITMAP_OFFSET = 4; // ASCII-87: MTI (4) then the primary bitmap as 16 hex characters
const BAD_BYTE = 0x5a; // 'Z': neither a digit nor a hex character
const BAD_BCD = 0xff; // binary: F nibbles are no BCD digits, so an MTI starting with them never unpacks

/** A copy of the body that no longer unpacks, same length: ASCII-87 gets a 'Z' in the bitmap (or the MTI, for a short
 * body); binary gets 0xFF as the first MTI byte (any binary bitmap would still parse). */
export function corruptBody(body: Uint8Array, packaging: Packaging = 'ascii'): { body: Buffer; offset: number } {
  const copy = Buffer.from(body);
  if (copy.length === 0) return { body: copy, offset: -1 };
  if (packaging === 'binary') {
    copy[0] = copy[0] === BAD_BCD ? 0xee : BAD_BCD;
    return { body: copy, offset: 0 };
  }
  const offset = copy.length > BITMAP_OFFSET ? BITMAP_OFFSET : 0;
  copy[offset] = copy[offset] === BAD_BYTE ? 0x7e : BAD_BYTE;
  return { body: copy, offset };
}

/** A message in log words: '0210 STAN 000012 RC 00 (host → terminal)'; never any other field value. */
export function describeMessage(summary: MessageSummary, direction: Direction, length: number): string {
  const name = summary.mti === 'garbled' ? `garbled message (${length} bytes)` : summary.mti;
  const stan = summary.stan !== undefined ? ` STAN ${summary.stan}` : '';
  const code = summary.responseCode !== undefined ? ` RC ${summary.responseCode}` : '';
  return `${name}${stan}${code} (${directionArrow(direction)})`;
}
