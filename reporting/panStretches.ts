// Where in a file's bytes the report scan has to look closely. A skim over the text's code units (latin1: one byte
// each; UTF-16: two, little-endian) finds the stretches of digits, hex letters, spaces and dashes that hold the start
// of a card number (13 digits in a row, or a group of 4 digits, a space or dash, and 3 more digits), and the runs of
// base64 characters long enough to hold one. Only those become strings for the exact checks (panForms.ts); the rest
// of a 5 MB report is never decoded, and a short base64 run (a name, an id) is decoded in place to see whether it can
// hold anything before a string or buffer is made of it.
//   const units = textUnits(bytes, 'latin1');            // or 'utf-16le'
//   for (const { start, end } of panStretches(units)) findPansInText(textOf(units, start - 1, end + 1));  // ±1 character
//   forEachBase64Run(units, (start, end) => {
//     if (base64WorthScanning(units, start, end)) decodeAndScan(textOf(units, start, end));  // some alignment may hold one
//   });

/** A text's code units, read from bytes: latin1 (one byte a unit) or UTF-16LE (two bytes a unit; an odd last byte
 * is not a unit, as `Buffer#toString('utf16le')` drops it). */
export interface TextUnits {
  readonly bytes: Buffer;
  readonly wide: boolean;
  readonly length: number;
}

/** Units [start, end) of a text. */
export interface Stretch {
  readonly start: number;
  readonly end: number;
}

export function textUnits(bytes: Buffer, encoding: 'latin1' | 'utf-16le'): TextUnits {
  const wide = encoding === 'utf-16le';
  return { bytes, wide, length: wide ? bytes.length >> 1 : bytes.length };
}

/** The text of units [start, end), as `bytes.toString(encoding)` would give it (clamped to the text). */
export function textOf(units: TextUnits, start: number, end: number): string {
  const from = Math.max(0, start);
  const to = Math.min(units.length, end);
  return units.wide ? units.bytes.toString('utf16le', 2 * from, 2 * to) : units.bytes.toString('latin1', from, to);
}

const DIGIT = 1;
/** One space or one dash: what card digit groups are joined by. */
const SEPARATOR = 2;
/** Digits, hex letters, spaces and dashes: a card number, and a hex id one might sit in, are made of these. */
const STRETCHY = 4;
const BASE64 = 8;
const CLASSES = new Uint8Array(256);
for (const [chars, classes] of [
  ['0123456789', DIGIT | STRETCHY | BASE64],
  [' ', SEPARATOR | STRETCHY],
  ['-', SEPARATOR | STRETCHY | BASE64],
  ['abcdefABCDEF', STRETCHY | BASE64],
  ['ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ+/_', BASE64],
] as const) {
  for (const char of chars) CLASSES[char.charCodeAt(0)] = classes;
}

/** The classes of unit i (none for a UTF-16 unit outside ASCII). */
function classesAt(units: TextUnits, i: number): number {
  return classesOf(units.bytes, units.wide, i);
}

function classesOf(bytes: Buffer, wide: boolean, i: number): number {
  if (!wide) return CLASSES[bytes[i] as number] as number;
  return bytes[2 * i + 1] === 0 ? (CLASSES[bytes[2 * i] as number] as number) : 0;
}

/** The fewest base64 characters that hold 13 bytes (the shortest card number). */
const MIN_BASE64_RUN = 18;
const RUN_DIGITS = 13;
/** A card grouping starts with a group of 4 digits, then one separator and a group of at least 3. */
const FIRST_GROUP = 4;
const SECOND_GROUP_START = 3;

/**
 * The places a card number may stand: each maximal stretch of digits, hex letters, spaces and dashes holding 13 digits
 * in a row or 4 digits, a separator and 3 digits. Every number the exact checks find lies inside one, and those checks
 * look no further than one character beyond it.
 */
export function panStretches(units: TextUnits): Stretch[] {
  const stretches: Stretch[] = [];
  let covered = 0; // units before this are in a stretch already found
  forEachRun(units, DIGIT, FIRST_GROUP, (start, end) => {
    if (start < covered || !(end - start >= RUN_DIGITS || secondGroupAfter(units, end))) return;
    const stretch = stretchAround(units, start);
    stretches.push(stretch);
    covered = stretch.end;
  });
  return stretches;
}

/** Each maximal run of at least 18 base64 characters (the fewest that hold 13 bytes), in order. */
export function forEachBase64Run(units: TextUnits, visit: (start: number, end: number) => void): void {
  forEachRun(units, BASE64, MIN_BASE64_RUN, visit);
}

/** After a run of digits ending at unit end: one separator and at least 3 digits. */
function secondGroupAfter(units: TextUnits, end: number): boolean {
  if (end + SECOND_GROUP_START >= units.length || !(classesAt(units, end) & SEPARATOR)) return false;
  for (let i = end + 1; i <= end + SECOND_GROUP_START; i++) if (!(classesAt(units, i) & DIGIT)) return false;
  return true;
}

/**
 * Each maximal run of at least `least` units of a class, in order. Looks at every `least`-th unit only (any such run
 * holds one), and around those of the class: text without such runs (most of decoded binary) is skimmed, not read.
 */
function forEachRun(units: TextUnits, cls: number, least: number, visit: (start: number, end: number) => void): void {
  const { bytes, wide, length } = units;
  let i = least - 1;
  while (i < length) {
    if (!(classesOf(bytes, wide, i) & cls)) {
      i += least;
      continue;
    }
    let start = i;
    let end = i + 1;
    while (start > 0 && classesOf(bytes, wide, start - 1) & cls) start--;
    while (end < length && classesOf(bytes, wide, end) & cls) end++;
    if (end - start >= least) visit(start, end);
    i = end + least;
  }
}

/** The maximal run of digits, hex letters, spaces and dashes around unit i. */
function stretchAround(units: TextUnits, i: number): Stretch {
  let start = i;
  let end = i + 1;
  while (start > 0 && classesAt(units, start - 1) & STRETCHY) start--;
  while (end < units.length && classesAt(units, end) & STRETCHY) end++;
  return { start, end };
}

/** Decoded bytes holding 13 ASCII digits (the least a card number needs, in any form) or more base64 to peel. */
export function worthScanning(bytes: Uint8Array, length = bytes.length): boolean {
  let digits = 0;
  let run = 0;
  for (let i = 0; i < length; i++) {
    const classes = CLASSES[bytes[i] as number] as number;
    if (classes & DIGIT && ++digits >= RUN_DIGITS) return true;
    run = classes & BASE64 ? run + 1 : 0;
    if (run >= MIN_BASE64_RUN) return true;
  }
  return false;
}

/** Runs up to this long are checked in place before being decoded: most are names and ids, not attachments. */
const SHORT_RUN = 256;
const shortDecoded = new Uint8Array(SHORT_RUN);

/**
 * Whether a base64 run decodes, at some alignment, to bytes worth scanning. A short run is decoded here, without
 * making a string or a buffer of it; a long one is assumed to.
 */
export function base64WorthScanning(units: TextUnits, start: number, end: number): boolean {
  if (end - start > SHORT_RUN) return true;
  // Fewer than 18 characters decode to fewer than 13 bytes: too few at that alignment and every later one.
  for (let shift = 0; shift < 4 && end - start - shift >= MIN_BASE64_RUN; shift++) {
    const length = decodeBase64Units(units, start + shift, end, shortDecoded);
    if (worthScanning(shortDecoded, length)) return true;
  }
  return false;
}

/** The 6 bits of each base64 (or base64url) character. */
const SEXTETS = new Uint8Array(256);
for (const [i, char] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) {
  SEXTETS[char.charCodeAt(0)] = i;
}
SEXTETS['-'.charCodeAt(0)] = 62;
SEXTETS['_'.charCodeAt(0)] = 63;

/**
 * Decodes units [start, end) — base64 or base64url characters, no padding — into `into`, as `Buffer.from(text,
 * 'base64')` does (a last character or two that make no whole byte are dropped); returns how many bytes it wrote.
 */
export function decodeBase64Units(units: TextUnits, start: number, end: number, into: Uint8Array): number {
  const { bytes, wide } = units;
  let length = 0;
  let bits = 0; // decoded bits not yet a byte, in the low `pending` bits
  let pending = 0;
  for (let i = start; i < end; i++) {
    bits = ((bits << 6) | (SEXTETS[bytes[wide ? 2 * i : i] as number] as number)) & 0xfff;
    pending += 6;
    if (pending < 8) continue;
    pending -= 8;
    into[length++] = (bits >> pending) & 0xff;
  }
  return length;
}
