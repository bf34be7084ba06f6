// Names the part of the rig that failed when startRig throws: it builds every part, so its error is mapped back to
// the one that broke (a port in use → the part that listens there; a silent link → the terminal).
//   const failure = startFailure(error, rigFile);  // { part: 'fault proxy', checks: [✘ …] }

import { LinkError } from '../../protocols/ecr/index.ts';
import type { RigFile } from '../file/rigFile.ts';
import { ConfigFileError } from '../file/yamlFile.ts';
import { BrokerError } from '../mqtt/brokerClient.ts';
import { ChildStartError } from '../process/childProcess.ts';
import { SerialLinkError } from '../serial/serialPort.ts';
import { WaitTimeoutError } from '../timeline/timeline.ts';
import { type Check, failed, reasonOf } from './check.ts';
import { busy, permissionFix } from './serialChecks.ts';
import { SILENT_TERMINAL_FIX } from './terminalChecks.ts';

/** The parts of a rig as doctor names them, where the name depends on the rig. */
export function partsOf(rig: RigFile): { readonly serial: string } {
  const link = rig.terminal.link;
  if (link.kind === 'mqtt') return { serial: `MQTT link (broker ${link.broker})` };
  return { serial: `serial port ${link.path}` };
}

/** The device path of a serial link ('' for an MQTT link, which has none). */
function devicePathOf(rig: RigFile): string {
  return rig.terminal.link.kind === 'serial' ? rig.terminal.link.path : '';
}

export interface StartFailure {
  /** The part that failed: later checks that need it are skipped, naming it. */
  readonly part: string;
  readonly checks: Check[];
}

/** The part startRig failed on, and its ✘ lines. */
export async function startFailure(error: unknown, rig: RigFile): Promise<StartFailure> {
  const parts = partsOf(rig);
  const reason = reasonOf(error);
  if (error instanceof ConfigFileError)
    return { part: 'rig file', checks: error.problems.map((p) => failed('rig file', p, 'edit the key it names')) };
  const listening = /cannot listen on (\S+?):(\d+): (.*)$/.exec(reason);
  if (listening) return listenFailure(rig, Number(listening[2]), `${listening[1]}:${listening[2]}`, listening[3] ?? '');
  if (error instanceof SerialLinkError) {
    const part = parts.serial;
    if (/permission denied|EACCES/i.test(reason))
      return one(part, failed(part, 'permission denied', permissionFix(devicePathOf(rig))));
    if (/busy|cannot lock|temporarily unavailable/i.test(reason)) return one(part, await busy(part, devicePathOf(rig)));
    return one(part, failed(part, reason, 'check the cable and terminal.link.baudRate'));
  }
  if (error instanceof BrokerError) {
    const fix =
      "start the broker, or check terminal.link.broker, POSRIG_MQTT_USERNAME and POSRIG_MQTT_PASSWORD (the broker's ACL: docs/protocol.md 12.4)";
    return one(parts.serial, failed(parts.serial, reason, fix));
  }
  if (error instanceof ChildStartError) {
    const part = parts.serial;
    const fix = /socat/.test(reason)
      ? 'install socat (apt-get install socat), or use a mock: link'
      : 'run the simulated terminal by hand (posrig sim terminal --help) to see why it stops';
    return one(part, failed(part, `the simulated terminal did not start: ${reason}`, fix));
  }
  if (error instanceof WaitTimeoutError)
    return one('terminal', failed('terminal', `no info answered hello: ${reason}`, SILENT_TERMINAL_FIX));
  if (error instanceof LinkError && error.code === 'no-ack')
    return one('terminal', failed('terminal', `no ACK to hello, so no info: ${reason}`, SILENT_TERMINAL_FIX));
  if (/power\.kind|power relay|\bpower:/.test(reason))
    return one(
      'power relay',
      failed('power relay', reason, 'correct power: in the rig file (docs/architecture.md "Rig files")'),
    );
  if (/bank\.probe|ledger/.test(reason))
    return one(
      'bank probe',
      failed('bank probe', reason, 'correct bank.probe in the rig file, or start the host it reads'),
    );
  return one('rig', failed('rig', `did not start: ${reason}`, 'see the message; posrig run fails the same way'));
}

function one(part: string, check: Check): StartFailure {
  return { part, checks: [check] };
}

/** A port the rig could not listen on: the part whose listen key names it (the host when none does). */
function listenFailure(rig: RigFile, port: number, address: string, why: string): StartFailure {
  const keyed: Array<[string, string, unknown]> = [
    ['fault proxy', 'host.faults.listen', typeof rig.host.faults === 'object' ? rig.host.faults.listen : undefined],
    ['backup tap', 'host.backup.listen', listenOf(rig.host.backup)],
    ['host', 'host.simulate.listen', rig.host.simulate?.listen],
  ];
  const [part, key] = keyed.find(([, , value]) => typeof value === 'string' && value.endsWith(`:${port}`)) ?? [
    'host',
    'host.simulate.listen',
  ];
  const inUse = /EADDRINUSE/.test(why);
  const detail = inUse ? `${address} is in use by another program` : `cannot listen on ${address}: ${why}`;
  const fix = inUse
    ? `stop what listens there (ss -ltnp 'sport = :${port}' names it) or choose another port in ${key}`
    : `give ${key} an address of this machine`;
  return one(part, failed(part, detail, fix));
}

function listenOf(backup: unknown): unknown {
  return typeof backup === 'object' && backup !== null && 'listen' in backup ? backup.listen : undefined;
}
