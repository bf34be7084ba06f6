// The ways a card number can be written in text, for the report scan: one digit run, or digit groups with spaces or
// dashes between them in a grouping cards are printed with. Only Luhn-valid 13–19 digit numbers count, so STANs
// (6 digits), RRNs (12), DE7 (10), dates and times are never card numbers; a masked number (first 6 / last 4 with
// *, • or … between) has no full digit run and is not one either.
//   findPansInText('card 4111 1111 1111 1111 ok') → [{ pan: '4111111111111111', written: 'spaced' }]

import { CARD_GROUPINGS, digitRunPans, groupedCardNumbers } from '../protocols/domain/pan.ts';

export type WrittenForm = 'digits' | 'spaced' | 'dashed';

export interface PanInText {
  readonly pan: string;
  readonly written: WrittenForm;
}

export { CARD_GROUPINGS };

/** Every unmasked card number in a text, each with how it was written (a number written twice is listed twice). */
export function findPansInText(text: string): PanInText[] {
  const found: PanInText[] = [];
  for (const pan of digitRunPans(text)) {
    if (!looksLikeEpochTime(pan)) found.push({ pan, written: 'digits' });
  }
  for (const grouped of groupedCardNumbers(text)) {
    found.push({ pan: grouped.pan, written: grouped.separator === '-' ? 'dashed' : 'spaced' });
  }
  return found;
}

/**
 * A 13, 16 or 19 digit run starting with 1 reads as a Unix time in milliseconds, microseconds or nanoseconds
 * (2001–2033): a timestamp, not a card — 13-digit cards are Visa (4…) and no issuer hands out 16 or 19 digit
 * numbers in the airline range 1 except UATP, whose numbers have 15 digits.
 */
function looksLikeEpochTime(digits: string): boolean {
  return digits[0] === '1' && (digits.length === 13 || digits.length === 16 || digits.length === 19);
}
