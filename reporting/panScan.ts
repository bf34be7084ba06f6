// The report scan: no Luhn-valid 13–19 digit card number may appear unmasked in anything the harness wrote — as
// plain digits, grouped with spaces or dashes (4111 1111 1111 1111), inside base64 (the attachments cucumber.json and
// cucumber.html embed), or in UTF-16 text (LE or BE). Every hit is reported masked: the scan itself must not leak.
//   const leaks = scanFilesForPans(['reports/cucumber.json', 'elsewhere/run.ndjson']);  // [] when clean
//   const leaks = scanForPans('reports');  // every file under a folder
//   leaks[0] → { file: 'reports/cucumber.json', masked: '411111******1111', form: 'base64, digits' }

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { maskPan } from '../protocols/domain/pan.ts';
import { findPansInText } from './panForms.ts';

export interface PanLeak {
  readonly file: string;
  /** The leaked number, masked — the scan itself must not leak it. */
  readonly masked: string;
  /** How it was written: encodings peeled off, then the written form, e.g. 'digits', 'base64, spaced', 'utf-16le, digits'. */
  readonly form: string;
}

/** Every unmasked card number in the files under a folder, once per file (missing folder: none). */
export function scanForPans(folder: string): PanLeak[] {
  return scanFilesForPans(filesUnder(folder));
}

/**
 * Every unmasked card number in these files (each once; a file that is missing or is a folder: none) — the files a
 * run wrote, and nothing else that happens to lie beside them.
 */
export function scanFilesForPans(files: readonly string[]): PanLeak[] {
  const seen = new Set<string>();
  return files.flatMap((file) => {
    const key = path.resolve(file);
    if (seen.has(key)) return [];
    seen.add(key);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return []; // not written (a formatter that had nothing to say), or not a file
    }
    return scanBuffer(bytes).map((hit) => ({ file, ...hit }));
  });
}

/** The unmasked card numbers in one file's bytes, once each, masked, with the form they were first found in. */
export function scanBuffer(bytes: Buffer): { masked: string; form: string }[] {
  const found = new Map<string, string>();
  for (const { pan, form } of pansIn(bytes, [], 0)) if (!found.has(pan)) found.set(pan, form);
  return [...found].map(([pan, form]) => ({ masked: maskPan(pan), form }));
}

/** How many encodings deep the scan looks (base64 in UTF-16 in base64 …). */
const MAX_LAYERS = 3;
/** Runs of base64 (or base64url) characters long enough to hold a 13-digit number (13 bytes → 18 characters). */
const BASE64_RUN = /[A-Za-z0-9+/_-]{18,}/g;

interface Hit {
  pan: string;
  form: string;
}

function pansIn(bytes: Buffer, layers: readonly string[], depth: number): Hit[] {
  const hits = textPans(bytes.toString('latin1'), layers, depth);
  // UTF-16 text of digits has a zero byte beside every digit; without zero bytes there is no UTF-16 to read.
  if (bytes.includes(0)) {
    hits.push(...textPans(bytes.toString('utf16le'), [...layers, 'utf-16le'], depth));
    // Big-endian UTF-16 is little-endian read one byte later, padded with a zero byte so its last character is kept
    // (this also finds LE text that starts at an odd offset).
    const shifted = Buffer.concat([bytes.subarray(1), Buffer.alloc(1)]);
    hits.push(...textPans(shifted.toString('utf16le'), [...layers, 'utf-16be'], depth));
  }
  return hits;
}

function textPans(text: string, layers: readonly string[], depth: number): Hit[] {
  const hits = findPansInText(text).map(({ pan, written }) => ({ pan, form: [...layers, written].join(', ') }));
  if (depth >= MAX_LAYERS) return hits;
  for (const [run] of text.matchAll(BASE64_RUN)) {
    // The run may start mid-quantum (a prefix that happens to be base64 characters): try each of the 4 alignments.
    for (let shift = 0; shift < 4; shift++) {
      const decoded = Buffer.from(run.slice(shift), 'base64');
      if (worthScanning(decoded)) hits.push(...pansIn(decoded, [...layers, 'base64'], depth + 1));
    }
  }
  return hits;
}

/** Decoded bytes that hold 13 ASCII digits (the least a card number needs, in any form) or more base64 to peel. */
function worthScanning(bytes: Buffer): boolean {
  let digits = 0;
  let run = 0;
  for (const byte of bytes) {
    if (byte >= 0x30 && byte <= 0x39 && ++digits >= 13) return true;
    run = BASE64_BYTES.has(byte) ? run + 1 : 0;
    if (run >= MIN_BASE64_RUN) return true;
  }
  return false;
}
const MIN_BASE64_RUN = 18;
const BASE64_BYTES = new Set(
  Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-', 'latin1'),
);

function filesUnder(folder: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}
