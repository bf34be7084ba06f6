// The ledger file holds the test cards' PANs and PINs: secrets at rest. The database file and its -wal/-shm sidecars
// are owner-only (0600) from the moment they exist, and a folder created for them is 0700, whatever the umask.
//   createPrivateFile('/var/posrig/ledger.db');  // before better-sqlite3 opens it: SQLite gives -wal/-shm its mode
//   tightenSidecars('/var/posrig/ledger.db');    // after open: -wal/-shm left by an older, laxer run become 0600

import { chmodSync, closeSync, fchmodSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { createPrivateDir, PRIVATE_FILE_MODE } from '../storage/privateFolder.ts';

export { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../storage/privateFolder.ts';

/** True for SQLite's in-memory and temporary databases, which have no file. */
export function isInMemory(file: string): boolean {
  return file === '' || file === ':memory:';
}

/** Creates the file (empty, 0600) and any missing folders (0700) before SQLite writes a byte; an existing file is set to 0600. */
export function createPrivateFile(file: string): void {
  createPrivateDir(path.dirname(file));
  const fd = openSync(file, 'a', PRIVATE_FILE_MODE); // O_CREAT without O_TRUNC: an existing ledger keeps its data
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE); // the umask may have taken bits away; nothing is written yet
  } finally {
    closeSync(fd);
  }
}

/** Sets the -wal, -shm and -journal sidecars that exist to 0600. */
export function tightenSidecars(file: string): void {
  for (const suffix of ['-wal', '-shm', '-journal']) {
    const sidecar = `${file}${suffix}`;
    try {
      if ((statSync(sidecar).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(sidecar, PRIVATE_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
