// `posrig doctor`: checks a rig part by part, in the order a bench is set up, one Check per part. A part that fails
// makes the checks that need it "skipped: needs <part>"; a part the rig does not have is noted, not failed.
//   for await (const check of doctorChecks('rigs/lab-07.yaml')) console.log(formatCheck(check));

import { isSimulatedLinkPath } from '../file/rigChecks.ts';
import type { RigFile } from '../file/rigFile.ts';
import { type Rig, startRig } from '../rig.ts';
import type { TerminalInfo } from '../terminal/terminalDriver.ts';
import { checkCapabilities } from './capabilityChecks.ts';
import { type Check, passed, skipped } from './check.ts';
import type { ScenarioNeeds } from './featureNeeds.ts';
import { checkBackup, checkFaultProxy, checkHost } from './hostChecks.ts';
import { checkPool } from './poolChecks.ts';
import { checkBank, checkPower } from './powerBankChecks.ts';
import { checkRigFile } from './rigFileChecks.ts';
import { checkSerialDevice } from './serialChecks.ts';
import { partsOf, type StartFailure, startFailure } from './startFailure.ts';
import { checkTerminal } from './terminalChecks.ts';

export interface DoctorOptions {
  /** The features' needs (default: read from features/). */
  readonly scenarios?: readonly ScenarioNeeds[];
}

/** Every check of the rig, in order, as each completes. The rig it starts is stopped before the last one returns. */
export async function* doctorChecks(file: string, options: DoctorOptions = {}): AsyncGenerator<Check> {
  const loaded = checkRigFile(file);
  yield* loaded.checks;
  const rigFile = loaded.rig;
  if (!rigFile) {
    yield* skippedAll('the rig file');
    return;
  }
  const parts = partsOf(rigFile);
  // A real terminal's device is opened (and closed) before the rig starts, so that its failure is named as such.
  let blocker: string | undefined = loaded.cards ? undefined : 'the cards';
  const link = rigFile.terminal.link;
  if (link.kind === 'serial' && !isSimulatedLinkPath(link.path)) {
    const device = await checkSerialDevice(link.path, link.baudRate);
    yield device;
    if (device.status !== 'ok') blocker ??= parts.serial;
  }
  let rig: Rig | undefined;
  let failure: StartFailure | undefined;
  if (!blocker) {
    try {
      rig = await startRig(file);
    } catch (error) {
      failure = await startFailure(error, rigFile);
    }
  }
  try {
    yield* afterStart(rigFile, rig, blocker, failure, options);
  } finally {
    await rig?.stop();
  }
}

/** The checks after the rig's start: the simulated link, the terminal, its capabilities, the host side, power, bank. */
async function* afterStart(
  rigFile: RigFile,
  rig: Rig | undefined,
  blocker: string | undefined,
  failure: StartFailure | undefined,
  options: DoctorOptions,
): AsyncGenerator<Check> {
  const parts = partsOf(rigFile);
  const needs = blocker ?? (failure?.part === 'rig' ? 'the rig to start' : failure?.part) ?? 'the rig';
  /** The failure's own lines where it is this part; else, without a rig, "skipped". */
  const orFailure = function* (part: string): Generator<Check> {
    if (failure?.part === part) yield* failure.checks;
    else yield skipped(part, needs);
  };
  // A failure of no single part (the rig file as the rig read it, or an unforeseen error) comes first.
  const placed = [
    parts.serial,
    'terminal',
    'host',
    'fault proxy',
    'backup tap',
    'backup host',
    'power relay',
    'bank probe',
  ];
  if (failure && !placed.includes(failure.part)) yield* failure.checks;
  if (rigFile.terminal.link.kind === 'mqtt') {
    if (rig) yield passed(parts.serial, mqttLinkDetail(rigFile, rig));
    else yield* orFailure(parts.serial);
    const pool = await checkPool(rigFile);
    if (pool) yield pool;
  } else if (isSimulatedLinkPath(rigFile.terminal.link.path)) {
    if (rig) yield passed(parts.serial, simulatedLinkDetail(rigFile));
    else yield* orFailure(parts.serial);
  } else if (failure?.part === parts.serial) yield* failure.checks; // it opened alone, not as the rig opened it
  let info: TerminalInfo | undefined;
  if (rig) {
    const terminal = await checkTerminal(rig);
    yield* terminal.checks;
    info = terminal.info;
  } else {
    yield* orFailure('terminal');
    yield skipped('terminal ID', 'the terminal');
  }
  if (rig && info) yield checkCapabilities(rig, info, options.scenarios);
  else yield skipped('capabilities', 'the terminal');
  // A host posrig does not start is dialled whether the rig started or not.
  const host = await checkHost(rigFile, rig);
  if (host) yield host;
  else yield* orFailure('host');
  if (rig) {
    yield await checkFaultProxy(rigFile, rig);
    yield await checkBackup(rigFile, rig);
  } else {
    for (const part of ['fault proxy', backupPart(rigFile)]) yield* orFailure(part);
  }
  if (rig && info) yield await checkPower(rig);
  else if (rig) yield skipped('power relay', 'the terminal');
  else yield* orFailure('power relay');
  if (rig) yield await checkBank(rig);
  else yield* orFailure('bank probe');
}

function mqttLinkDetail(rigFile: RigFile, rig: Rig): string {
  const link = rigFile.terminal.link;
  if (link.kind !== 'mqtt') return '';
  const where = link.broker === 'embedded' ? 'the embedded broker' : `broker ${link.broker}`;
  const simulated = rigFile.terminal.simulate
    ? link.agent
      ? ', a simulated terminal on a PTY behind posrig agent'
      : ', a simulated terminal speaking MQTT'
    : '';
  return `terminal ${rig.terminal.id} reached through ${where}${simulated}`;
}

function simulatedLinkDetail(rig: RigFile): string {
  return rig.terminal.link.kind === 'serial' && rig.terminal.link.path.startsWith('mock:')
    ? 'the simulated terminal started (in this process, on a mock serial port)'
    : 'the simulated terminal started (a process on a socat PTY pair)';
}

/** The parts after the serial port, in the order they are checked. */
const LATER_PARTS = [
  'terminal',
  'terminal ID',
  'capabilities',
  'host',
  'fault proxy',
  'backup host',
  'power relay',
  'bank probe',
];

/** Every later part, skipped for want of `needs` (the rig file did not load). */
function* skippedAll(needs: string): Generator<Check> {
  for (const part of ['serial port', ...LATER_PARTS]) yield skipped(part, needs);
}

/** The backup's part name: posrig's tap when it listens for the terminal's backup connection, else the host. */
function backupPart(rig: RigFile): string {
  const backup: unknown = rig.host.backup;
  return typeof backup === 'object' && backup !== null ? 'backup tap' : 'backup host';
}
