// Doctor checks 6, part by part: the host, the fault proxy and the backup tap listen where the terminal dials them.
// Addresses come from the started rig (rig.addresses, where it says) or from the rig file; a simulated part on a free
// port the rig alone knows is reported as started.
//   await checkHost(rigFile, rig)   → ✔ "host  simulated acquirer listening on 127.0.0.1:41234 (connected in 1 ms)"

import { type Address, parseAddress } from '../faults/startFaults.ts';
import type { RigFile } from '../file/rigFile.ts';
import { lineOfKey } from '../file/yamlFile.ts';
import type { Rig } from '../rig.ts';
import { absent, type Check, passed } from './check.ts';
import { checkListening, formatAddress } from './networkChecks.ts';

/** Where the started rig's host-side parts listen, when the rig tells (see the report of issue 8 for rig.ts). */
export interface RigAddresses {
  readonly host?: Address;
  readonly faults?: Address;
  readonly backup?: Address;
}

/** The rig's own addresses, if its Rig has them; else none. */
function addressesOf(rig: Rig): RigAddresses {
  const told = (rig as Rig & { addresses?: RigAddresses }).addresses;
  return told ?? {};
}

/** An address given in the rig file, unless it is port 0 (any free port: only the started rig knows which). */
function fixedAddress(text: unknown): Address | undefined {
  if (typeof text !== 'string') return undefined;
  const address = parseAddress(text);
  return address.port > 0 ? address : undefined;
}

function where(rig: RigFile, key: readonly string[]): string {
  const line = lineOfKey(rig.file, key);
  return `${key.join('.')} in ${rig.file}${line === undefined ? '' : `:${line}`}`;
}

/** A host posrig does not start (host.address): checked whether the rig started or not. */
export function externalHost(rig: RigFile): Address | undefined {
  return rig.host.simulate ? undefined : fixedAddress(rig.host.address);
}

/** The host: one posrig does not start, dialled; or the simulated acquirer of the started rig. */
export async function checkHost(file: RigFile, rig: Rig | undefined): Promise<Check | undefined> {
  const external = externalHost(file);
  if (external)
    return checkListening(
      'host',
      external,
      `start the host (e.g. \`posrig sim host\`) or correct ${where(file, ['host', 'address'])}`,
    );
  if (!rig) return undefined;
  const address = addressesOf(rig).host ?? fixedAddress(file.host.simulate?.listen);
  if (!address)
    return passed('host', 'simulated acquirer started (on a free loopback port the rig tells the terminal)');
  return checkListening(
    'host',
    address,
    `free ${formatAddress(address)} or choose another port in ${where(file, ['host', 'simulate', 'listen'])}`,
    'simulated acquirer',
  );
}

/** The fault proxy of the started rig, where the terminal dials it. */
export async function checkFaultProxy(file: RigFile, rig: Rig): Promise<Check> {
  if (!rig.faults) return absent('fault proxy', 'no fault proxy on this rig (host.faults is false)');
  const listen = typeof file.host.faults === 'object' ? file.host.faults.listen : undefined;
  const address = addressesOf(rig).faults ?? fixedAddress(listen);
  if (!address) return passed('fault proxy', 'started (on a free loopback port the rig tells the terminal)');
  return checkListening('fault proxy', address, `check ${where(file, ['host', 'faults', 'listen'])}`);
}

/** The terminal's backup host: the host itself ("direct"), another host, or posrig's backup tap (backup.listen). */
export async function checkBackup(file: RigFile, rig: Rig): Promise<Check> {
  const backup: unknown = file.host.backup;
  if (backup === undefined) return absent('backup host', 'no backup host on this rig (host.backup)');
  if (backup === 'direct')
    return passed('backup host', "direct: the terminal's backup host is the host itself, past the fault proxy");
  if (typeof backup === 'string')
    return checkListening(
      'backup host',
      parseAddress(backup),
      `start it or correct ${where(file, ['host', 'backup'])}`,
    );
  const listen = typeof backup === 'object' && backup !== null && 'listen' in backup ? backup.listen : undefined;
  const address = addressesOf(rig).backup ?? fixedAddress(listen);
  if (!address) return passed('backup tap', 'started (on a free port the rig tells the terminal)');
  return checkListening('backup tap', address, `check ${where(file, ['host', 'backup', 'listen'])}`);
}
