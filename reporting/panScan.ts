// The report scan: no Luhn-valid 13–19 digit number may appear unmasked in anything the harness wrote.
//   const leaks = scanForPans('reports');  // [] when clean

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { findUnmaskedPans, maskPan } from '../protocols/domain/pan.ts';

export interface PanLeak {
  readonly file: string;
  /** The leaked number, masked — the scan itself must not leak it. */
  readonly masked: string;
}

/** Every unmasked PAN in the text files under a folder (missing folder: none). */
export function scanForPans(folder: string): PanLeak[] {
  const leaks: PanLeak[] = [];
  for (const file of filesUnder(folder)) {
    const text = readFileSync(file, 'latin1');
    for (const pan of new Set(findUnmaskedPans(text))) leaks.push({ file, masked: maskPan(pan) });
  }
  return leaks;
}

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
