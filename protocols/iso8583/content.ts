// Content rules per field content type, independent of the wire: which characters a value may hold and how long it is.
// Errors name the position and character, never the whole value (it may be a PAN).

import { printable } from './asciiEncoding.ts';
import type { FieldContent, FieldSpec } from './spec.ts';

const ALLOWED: Readonly<Record<FieldContent, { test: RegExp; says: string }>> = {
  n: { test: /^[0-9]$/, says: 'digits only' },
  an: { test: /^[A-Za-z0-9]$/, says: 'letters and digits only' },
  anp: { test: /^[A-Za-z0-9 ]$/, says: 'letters, digits and spaces only' },
  ans: { test: /^[\x20-\x7e]$/, says: 'printable ASCII only' },
  b: { test: /^[0-9A-Fa-f]$/, says: 'hex digits only' },
  z: { test: /^[0-9=D]$/, says: "track 2 characters only (digits, '=', 'D')" },
  'x+n': { test: /^[0-9]$/, says: "'C' or 'D' then digits" },
};

/** How many units (characters; bytes for b) a value holds. */
export function valueUnits(field: FieldSpec, value: string): number {
  return field.content === 'b' ? value.length / 2 : value.length;
}

/** Why a value is not valid content for the field (characters only, not length), or undefined when it is.
 * `unsignedAmounts`: an x+n value may start with a digit (no sign) as well as 'C' or 'D'. */
export function contentProblem(field: FieldSpec, value: string, unsignedAmounts = false): string | undefined {
  const rule = ALLOWED[field.content];
  if (field.content === 'b' && value.length % 2 !== 0)
    return `hex value has an odd number of characters (${value.length})`;
  for (let i = 0; i < value.length; i++) {
    if (field.content === 'x+n' && i === 0) {
      const sign = value.charAt(0);
      if (sign !== 'C' && sign !== 'D' && !(unsignedAmounts && /^[0-9]$/.test(sign)))
        return `character 1 is "${printable(sign)}": x+n starts with 'C' or 'D'${unsignedAmounts ? ' or a digit' : ''}`;
      continue;
    }
    const c = value.charAt(i);
    if (!rule.test.test(c)) return `character ${i + 1} is "${printable(c)}": ${field.content} allows ${rule.says}`;
  }
  if (field.content === 'x+n' && value.length < 2) return "x+n needs 'C' or 'D' then at least one digit";
  return undefined;
}

/** Why a value's length does not fit the field, or undefined when it does. */
export function lengthProblem(field: FieldSpec, units: number): string | undefined {
  if (field.kind === 'fixed') {
    return units === field.length ? undefined : `length ${units}, fixed length is ${field.length}`;
  }
  const prefix = field.kind === 'llvar' ? 'LL' : 'LLL';
  return units > field.length ? `${prefix} length ${units} exceeds max ${field.length}` : undefined;
}
