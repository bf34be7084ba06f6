// Starts the simulated acquirer: a SQLite ledger seeded from the cards fixture, the ISO 8583 host where it is told to
// listen, and a trace of every message (PANs masked) for the report. One function serves a rig (in its own process)
// and `posrig sim host` (a separate process, reached by address).
//   const bank = await startSimulatedBank(rigFile, cards, worker);     // a rig's host.simulate
//   const bank = await startAcquirer({ ledger: 'bank.sqlite', cards: cards.all(), merchant, currency: 'CNY' });
//   bank.address  // { host: '127.0.0.1', port: 41234 };  await bank.stop();

import path from 'node:path';
import type { Packaging } from '../../protocols/iso8583/index.ts';
import type { DuplicatePolicy, HostDefect, IsoTrace } from '../../simulators/acquirer/index.ts';
import { AcquirerHost, Ledger } from '../../simulators/acquirer/index.ts';
import { type Address, parseAddress } from '../faults/startFaults.ts';
import type { CardBook, TestCard } from '../file/cardBook.ts';
import type { RigFile } from '../file/rigFile.ts';

export interface SimulatedBank {
  readonly ledger: Ledger;
  readonly address: { host: string; port: number };
  readonly trace: IsoTrace[];
  stop(): Promise<void>;
}

/** What the simulated acquirer needs to start. */
export interface AcquirerSettings {
  /** A SQLite file, or ':memory:'. */
  readonly ledger: string;
  /** Seeds the ledger (accounts at their balances, journal cleared) with these cards and the merchant; when absent
   * the ledger is served as it is (a durable ledger file seeded earlier). */
  readonly cards?: readonly TestCard[] | undefined;
  /** The merchant account seeded beside the cards (DE42 and its name). */
  readonly merchant: { readonly id: string; readonly name: string };
  /** The merchant account's currency (ISO 4217). */
  readonly currency: string;
  /** Where the host listens; 127.0.0.1, any free port, by default. */
  readonly listen?: Address | undefined;
  /** The PIN key (32 or 48 hex digits); the built-in test key when absent. */
  readonly pinKey?: string | undefined;
  readonly duplicatePolicy?: DuplicatePolicy | undefined;
  readonly defects?: readonly HostDefect[] | undefined;
  /** ISO 8583 on the wire: 'ascii' (ASCII-87, default) or 'binary' (ISO87B behind a TPDU). */
  readonly packaging?: Packaging | undefined;
  /** Keep every message in `trace` (a rig's report); false for a long-running host, whose trace would only grow. */
  readonly keepTrace?: boolean | undefined;
}

/** Opens the ledger (one file per parallel worker), seeds it from the rig's cards, and starts the host. */
export async function startSimulatedBank(rig: RigFile, cards: CardBook, worker: string): Promise<SimulatedBank> {
  const simulate = rig.host.simulate;
  return startAcquirer({
    ledger: ledgerFileFor(simulate?.ledger ?? ':memory:', worker),
    cards: cards.all(),
    merchant: rig.terminal.merchant,
    currency: rig.currency,
    listen: simulate?.listen ? parseAddress(simulate.listen) : undefined,
    pinKey: simulate?.pinKey,
    duplicatePolicy: simulate?.duplicatePolicy,
    defects: simulate?.defects,
    packaging: rig.host.packaging,
  });
}

/** Opens and (with cards) seeds the ledger, then starts the host; the ledger is closed again if the host cannot start. */
export async function startAcquirer(settings: AcquirerSettings): Promise<SimulatedBank> {
  const ledger = Ledger.open(settings.ledger);
  try {
    if (settings.cards) {
      ledger.seed(
        settings.cards.map(({ alias, pan, expiry, pin, balance, status }) => ({
          alias,
          pan,
          expiry,
          pin,
          balance,
          status,
        })),
        [{ mid: settings.merchant.id, name: settings.merchant.name, currency: settings.currency }],
      );
    }
    const host = new AcquirerHost({
      ledger,
      ...(settings.listen ? { host: settings.listen.host, port: settings.listen.port } : {}),
      ...(settings.pinKey ? { pinKey: settings.pinKey } : {}),
      ...(settings.duplicatePolicy ? { duplicatePolicy: settings.duplicatePolicy } : {}),
      ...(settings.defects ? { defects: [...settings.defects] } : {}),
      ...(settings.packaging ? { packaging: settings.packaging } : {}),
    });
    const trace: IsoTrace[] = [];
    if (settings.keepTrace !== false) host.on('trace', (t: IsoTrace) => trace.push(t));
    const address = await host.start();
    return {
      ledger,
      address,
      trace,
      async stop() {
        await host.stop();
        ledger.close();
      },
    };
  } catch (error) {
    ledger.close();
    throw error;
  }
}

/** ':memory:' stays; a file gets the worker's suffix so parallel workers never share a ledger. */
function ledgerFileFor(ledger: string, worker: string): string {
  if (ledger === ':memory:' || worker === '0') return ledger;
  const { dir, name, ext } = path.parse(ledger);
  return path.join(dir, `${name}.w${worker}${ext}`);
}
