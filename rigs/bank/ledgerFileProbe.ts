// The bank probe of a simulated acquirer running elsewhere on this machine (`posrig sim host --ledger FILE`): the same
// SimulatorBankProbe, over a second connection to its SQLite ledger file (WAL; writers wait for each other's lock).
// Nothing is seeded: the host process owns the accounts; reset() restores its seed balances.
//   const opened = openLedgerFileProbe('/var/posrig/ledger.db', '104110045110012');
//   await opened.probe.balance(card);  …  opened.close();

import { existsSync } from 'node:fs';
import { Ledger } from '../../simulators/acquirer/index.ts';
import { RigFault } from '../verdict/culprit.ts';
import type { BankProbe } from './bankProbe.ts';
import { SimulatorBankProbe } from './simulatorBankProbe.ts';

export interface LedgerFileProbe {
  readonly probe: BankProbe;
  /** Closes the probe's connection to the ledger file (the host process keeps its own). */
  close(): void;
}

/**
 * Opens the ledger file of a simulated host that posrig does not start; RigFault (naming bank.probe.ledger) when the
 * file does not exist or holds no merchant with this MID — the host is not running, or runs for another rig.
 */
export function openLedgerFileProbe(file: string, mid: string): LedgerFileProbe {
  const hint = `start \`posrig sim host --ledger ${file}\` with this rig's cards and merchant first`;
  if (!existsSync(file)) throw new RigFault(`bank.probe.ledger: no ledger file at ${file}; ${hint}`);
  const ledger = Ledger.open(file);
  const merchants = [...ledger.balances().keys()].filter((key) => key.startsWith('merchant:'));
  if (!merchants.includes(`merchant:${mid}`)) {
    ledger.close();
    const known = merchants.map((key) => key.slice('merchant:'.length)).join(', ') || 'none';
    throw new RigFault(`bank.probe.ledger: ${file} has no merchant ${mid} (it has: ${known}); ${hint}`);
  }
  return { probe: new SimulatorBankProbe(ledger, mid), close: () => ledger.close() };
}
