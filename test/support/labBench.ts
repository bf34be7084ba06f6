// A lab-loopback bench of a test's own: the settings file rigs/lab-loopback/bench.sh (and terminal.sh, run by the
// power relay) reads from POSRIG_LAB_ENV, with the bench's ttys, ledger and pid files in the test's folder.
//   const envFile = writeBenchEnv(folder, { tid: 'LOOPTEST', merchantName: 'POSRIG TEST', hostListen: '127.0.0.1:0' });

import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface BenchSettings {
  readonly tid: string;
  readonly merchantName: string;
  /** Where the bench's simulated host listens (port 0: any free port). */
  readonly hostListen: string;
  /** The terminal's primary and backup host addresses (default 127.0.0.1:9, nothing there). */
  readonly primaryHost?: string;
  readonly backupHost?: string;
  /** The cards fixture (default fixtures/cards.yaml). */
  readonly cards?: string;
}

/** Writes `bench.env` into the folder for a bench there (an en terminal, 1500 ms response timeout); returns its path. */
export function writeBenchEnv(folder: string, settings: BenchSettings): string {
  const file = path.join(folder, 'bench.env');
  writeFileSync(
    file,
    [
      `LAB_DIR="${folder}"`,
      `HARNESS_TTY="${folder}/ttyPOS.harness"`,
      `TERMINAL_TTY="${folder}/ttyPOS.terminal"`,
      `HOST_LISTEN="${settings.hostListen}"`,
      `LEDGER="${folder}/bank.sqlite"`,
      `CARDS="${settings.cards ?? path.resolve('fixtures/cards.yaml')}"`,
      `PRIMARY_HOST="${settings.primaryHost ?? '127.0.0.1:9'}"`,
      `BACKUP_HOST="${settings.backupHost ?? '127.0.0.1:9'}"`,
      `TID="${settings.tid}"`,
      'MID="898310048160001"',
      `MERCHANT_NAME="${settings.merchantName}"`,
      'CURRENCY="CNY"',
      'LANGUAGE="en"',
      'RESPONSE_TIMEOUT_MS="1500"',
      'READY_TENTHS=600',
      '',
    ].join('\n'),
  );
  return file;
}
