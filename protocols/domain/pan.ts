// Card numbers (PANs): one masking rule for every log, report and display outside the simulated bank.
//   maskPan('4111111111111111') → '411111******1111'
//   maskPansIn('card 4111111111111111 ok') → 'card 411111******1111 ok'
//   maskPansIn('card 4111 1111 1111 1111') → 'card 4111 11** **** 1111'

/** Masks a PAN to first 6 and last 4 digits; anything too short to keep those is fully masked. */
export function maskPan(pan: string): string {
  if (pan.length < 13) return '*'.repeat(pan.length);
  return `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`;
}

/** True when the digit string passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const PAN_CANDIDATE = /(?<!\d)\d{13,19}(?!\d)/g;
/** A hash or id in hex (md5 and longer: Allure's test ids, digests) is never a card number, whatever digits it holds. */
const HEX_ID = /^[0-9a-fA-F]{32,}$/;

/** The maximal run of hex digits around text[start, end): a card number inside one is part of an id. */
function inHexId(text: string, start: number, end: number): boolean {
  let from = start;
  let to = end;
  while (from > 0 && /[0-9a-fA-F]/.test(text.charAt(from - 1))) from--;
  while (to < text.length && /[0-9a-fA-F]/.test(text.charAt(to))) to++;
  const token = text.slice(from, to);
  return HEX_ID.test(token) && /[a-fA-F]/.test(token);
}

/** A Luhn-valid 13–19 digit run standing on its own (not all zeros, not inside a hex id). */
function panRun(text: string, digits: string, at: number): boolean {
  return luhnValid(digits) && !/^0+$/.test(digits) && !inHexId(text, at, at + digits.length);
}

/** Masks every card number in free text (logs, traces, reports, pictures): each Luhn-valid 13–19 digit run, and each
 * one written in digit groups as cards are printed (`4111 1111 1111 1111` → `4111 11** **** 1111`). */
export function maskPansIn(text: string): string {
  const runsMasked = text.replace(PAN_CANDIDATE, (digits: string, at: number) =>
    panRun(text, digits, at) ? maskPan(digits) : digits,
  );
  const grouped = groupedCardNumbers(runsMasked);
  if (grouped.length === 0) return runsMasked;
  const chars = [...runsMasked];
  for (const { start, end } of grouped) {
    // Digits of the number by position: the first 6 and the last 4 stay, separators stay.
    const positions = [];
    for (let i = start; i < end; i++) if (/\d/.test(runsMasked.charAt(i))) positions.push(i);
    for (const i of positions.slice(6, -4)) chars[i] = '*';
  }
  return chars.join('');
}

/** The unmasked card numbers in a text — Luhn-valid 13–19 digit runs, and numbers written in card digit groups —
 * as digits: what a terminal must never send and a report never hold. */
export function findUnmaskedPans(text: string): string[] {
  return [...digitRunPans(text), ...groupedCardNumbers(text).map((g) => g.pan)];
}

/** Only the unmasked Luhn-valid 13–19 digit runs. */
export function digitRunPans(text: string): string[] {
  return [...text.matchAll(PAN_CANDIDATE)].filter((m) => panRun(text, m[0], m.index)).map((m) => m[0]);
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

/** Three or more digit groups joined by one space or one dash (the same throughout), the first not glued to a word
 * before it: every card grouping has at least three groups, so a date's 12-02 or a pair of numbers never is one. */
const GROUPED_DIGITS = /(?<![A-Za-z0-9_])\d+(?:([ -])\d+)(?:\1\d+)+/g;
/** The fewest groups and digits of a card grouping. */
const MIN_GROUPS = 3;
const MIN_DIGITS = 13;
const GLUED = /[A-Za-z_]/;

/** A card number written in digit groups: the digits, the separator, and where it stands in the text. */
export interface GroupedCardNumber {
  readonly pan: string;
  readonly separator: ' ' | '-';
  readonly start: number;
  readonly end: number;
}

/** Where any card grouping starts: 4 digits, a separator, 3 or more digits (every grouping's first two groups).
 * Text without one (a hex dump's 2-digit groups, dates, times, masked numbers) holds no grouped card number. */
const GROUPING_START = /\d{4}[ -]\d{3}/;

/** Every Luhn-valid number (first digit not 0) formed by consecutive digit groups in a card grouping. */
export function groupedCardNumbers(text: string): GroupedCardNumber[] {
  const found: GroupedCardNumber[] = [];
  if (!GROUPING_START.test(text)) return found;
  for (const match of text.matchAll(GROUPED_DIGITS)) {
    // Most runs of groups are dates, times and amounts: too few digits to hold a card number.
    if (match[0].length - countOf(match[0], match[1] ?? ' ') < MIN_DIGITS) continue;
    const separator = match[1] === '-' ? '-' : ' ';
    const groups = match[0].split(separator);
    // A last group glued to letters is part of a word (the 792 of a UUID's 9836-792dd93f260f), not of a card number.
    if (GLUED.test(text.charAt(match.index + match[0].length))) groups.pop();
    const offsets: number[] = [];
    let at = match.index;
    for (const group of groups) {
      offsets.push(at);
      at += group.length + 1;
    }
    for (let first = 0; first < groups.length; first++) {
      for (let size = MIN_GROUPS; size <= MAX_GROUPS && first + size <= groups.length; size++) {
        const window = groups.slice(first, first + size);
        if (!GROUPINGS.has(window.map((g) => g.length).join('-'))) continue;
        const pan = window.join('');
        if (pan[0] === '0' || !luhnValid(pan)) continue;
        const start = offsets[first] ?? 0;
        found.push({ pan, separator, start, end: start + window.join(separator).length });
      }
    }
  }
  return found;
}

function countOf(text: string, char: string): number {
  let count = 0;
  for (const c of text) if (c === char) count++;
  return count;
}
