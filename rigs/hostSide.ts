// The host side of a rig: posrig's simulated acquirer or a host it does not start (host.address), the fault proxy in
// front of it, and the backup tap — where the terminal's backup connection reaches the host past the faults, recorded.
//   const host = await startHostSide(rigFile, cards, worker, stops);
//   host.terminalHost  // where the terminal dials;  host.trace()  // what reached the host past the proxy

import type { IsoTrace } from '../simulators/acquirer/index.ts';
import { FaultProxy } from '../simulators/faultproxy/index.ts';
import type { Faults, ProxyMessage } from './faults/faults.ts';
import { ProxyFaults } from './faults/proxyFaults.ts';
import { type Address, parseAddress, startFaults } from './faults/startFaults.ts';
import type { CardBook } from './file/cardBook.ts';
import type { RigFile } from './file/rigFile.ts';
import { type SimulatedBank, startSimulatedBank } from './simulated/simulatedBank.ts';

export interface HostSide {
  /** posrig's simulated acquirer; undefined for a host posrig does not start (host.address). */
  readonly bank: SimulatedBank | undefined;
  /** The host itself. */
  readonly upstream: Address;
  /** Where the terminal dials: the fault proxy, else the host. */
  readonly terminalHost: Address;
  /** The terminal's backup host: the host itself ("direct") or the backup tap; undefined when the rig has none. */
  readonly backup: Address | undefined;
  /** The fault proxy; undefined when the rig file has no host.faults. */
  readonly faults: Faults | undefined;
  /** What passed the proxy by: everything the simulated host saw, or what crossed the backup tap (external host). */
  trace(): readonly IsoTrace[];
  /** STANs of this terminal's 0200s the host approved since a moment (by the host's trace, or the proxy's view). */
  approvedByHost(tid: string, since: Date): string[];
  /** STANs of the 0400s that left the terminal since a moment. */
  reversalsSent(since: Date): string[];
  /** Forgets traffic and traces, disarms every fault (between scenarios). */
  reset(): Promise<void>;
}

type Stops = Array<() => Promise<unknown>>;

/** Starts the simulated bank (or names the external host), the fault proxy and the backup tap; each registers its stop. */
export async function startHostSide(rig: RigFile, cards: CardBook, worker: string, stops: Stops): Promise<HostSide> {
  const bank = rig.host.simulate ? await startSimulatedBank(rig, cards, worker) : undefined;
  if (bank) stops.push(() => bank.stop());
  const upstream = bank?.address ?? parseAddress(rig.host.address ?? '');
  const started = await startFaults(rig, upstream);
  if (started) stops.push(() => started.stop());
  const tap = await startBackupTap(rig, upstream);
  if (tap) stops.push(() => tap.stop());
  const faults = started?.faults;
  const backup = backupAddress(rig, upstream) ?? tap?.address;
  const hostTrace = (): IsoTrace[] => bank?.trace ?? tap?.traffic.messages().map(traceOf) ?? [];
  return {
    bank,
    upstream,
    terminalHost: started?.address ?? upstream,
    backup,
    faults,
    trace: hostTrace,
    approvedByHost: (tid, since) => approvalsIn(hostTrace(), faults?.messages() ?? [], tid, since),
    reversalsSent: (since) => reversalsIn(hostTrace(), faults?.messages() ?? [], since),
    async reset() {
      await faults?.reset();
      await tap?.traffic.reset();
      if (bank) bank.trace.length = 0;
      // The simulated bank starts every scenario seeded, whatever probe reads it (one by balance inquiry cannot).
      bank?.ledger.reset();
    },
  };
}

/** "direct": the host itself, past the proxy; "host:port": another host the (simulated) terminal dials. */
function backupAddress(rig: RigFile, upstream: Address): Address | undefined {
  const backup = rig.host.backup;
  if (typeof backup !== 'string') return undefined;
  return backup === 'direct' ? upstream : parseAddress(backup);
}

interface BackupTap {
  readonly address: Address;
  readonly traffic: Faults;
  stop(): Promise<void>;
}

/** host.backup.listen: a proxy with no rules where the terminal's backup connection arrives; it passes everything to
 * the host and records it (no fault ever applies to the backup: "the primary refuses" must leave it reachable). */
async function startBackupTap(rig: RigFile, upstream: Address): Promise<BackupTap | undefined> {
  const backup = rig.host.backup;
  if (backup === undefined || typeof backup === 'string') return undefined;
  const proxy = new FaultProxy({ upstream, listen: parseAddress(backup.listen), packaging: rig.host.packaging });
  const address = await proxy.start();
  return { address, traffic: new ProxyFaults(proxy), stop: () => proxy.stop() };
}

/** A message the backup tap saw, as the host's trace would have it. */
function traceOf(message: ProxyMessage): IsoTrace {
  const fields = (message.fields ?? {}) as IsoTrace['message']['fields'];
  return { dir: message.direction === 'request' ? 'in' : 'out', at: message.at, message: { mti: message.mti, fields } };
}

/** STANs of the 0400s that left the terminal since `since`: the proxy saw them, or the host received them. */
function reversalsIn(trace: readonly IsoTrace[], proxied: readonly ProxyMessage[], since: Date): string[] {
  const host = trace.filter((t) => t.dir === 'in' && t.at >= since && t.message.mti === '0400');
  const proxy = proxied.filter((m) => m.direction === 'request' && m.at >= since && m.mti === '0400');
  const stans = [...host.map((t) => t.message.fields[11]), ...proxy.map((m) => m.stan)];
  return [...new Set(stans.filter((stan): stan is string => stan !== undefined))];
}

/** STANs of the 0210s with DE39 00 the host sent this terminal since `since`: as the host sent them, or as the proxy
 * (which carries this terminal's traffic only) received them from the host — what it then did to them does not change
 * that money moved. */
function approvalsIn(trace: readonly IsoTrace[], proxied: readonly ProxyMessage[], tid: string, since: Date): string[] {
  const host = trace
    .filter((t) => t.dir === 'out' && t.at >= since && t.message.mti === '0210')
    .filter((t) => t.message.fields[39] === '00' && t.message.fields[41] === tid)
    .map((t) => String(t.message.fields[11]));
  const proxy = proxied
    .filter((m) => m.direction === 'response' && m.at >= since && m.mti === '0210' && m.responseCode === '00')
    .map((m) => m.stan)
    .filter((stan): stan is string => stan !== undefined);
  return [...new Set([...host, ...proxy])];
}
