// Simulated devices keep secrets at rest (a ledger's PANs and PINs, a terminal's pending reversals): their files are
// owner-only (0600) and the folders created for them 0700, whatever the umask.
//   createPrivateDir('/var/posrig/state');  // missing parents too; an existing folder is left alone

import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates a folder and its missing parents with mode 0700 (umask-safe); an existing folder are left alone. */
export function createPrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  const top = path.resolve(first);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    chmodSync(d, PRIVATE_DIR_MODE);
    if (d === top || d === path.dirname(d)) break;
  }
}
