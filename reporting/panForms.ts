// The ways a card number can be written in text, for the report scan: one digit run, or digit groups with spaces or
// dashes between them in a grouping cards are printed with. Only Luhn-valid 13–19 digit numbers count, so STANs
// (6 digits), RRNs (12), DE7 (10), dates and times are never card numbers; a masked number (first 6 / last 4 with
// *, • or … between) has no full digit run and is not one either.
//   findPansInText('card 4111 1111 1111 1111 ok') → [{ pan: '4111111111111111', written: 'spaced' }]

import { findUnmaskedPans, luhnValid } from '../protocols/domain/pan.ts';

export type WrittenForm = 'digits' | 'spaced' | 'dashed';

export interface PanInText {
  readonly pan: string;
  readonly written: WrittenForm;
}

/** Digit-group lengths that card numbers are printed with (a longer run of groups is searched for these inside it). */
export const CARD_GROUPINGS: readonly string[] = [
  '4-4-4-4', // 16: Visa, Mastercard, UnionPay, …
  '4-4-4-4-3', // 19: UnionPay, Maestro
  '4-4-4-4-2', // 18
  '4-4-4-4-1', // 17
  '4-4-4-3', // 15
  '4-4-4-1', // 13: old Visa
  '4-3-3-3', // 13: old Visa, as embossed
  '4-6-5', // 15: American Express
  '4-6-4', // 14: Diners Club
];
const GROUPINGS = new Set(CARD_GROUPINGS);
const MAX_GROUPS = 5;

/** Digit groups joined by one space or one dash (the same throughout), the first not glued to a word before it. */
const GROUPED_DIGITS = /(?<![A-Za-z0-9_])\d+(?:([ -])\d+)(?:\1\d+)*/g;
const GLUED = /[A-Za-z_]/;

/** Every unmasked card number in a text, each with how it was written (a number written twice is listed twice). */
export function findPansInText(text: string): PanInText[] {
  const found: PanInText[] = [];
  for (const pan of findUnmaskedPans(text)) {
    if (!looksLikeEpochTime(pan)) found.push({ pan, written: 'digits' });
  }
  for (const match of text.matchAll(GROUPED_DIGITS)) {
    const sep = match[1] === '-' ? '-' : ' ';
    const groups = match[0].split(sep);
    // A last group glued to letters is part of a word (the 792 of a UUID's 9836-792dd93f260f), not of a card number.
    if (GLUED.test(text.charAt(match.index + match[0].length))) groups.pop();
    for (const pan of cardNumbersIn(groups)) found.push({ pan, written: sep === '-' ? 'dashed' : 'spaced' });
  }
  return found;
}

/** Luhn-valid numbers formed by consecutive groups in a card grouping, first digit not 0. */
function cardNumbersIn(groups: readonly string[]): string[] {
  const pans: string[] = [];
  for (let start = 0; start < groups.length; start++) {
    for (let size = 2; size <= MAX_GROUPS && start + size <= groups.length; size++) {
      const window = groups.slice(start, start + size);
      if (!GROUPINGS.has(window.map((g) => g.length).join('-'))) continue;
      const digits = window.join('');
      if (digits[0] !== '0' && luhnValid(digits)) pans.push(digits);
    }
  }
  return pans;
}

/**
 * A 13, 16 or 19 digit run starting with 1 reads as a Unix time in milliseconds, microseconds or nanoseconds
 * (2001–2033): a timestamp, not a card — 13-digit cards are Visa (4…) and no issuer hands out 16 or 19 digit
 * numbers in the airline range 1 except UATP, whose numbers have 15 digits.
 */
function looksLikeEpochTime(digits: string): boolean {
  return digits[0] === '1' && (digits.length === 13 || digits.length === 16 || digits.length === 19);
}
