// Human-readable and trace-safe views of a message: PANs and tracks masked, the PIN block never shown.
//   describeIso(m) → ['MTI 0200', 'DE002 Primary account number: 622848******0018', 'DE052 PIN data: [PIN block]', ...]

import { maskPan, maskPansIn } from '../domain/pan.ts';
import { ASCII87 } from './ascii87.ts';
import { fieldLabel, type IsoMessage } from './codec.ts';
import type { PackagerSpec } from './spec.ts';

const PIN_BLOCK = 52;
const TEXT_CONTENT = new Set(['an', 'anp', 'ans']);

/** Masks a track 1/2 image: the PAN to first6/last4, everything after the PAN's separator to '*'. */
export function maskTrack(track: string): string {
  const m = /^([A-Za-z]?)(\d*)([\s\S]*)$/.exec(track);
  const [, format = '', pan = '', rest = ''] = m ?? [];
  return `${format}${maskPan(pan)}${rest.slice(0, 1)}${'*'.repeat(Math.max(0, rest.length - 1))}`;
}

/** The value of one field as it may appear in logs and traces. */
function maskedValue(field: number, value: string, spec: PackagerSpec): string {
  if (field === 2) return maskPan(value);
  if (field === 35 || field === 45) return maskTrack(value);
  const content = spec.fields[field]?.content;
  return content && TEXT_CONTENT.has(content) ? maskPansIn(value) : value;
}

/** A copy for traces and evidence: DE2/DE35/DE45 masked, PANs in text fields masked, DE52 removed. */
export function maskIsoMessage(message: IsoMessage, spec: PackagerSpec = ASCII87): IsoMessage {
  const fields: IsoMessage['fields'] = {};
  for (const [key, value] of Object.entries(message.fields)) {
    const n = Number(key);
    if (n === PIN_BLOCK || value === undefined) continue;
    fields[n] = maskedValue(n, value, spec);
  }
  return { mti: message.mti, fields };
}

/** One line per element: 'MTI 0200', then 'DE002 Primary account number: 411111******1111' in field order, masked. */
export function describeIso(message: IsoMessage, spec: PackagerSpec = ASCII87): string[] {
  const lines = [`MTI ${message.mti}`];
  const numbers = Object.keys(message.fields)
    .map(Number)
    .sort((a, b) => a - b);
  for (const n of numbers) {
    const value = message.fields[n];
    if (value === undefined) continue;
    const shown = n === PIN_BLOCK ? '[PIN block]' : maskedValue(n, value, spec);
    lines.push(`${fieldLabel(n, spec)}: ${shown}`);
  }
  return lines;
}
