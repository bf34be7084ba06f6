// How the proxy alters a message for the 'alter' action: the listed fields get another value of the same shape, so
// the message still unpacks but no longer echoes what the request carried (a host or a network that mixed answers up).
//   alterBody(body, [4])  → { body: <DE4 one minor unit more>, altered: [4] }
//   alterBody(body, [11]) → DE11 the next STAN; alterBody(body, [41]) → DE41 with its last character changed
// A field the message does not carry is left out of `altered`; a body that does not unpack is returned unchanged.

import { type IsoMessage, type Packaging, packMessage, unpackMessage } from '../../protocols/iso8583/index.ts';
import type { AlterableField } from './faultRule.ts';

/** Another value for a field, same length and content type as the one given. */
export function otherValue(field: AlterableField, value: string): string {
  switch (field) {
    case 4: // n12 amount in minor units: one more (wrapping at 10^12)
      return String((BigInt(value) + 1n) % 10n ** 12n).padStart(value.length, '0');
    case 11: // n6 STAN: the next one, 000001 … 999999
      return String((Number(value) % 999_999) + 1).padStart(value.length, '0');
    case 41: {
      // ans8 TID: the last character changed
      const last = value.at(-1) === 'X' ? 'Y' : 'X';
      return `${value.slice(0, -1)}${last}`;
    }
  }
}

/** The body with each listed field given another value; `altered` names the fields that were there to change. */
export function alterBody(
  body: Uint8Array,
  fields: readonly AlterableField[],
  packaging: Packaging = 'ascii',
): { body: Buffer; altered: number[] } {
  let message: IsoMessage;
  try {
    message = unpackMessage(body, packaging);
  } catch {
    return { body: Buffer.from(body), altered: [] };
  }
  const changed: IsoMessage['fields'] = { ...message.fields };
  const altered: number[] = [];
  for (const field of fields) {
    const value = changed[field];
    if (value === undefined) continue;
    changed[field] = otherValue(field, value);
    altered.push(field);
  }
  return { body: packMessage({ mti: message.mti, fields: changed }, packaging), altered };
}
