// `posrig sim host`: runs posrig's simulated acquirer (ISO 8583 host + SQLite ledger) as a process of its own, for a
// terminal (real, or `posrig sim terminal`) that dials it by address, as it would dial an acquirer's test host.
//   npx posrig sim host --listen 0.0.0.0:5000 --ledger bank.sqlite --cards fixtures/cards.yaml
// Prints one line 'posrig sim host: listening on HOST:PORT' to stderr once listening; SIGTERM/SIGINT stop it cleanly
// (open connections closed, ledger file closed). With --cards the ledger is seeded at start (accounts at their fixture
// balances, journal cleared); without it a ledger file is served as it is. A rig reads the same file's balances
// (bank.probe.ledger).

import type { Command } from 'commander';
import { isPackaging } from '../protocols/iso8583/index.ts';
import { loadCardBook } from '../rigs/file/cardBook.ts';
import { type AcquirerSettings, startAcquirer } from '../rigs/simulated/simulatedBank.ts';
import {
  DUPLICATE_POLICIES,
  type DuplicatePolicy,
  HOST_DEFECTS,
  type HostDefect,
} from '../simulators/acquirer/index.ts';
import { collect, stopOnSignal } from './commandLine.ts';
import { parseHostPort, SimOptionError } from './sim.ts';

/** The options of `sim host` as commander hands them over (all strings). */
export interface SimHostFlags {
  listen: string;
  ledger: string;
  cards?: string;
  mid: string;
  merchantName: string;
  currency: string;
  pinKey?: string;
  duplicatePolicy: string;
  defect?: string[];
  packaging: string;
}

/** Turns the command-line flags into the acquirer's settings; errors name the option. */
export function simHostSettings(flags: SimHostFlags): AcquirerSettings {
  const listen = parseHostPort(flags.listen, '--listen', 0);
  if (flags.ledger === '') throw new SimOptionError('--ledger', 'expected a SQLite file path or :memory:');
  if (!/^[\x20-\x7e]{15}$/.test(flags.mid)) {
    throw new SimOptionError('--mid', `a merchant ID (DE42) is 15 printable ASCII characters, got "${flags.mid}"`);
  }
  if (!/^[A-Z]{3}$/.test(flags.currency)) {
    throw new SimOptionError('--currency', `expected an ISO 4217 code in capitals, e.g. CNY, got "${flags.currency}"`);
  }
  if (flags.pinKey !== undefined && !/^(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48})$/.test(flags.pinKey)) {
    throw new SimOptionError('--pin-key', 'expected a 3DES key of 32 or 48 hex digits');
  }
  if (!DUPLICATE_POLICIES.includes(flags.duplicatePolicy as DuplicatePolicy)) {
    throw new SimOptionError(
      '--duplicate-policy',
      `expected ${DUPLICATE_POLICIES.join(' or ')}, got "${flags.duplicatePolicy}"`,
    );
  }
  if (!isPackaging(flags.packaging)) {
    throw new SimOptionError('--packaging', `expected ascii or binary, got "${flags.packaging}"`);
  }
  const defects = flags.defect ?? [];
  for (const defect of defects) {
    if (!HOST_DEFECTS.includes(defect as HostDefect)) {
      throw new SimOptionError('--defect', `unknown host defect "${defect}"; allowed: ${HOST_DEFECTS.join(', ')}`);
    }
  }
  return {
    ledger: flags.ledger,
    cards: flags.cards === undefined ? undefined : loadCardBook(flags.cards).all(),
    merchant: { id: flags.mid, name: flags.merchantName },
    currency: flags.currency,
    listen,
    pinKey: flags.pinKey,
    duplicatePolicy: flags.duplicatePolicy as DuplicatePolicy,
    defects: defects as HostDefect[],
    packaging: flags.packaging,
    keepTrace: false,
  };
}

/** Adds `sim host` to posrig's `sim` command. */
export function registerSimHost(sim: Command): void {
  sim
    .command('host')
    .description('run the simulated acquirer (ISO 8583 host and ledger) as a process of its own')
    .option('--listen <host:port>', 'where the host listens; port 0 is any free port', '127.0.0.1:0')
    .option('--ledger <file>', 'SQLite ledger file (a rig reads balances from it: bank.probe.ledger)', ':memory:')
    .option('--cards <file>', 'cards fixture (fixtures/cards.yaml) the ledger is seeded with at start')
    .option('--mid <mid>', 'merchant ID (DE42) of the merchant account seeded with the cards', '898310048160001')
    .option('--merchant-name <name>', 'name of that merchant account', 'POSRIG TEST MERCHANT')
    .option('--currency <code>', 'ISO 4217 currency of the merchant account', 'CNY')
    .option('--pin-key <hex>', 'PIN key, 32 or 48 hex digits (DE52 is ISO 9564 format 0 under it); test key if absent')
    .option('--duplicate-policy <policy>', `a repeated 0200: ${DUPLICATE_POLICIES.join(' or ')}`, 'replay')
    .option('--packaging <packaging>', 'ISO 8583 packaging: ascii (ASCII-87) or binary (ISO87B behind a TPDU)', 'ascii')
    .option('--defect <name>', `seeded host defect, repeatable: ${HOST_DEFECTS.join(', ')}`, collect)
    .action(async (flags: SimHostFlags) => {
      await runHostUntilSignal(simHostSettings(flags));
    });
}

async function runHostUntilSignal(settings: AcquirerSettings): Promise<void> {
  const bank = await startAcquirer(settings);
  const { host, port } = bank.address;
  process.stderr.write(`posrig sim host: listening on ${host.includes(':') ? `[${host}]` : host}:${port}\n`);
  await stopOnSignal('posrig sim host', () => bank.stop());
}
