// The fast report scan (reporting/panScan.ts, panStretches.ts: one pass over the bytes for the stretches that can hold
// a card number and the base64 runs, the exact checks only there, repeated runs decoded once) finds what the plain scan
// found: the same numbers, masked the same, in the same first form, in the same order. The plain scan is kept below as
// the reference: it decodes the whole file to text and runs every regex over all of it. Inputs: card numbers (Luhn-valid,
// plain and in every card grouping, spaced and dashed, glued to words or not), near misses, dates, UUIDs, hex ids,
// masked numbers, and base64 (any alignment, nested), UTF-16LE and UTF-16BE of all of those, mixed with bytes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { maskPan } from '../../protocols/domain/pan.ts';
import { CARD_GROUPINGS, findPansInText } from '../../reporting/panForms.ts';
import { scanBuffer } from '../../reporting/panScan.ts';
import { base64WorthScanning, decodeBase64Units, textUnits } from '../../reporting/panStretches.ts';

// ---- The reference: panScan.ts, panForms.ts and the search half of protocols/domain/pan.ts as they were before the
// ---- scan was made fast.

function referenceLuhn(digits: string): boolean {
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
const HEX_ID = /^[0-9a-fA-F]{32,}$/;

function inHexId(text: string, start: number, end: number): boolean {
  let from = start;
  let to = end;
  while (from > 0 && /[0-9a-fA-F]/.test(text.charAt(from - 1))) from--;
  while (to < text.length && /[0-9a-fA-F]/.test(text.charAt(to))) to++;
  const token = text.slice(from, to);
  return HEX_ID.test(token) && /[a-fA-F]/.test(token);
}

function referenceDigitRunPans(text: string): string[] {
  return [...text.matchAll(PAN_CANDIDATE)]
    .filter((m) => referenceLuhn(m[0]) && !/^0+$/.test(m[0]) && !inHexId(text, m.index, m.index + m[0].length))
    .map((m) => m[0]);
}

const GROUPINGS = new Set(CARD_GROUPINGS);
const GROUPED_DIGITS = /(?<![A-Za-z0-9_])\d+(?:([ -])\d+)(?:\1\d+)+/g;

function referenceGroupedPans(text: string): { pan: string; separator: ' ' | '-'; start: number; end: number }[] {
  const found: { pan: string; separator: ' ' | '-'; start: number; end: number }[] = [];
  for (const match of text.matchAll(GROUPED_DIGITS)) {
    if (match[0].length - countOf(match[0], match[1] ?? ' ') < 13) continue;
    const separator = match[1] === '-' ? '-' : ' ';
    const groups = match[0].split(separator);
    if (/[A-Za-z_]/.test(text.charAt(match.index + match[0].length))) groups.pop();
    const offsets: number[] = [];
    let at = match.index;
    for (const group of groups) {
      offsets.push(at);
      at += group.length + 1;
    }
    for (let first = 0; first < groups.length; first++) {
      for (let size = 3; size <= 5 && first + size <= groups.length; size++) {
        const window = groups.slice(first, first + size);
        if (!GROUPINGS.has(window.map((g) => g.length).join('-'))) continue;
        const pan = window.join('');
        if (pan[0] === '0' || !referenceLuhn(pan)) continue;
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

function referenceFindPansInText(text: string): { pan: string; written: string }[] {
  const epoch = (d: string) => d[0] === '1' && (d.length === 13 || d.length === 16 || d.length === 19);
  return [
    ...referenceDigitRunPans(text)
      .filter((pan) => !epoch(pan))
      .map((pan) => ({ pan, written: 'digits' })),
    ...referenceGroupedPans(text).map(({ pan, separator }) => ({
      pan,
      written: separator === '-' ? 'dashed' : 'spaced',
    })),
  ];
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{18,}/g;

function referencePansIn(bytes: Buffer, layers: readonly string[], depth: number): { pan: string; form: string }[] {
  const hits = referenceTextPans(bytes.toString('latin1'), layers, depth);
  if (bytes.includes(0)) {
    hits.push(...referenceTextPans(bytes.toString('utf16le'), [...layers, 'utf-16le'], depth));
    const shifted = Buffer.concat([bytes.subarray(1), Buffer.alloc(1)]);
    hits.push(...referenceTextPans(shifted.toString('utf16le'), [...layers, 'utf-16be'], depth));
  }
  return hits;
}

function referenceTextPans(text: string, layers: readonly string[], depth: number): { pan: string; form: string }[] {
  const hits = referenceFindPansInText(text).map(({ pan, written }) => ({
    pan,
    form: [...layers, written].join(', '),
  }));
  if (depth >= 3) return hits;
  for (const [run] of text.matchAll(BASE64_RUN)) {
    for (let shift = 0; shift < 4; shift++) {
      const decoded = Buffer.from(run.slice(shift), 'base64');
      if (referenceWorthScanning(decoded)) hits.push(...referencePansIn(decoded, [...layers, 'base64'], depth + 1));
    }
  }
  return hits;
}

const BASE64_BYTES = new Set(
  Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-', 'latin1'),
);

function referenceWorthScanning(bytes: Buffer): boolean {
  let digits = 0;
  let run = 0;
  for (const byte of bytes) {
    if (byte >= 0x30 && byte <= 0x39 && ++digits >= 13) return true;
    run = BASE64_BYTES.has(byte) ? run + 1 : 0;
    if (run >= 18) return true;
  }
  return false;
}

function referenceScanBuffer(bytes: Buffer): { masked: string; form: string }[] {
  const found = new Map<string, string>();
  for (const { pan, form } of referencePansIn(bytes, [], 0)) if (!found.has(pan)) found.set(pan, form);
  return [...found].map(([pan, form]) => ({ masked: maskPan(pan), form }));
}

// ---- Generated reports.

/** A Luhn-valid number: the digits given, then the check digit. */
function withCheckDigit(body: string): string {
  for (let check = 0; check <= 9; check++) if (referenceLuhn(`${body}${check}`)) return `${body}${check}`;
  throw new Error('unreachable');
}

const digitsOf = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
/** Card numbers, 12–19 digits, mostly Luhn-valid; first digit often 4, 6 or 1 (the epoch-time rule), sometimes 0. */
const cardNumber = fc
  .tuple(fc.constantFrom('4', '6', '5', '3', '1', '0', '9'), digitsOf(11, 17), fc.boolean())
  .map(([first, rest, valid]) => (valid ? withCheckDigit(`${first}${rest}`) : `${first}${rest}0`));
const separator = fc.constantFrom(' ', '-');
/** A number in one of the card groupings (or in a grouping cards are not printed with), one separator throughout. */
const groupedNumber = fc
  .tuple(
    fc.constantFrom(...CARD_GROUPINGS, '2-2-2-2-2-2-2', '4-4-4-4-4', '3-4-4-4', '4-4', '4-4-4-4-4-4'),
    fc.constantFrom('4', '6', '5', '3', '0', '1'),
    digitsOf(30, 30),
    separator,
    fc.boolean(),
  )
  .map(([grouping, first, pool, sep, valid]) => {
    const lengths = grouping.split('-').map(Number);
    const total = lengths.reduce((a, b) => a + b, 0);
    const body = `${first}${pool}`.slice(0, total - 1);
    const digits = valid ? withCheckDigit(body) : `${body}7`;
    let at = 0;
    return lengths
      .map((n) => {
        at += n;
        return digits.slice(at - n, at);
      })
      .join(sep);
  });
const hex = (n: number) =>
  fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: n, maxLength: n }).map((d) => d.join(''));
const uuid = fc
  .tuple(hex(8), hex(4), hex(4), hex(4), hex(12))
  .map(([a, b, c, d, e]) => `${a}-${b}-${c.replace(/^./, '4')}-${d}-${e}`);
const benign = fc.oneof(
  fc.constantFrom(
    '2026-05-04T10:00:05.123Z',
    '2026-12-02 03:11:08',
    '12-02',
    'STAN 000042 DE7 0504100000 RRN 612410000001',
    '411111******1111',
    '6228 48** **** **** 018',
    '4111-11••-••••-1111',
    '411111…1111',
    'epoch 1746352805003 ms',
    '0000 0000 0000 0000',
    '0000000000000000',
    '"testCaseId":"d04fe0585377585187ad1129e631d608"',
    '%B4111111111111111^TEST/CARD^3012',
    '02 00 42 5b 7b 22 74 79 70 65 22 3a',
    'stepMatchArgumentsLists',
  ),
  uuid,
  hex(32),
  digitsOf(1, 24),
);
const glue = fc.constantFrom(
  '',
  ' ',
  '  ',
  '-',
  '\n',
  'x',
  '_',
  'a',
  'F',
  '卡号',
  '"',
  ':',
  '=',
  '/',
  '+',
  '\u0000',
  '•',
);
const plainPiece: fc.Arbitrary<string> = fc
  .tuple(glue, fc.oneof(cardNumber, groupedNumber, benign), glue)
  .map(([a, b, c]) => `${a}${b}${c}`);
/** Text of a few pieces; often a lone number (the shortest base64 run that can hold one is its own). */
const plainText = fc.oneof(
  cardNumber,
  plainPiece,
  fc.array(plainPiece, { minLength: 1, maxLength: 6 }).map((p) => p.join('')),
);

type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'base64' | 'base64url' | 'latin1';
function encode(text: string | Buffer, encoding: Encoding, prefix: string): Buffer {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  switch (encoding) {
    case 'utf8':
      return bytes;
    case 'latin1':
      return Buffer.from(bytes.toString('latin1'), 'latin1');
    case 'utf16le':
      return Buffer.from(bytes.toString('utf8'), 'utf16le');
    case 'utf16be':
      return Buffer.from(bytes.toString('utf8'), 'utf16le').swap16();
    case 'base64':
    case 'base64url':
      // a prefix of base64 characters shifts the run off its quantum
      return Buffer.from(`${prefix}${bytes.toString(encoding)}`, 'latin1');
  }
}

const encoding = fc.constantFrom<Encoding>('utf8', 'utf16le', 'utf16be', 'base64', 'base64url', 'latin1');
const layered: fc.Arbitrary<Buffer> = fc
  .tuple(
    plainText,
    fc.array(fc.tuple(encoding, fc.constantFrom('', 'x', 'xy', 'xyz', '"')), { minLength: 0, maxLength: 3 }),
  )
  .map(([text, layers]) =>
    layers.reduce<Buffer>((bytes, [enc, prefix]) => encode(bytes, enc, prefix), Buffer.from(text)),
  );
const report = fc
  .array(
    fc.oneof(
      layered,
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
      glue.map((g) => Buffer.from(g)),
    ),
    {
      minLength: 1,
      maxLength: 8,
    },
  )
  .map((parts) => Buffer.concat(parts));

describe('report scan: the fast scan finds what the plain scan found', () => {
  it('on generated reports: numbers in every form and encoding, near misses and noise', () => {
    fc.assert(
      fc.property(report, (bytes) => {
        assert.deepEqual(scanBuffer(bytes), referenceScanBuffer(bytes));
      }),
      { numRuns: 1500 },
    );
  });

  it('the generated reports do hold numbers in every form (so the agreement is not on empty results)', () => {
    const forms = new Set<string>();
    fc.assert(
      fc.property(report, (bytes) => {
        for (const { form } of referenceScanBuffer(bytes)) forms.add(form.replace(/.*, /, ''));
        for (const { form } of referenceScanBuffer(bytes)) forms.add(form.split(', ')[0] ?? '');
        return true;
      }),
      { numRuns: 300, seed: 13 },
    );
    for (const form of ['digits', 'spaced', 'dashed', 'base64', 'utf-16le', 'utf-16be'])
      assert.ok(forms.has(form), form);
  });

  it('on text: findPansInText as before', () => {
    fc.assert(
      fc.property(plainText, (text) => {
        assert.deepEqual(findPansInText(text), referenceFindPansInText(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('on arbitrary bytes and arbitrary text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (raw) => {
        const bytes = Buffer.from(raw);
        assert.deepEqual(scanBuffer(bytes), referenceScanBuffer(bytes));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 -abcdefxyz_A\n'), maxLength: 200 }), (text) => {
        assert.deepEqual(scanBuffer(Buffer.from(text)), referenceScanBuffer(Buffer.from(text)));
        assert.deepEqual(findPansInText(text), referenceFindPansInText(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('a base64 run checked in place decodes as Buffer.from does (both alphabets, every length and alignment)', () => {
    const base64Char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_');
    const run = fc.oneof(
      fc.string({ unit: base64Char, minLength: 18, maxLength: 80 }),
      fc
        .tuple(fc.constantFrom('', 'x', 'xy', 'xyz'), fc.oneof(cardNumber, groupedNumber, plainText), fc.boolean())
        .map(([prefix, text, url]) => `${prefix}${Buffer.from(text).toString(url ? 'base64url' : 'base64')}`)
        .map((r) => r.replace(/=+$/, ''))
        .filter((r) => r.length >= 18),
      // one byte short of worth scanning (12 digits, 17 base64 characters), plus bytes of every value: every base64
      // character's 6 bits decide
      fc
        .tuple(
          fc.constantFrom('401234567890', 'ABCDEFGHIJKLMNOPQ'),
          fc.uint8Array({ minLength: 1, maxLength: 3 }),
          fc.nat(17),
          fc.constantFrom('', 'x', 'xy', 'xyz'),
          fc.boolean(),
        )
        .map(([near, extra, at, prefix, url]) => {
          const cut = at % (near.length + 1);
          const bytes = Buffer.concat([
            Buffer.from(near.slice(0, cut)),
            Buffer.from(extra),
            Buffer.from(near.slice(cut)),
          ]);
          return `${prefix}${bytes.toString(url ? 'base64url' : 'base64')}`.replace(/=+$/, '');
        }),
    );
    fc.assert(
      fc.property(run, fc.boolean(), (text, wide) => {
        const units = textUnits(Buffer.from(text, wide ? 'utf16le' : 'latin1'), wide ? 'utf-16le' : 'latin1');
        const shifts = [0, 1, 2, 3].map((shift) => Buffer.from(text.slice(shift), 'base64'));
        const into = new Uint8Array(text.length);
        for (const [shift, decoded] of shifts.entries()) {
          const length = decodeBase64Units(units, shift, text.length, into);
          assert.deepEqual(Buffer.from(into.subarray(0, length)), decoded);
        }
        assert.equal(base64WorthScanning(units, 0, text.length), shifts.some(referenceWorthScanning));
      }),
      { numRuns: 3000 },
    );
  });

  it('the same run at two depths: three layers deep it is peeled to the number, four layers deep it is not', () => {
    const layers3 = [1, 2, 3].reduce(
      (text) => Buffer.from(text).toString('base64'),
      `pan=${withCheckDigit('411111111111111')}`,
    );
    const bytes = Buffer.from(`${Buffer.from(layers3).toString('base64')} and ${layers3}`);
    assert.deepEqual(scanBuffer(bytes), [{ masked: '411111******1111', form: 'base64, base64, base64, digits' }]);
    assert.deepEqual(scanBuffer(bytes), referenceScanBuffer(bytes));
  });

  it('on a large report: the same run repeated, an attachment at every alignment, a number at the very end', () => {
    const card = withCheckDigit('622848040256489001');
    const attachment = Buffer.from(`trace\ncard ${card.replace(/(\d{4})(?=\d)/g, '$1 ')}\n`).toString('base64');
    const parts: string[] = [];
    for (let i = 0; i < 200; i++) {
      parts.push(`{"id":"4f1fb4d9-1aad-4f02-b121-3e7573b01ea3","body":"${'xyz'.slice(0, i % 4)}${attachment}"}`);
      parts.push(`"stepMatchArgumentsLists" ${i} 2026-12-02 1746352805003 `);
    }
    const bytes = Buffer.from(`${parts.join('\n')}${card}`);
    assert.deepEqual(scanBuffer(bytes), referenceScanBuffer(bytes));
    assert.equal(scanBuffer(bytes).length, 1);
  });
});
