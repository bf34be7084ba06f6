// Starts the simulated acquirer for a rig: a SQLite ledger seeded from the cards fixture, the ISO 8583 host on an
// ephemeral port, and a trace of every message (PANs masked) for the report.

import path from 'node:path';
import type { IsoTrace } from '../../simulators/acquirer/index.ts';
import { AcquirerHost, Ledger } from '../../simulators/acquirer/index.ts';
import type { CardBook } from '../file/cardBook.ts';
import type { RigFile } from '../file/rigFile.ts';

export interface SimulatedBank {
  readonly ledger: Ledger;
  readonly address: { host: string; port: number };
  readonly trace: IsoTrace[];
  stop(): Promise<void>;
}

/** Opens the ledger (one file per parallel worker), seeds it, and starts the host. */
export async function startSimulatedBank(rig: RigFile, cards: CardBook, worker: string): Promise<SimulatedBank> {
  const ledgerPath = ledgerFileFor(rig.host.simulate?.ledger ?? ':memory:', worker);
  const ledger = Ledger.open(ledgerPath);
  ledger.seed(
    cards.all().map(({ alias, pan, expiry, pin, balance, status }) => ({ alias, pan, expiry, pin, balance, status })),
    [{ mid: rig.terminal.merchant.id, name: rig.terminal.merchant.name, currency: rig.currency }],
  );
  const simulate = rig.host.simulate;
  const host = new AcquirerHost({
    ledger,
    ...(simulate ? { duplicatePolicy: simulate.duplicatePolicy, defects: simulate.defects } : {}),
  });
  const trace: IsoTrace[] = [];
  host.on('trace', (t: IsoTrace) => trace.push(t));
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
}

/** ':memory:' stays; a file gets the worker's suffix so parallel workers never share a ledger. */
function ledgerFileFor(ledger: string, worker: string): string {
  if (ledger === ':memory:' || worker === '0') return ledger;
  const { dir, name, ext } = path.parse(ledger);
  return path.join(dir, `${name}.w${worker}${ext}`);
}
