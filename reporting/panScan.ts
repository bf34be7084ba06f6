// The report scan: no Luhn-valid 13–19 digit card number may appear unmasked in anything the harness wrote — as
// plain digits, grouped with spaces or dashes (4111 1111 1111 1111), inside base64 (the attachments cucumber.json and
// cucumber.html embed), or in UTF-16 text (LE or BE). Every hit is reported masked: the scan itself must not leak.
// Fast on 10+ MB of reports: a skim finds where a number or a base64 run can stand (panStretches.ts) and the exact
// checks run only there; a run or stretch that recurs in a file (ids, step names, attachments) is worked out once.
//   const leaks = scanFilesForPans(['reports/cucumber.json', 'elsewhere/run.ndjson']);  // [] when clean
//   const leaks = scanForPans('reports');  // every file under a folder
//   leaks[0] → { file: 'reports/cucumber.json', masked: '411111******1111', form: 'base64, digits' }

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { maskPan } from '../protocols/domain/pan.ts';
import { findPansInText, type PanInText } from './panForms.ts';
import {
  base64WorthScanning,
  forEachBase64Run,
  panStretches,
  type TextUnits,
  textOf,
  textUnits,
  worthScanning,
} from './panStretches.ts';

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
  const seen: Seen = { runs: [], stretches: new Map(), decoded: [] };
  for (const { pan, form } of pansIn(bytes, 0, seen)) if (!found.has(pan)) found.set(pan, form);
  return [...found].map(([pan, form]) => ({ masked: maskPan(pan), form }));
}

/** How many encodings deep the scan looks (base64 in UTF-16 in base64 …). */
const MAX_LAYERS = 3;

interface Hit {
  readonly pan: string;
  /** How it was written inside the bytes scanned: encodings peeled off, then the written form. */
  readonly form: string;
}

/** What a file's scan has worked out so far: ids, step names and repeated attachments recur, and the same text
 * always holds the same numbers. */
interface Seen {
  /** By depth, then base64 run. */
  readonly runs: Map<string, readonly Hit[]>[];
  /** By stretch (with the character either side). */
  readonly stretches: Map<string, readonly PanInText[]>;
  /** By depth, the buffer base64 runs are decoded into (most decode to noise and are dropped at once). */
  readonly decoded: Buffer[];
}

/** The numbers in bytes read as latin1, then (when there are zero bytes) as UTF-16LE and as UTF-16BE. */
function pansIn(bytes: Buffer, depth: number, seen: Seen): Hit[] {
  const hits = textPans(textUnits(bytes, 'latin1'), '', depth, seen);
  // UTF-16 text of digits has a zero byte beside every digit; without zero bytes there is no UTF-16 to read.
  if (!bytes.includes(0)) return hits;
  // Big-endian UTF-16 is little-endian read one byte later, padded with a zero byte so its last character is kept
  // (this also finds LE text that starts at an odd offset).
  const shifted = Buffer.concat([bytes.subarray(1), Buffer.alloc(1)]);
  return hits.concat(
    textPans(textUnits(bytes, 'utf-16le'), 'utf-16le, ', depth, seen),
    textPans(textUnits(shifted, 'utf-16le'), 'utf-16be, ', depth, seen),
  );
}

/** The numbers in one reading of the bytes, plain before grouped (each in text order), then those in its base64. */
function textPans(units: TextUnits, reading: string, depth: number, seen: Seen): Hit[] {
  const digits: Hit[] = [];
  const grouped: Hit[] = [];
  for (const { start, end } of panStretches(units)) {
    // One character either side: the checks look at what a number is glued to.
    for (const { pan, written } of stretchPans(textOf(units, start - 1, end + 1), seen)) {
      (written === 'digits' ? digits : grouped).push({ pan, form: reading + written });
    }
  }
  const hits = digits.concat(grouped);
  if (depth >= MAX_LAYERS) return hits;
  forEachBase64Run(units, (start, end) => {
    if (!base64WorthScanning(units, start, end)) return;
    for (const { pan, form } of base64Pans(textOf(units, start, end), depth, seen)) {
      hits.push({ pan, form: reading + form });
    }
  });
  return hits;
}

function stretchPans(text: string, seen: Seen): readonly PanInText[] {
  const known = seen.stretches.get(text);
  if (known) return known;
  const pans = findPansInText(text);
  seen.stretches.set(text, pans);
  return pans;
}

/** The numbers in what a base64 run decodes to. */
function base64Pans(run: string, depth: number, seen: Seen): readonly Hit[] {
  const runs = seen.runs[depth] ?? new Map<string, readonly Hit[]>();
  seen.runs[depth] = runs;
  const known = runs.get(run);
  if (known) return known;
  const hits: Hit[] = [];
  // The run may start mid-quantum (a prefix that happens to be base64 characters): try each of the 4 alignments.
  for (let shift = 0; shift < 4; shift++) {
    const decoded = decodeBase64(run.slice(shift), depth, seen);
    if (!worthScanning(decoded)) continue;
    for (const { pan, form } of pansIn(decoded, depth + 1, seen)) hits.push({ pan, form: `base64, ${form}` });
  }
  runs.set(run, hits);
  return hits;
}

/** `Buffer.from(base64, 'base64')`, into the depth's buffer: valid while the numbers in it are looked for. */
function decodeBase64(base64: string, depth: number, seen: Seen): Buffer {
  const most = Math.ceil((base64.length * 3) / 4);
  const held = seen.decoded[depth];
  const into = held && held.length >= most ? held : Buffer.allocUnsafe(Math.max(most, 4096));
  seen.decoded[depth] = into;
  return into.subarray(0, into.write(base64, 'base64'));
}

/** Every file under a folder, in its subfolders too (missing folder: none). */
export function filesUnder(folder: string): string[] {
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
