// A Rig is a leased, wired set of parts — a terminal driver, a bank probe, faults, power and the test cards —
// built from a rig file. The rig builder is the one place that constructs links and starts simulators.
//   const rig = await startRig('rigs/sim-serial.yaml');
//   await rig.terminal.startSale(parseMoney('100.00 CNY'));  …  await rig.reset();  …  await rig.stop();

import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { SerialPortStream } from '@serialport/stream';
import { EcrLink } from '../protocols/ecr/index.ts';
import type { IsoTrace } from '../simulators/acquirer/index.ts';
import type { TerminalConfig } from '../simulators/terminal/index.ts';
import type { BankProbe } from './bank/bankProbe.ts';
import { SimulatorBankProbe } from './bank/simulatorBankProbe.ts';
import type { Faults, ProxyMessage } from './faults/faults.ts';
import { type Address, parseAddress, startFaults } from './faults/startFaults.ts';
import { type CardBook, loadCardBook } from './file/cardBook.ts';
import { checkRigDevices } from './file/rigDevices.ts';
import { loadRigFile, type RigFile } from './file/rigFile.ts';
import { BootWatchedPower, type TerminalPower } from './power/bootWatch.ts';
import { type LinkFaults, SerialLinkFaults } from './serial/linkFaults.ts';
import { watchLinkRules } from './serial/linkVerdicts.ts';
import { closeSerialPort, openSerialPort } from './serial/serialPort.ts';
import { startSimulatedBank } from './simulated/simulatedBank.ts';
import { type SimulatedTerminal, startMockTerminal, startPtyTerminal } from './simulated/simulatedTerminal.ts';
import { EcrTerminalDriver } from './terminal/ecrTerminalDriver.ts';
import type { TerminalDriver } from './terminal/terminalDriver.ts';
import { type RigTiming, rigTiming } from './timing.ts';
import { RigFault } from './verdict/culprit.ts';

export interface Rig {
  readonly name: string;
  readonly file: RigFile;
  readonly terminal: TerminalDriver;
  readonly bank: BankProbe;
  readonly cards: CardBook;
  /** The fault proxy between terminal and host; undefined when the rig file has no host.faults. */
  readonly faults: Faults | undefined;
  /** The terminal's power; undefined when nothing on the rig can cut it. */
  readonly power: TerminalPower | undefined;
  /** Faults on the serial link to the terminal, injected on the harness side; undefined when it is not on one. */
  readonly link: LinkFaults | undefined;
  /** ISO 8583 messages the simulated host saw (masked); empty for a real host. */
  readonly isoTrace: readonly IsoTrace[];
  /** STANs of this terminal's requests (0200) the host approved since a moment: money moved for each, so a terminal
   * that did not report it approved owes its reversal. */
  approvedByHost(since: Date): string[];
  /** STANs of the reversals (0400) that left the terminal since then: the terminal owes a `confirmed` for each. */
  reversalsSent(since: Date): string[];
  /** The waits of steps and hooks, from the terminal's timings in the rig file. */
  readonly timing: RigTiming;
  /** Set once a part of the rig broke (a simulator or socat exited, the port closed): every wait fails with it. */
  readonly fault: RigFault | undefined;
  /** What the simulated terminal process wrote to stderr (PTY rigs); empty otherwise. */
  simulatorLog(): string;
  /** Back to a clean state between scenarios: power on, faults healed, terminal idle, traces cleared, ledger re-seeded. */
  reset(): Promise<void>;
  /** Stops everything the rig started. */
  stop(): Promise<void>;
}

export interface RigOptions {
  /** Cucumber worker id ('0' when not parallel): keeps mock paths, PTYs, state folders and ledger files apart. */
  readonly worker?: string;
}

type Stops = Array<() => Promise<unknown>>;

/** Where rigs keep their scratch folders. */
const SCRATCH = path.resolve('.posrig');

/** Reads the rig file, starts what it must simulate, connects the terminal and returns the wired rig. */
export async function startRig(file: string, options: RigOptions = {}): Promise<Rig> {
  const rigFile = loadRigFile(file);
  checkRigDevices(rigFile);
  const cards = loadCardBook(rigFile.cards);
  const worker = options.worker ?? '0';
  // Scratch folders (PTY links, the simulated terminal's non-volatile store, which may hold a pending reversal's
  // PAN) live only as long as the rig; those of runs that were killed are removed here.
  removeAbandonedRunFolders();
  const stops: Stops = [async () => rmSync(runFolder(rigFile, worker), { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    // loadRigFile refuses a rig without host.simulate: this version certifies against its own simulated acquirer.
    const bank = await startSimulatedBank(rigFile, cards, worker);
    stops.push(() => bank.stop());
    const upstream = bank.address;
    const started = await startFaults(rigFile, upstream);
    if (started) stops.push(() => started.stop());
    const backup = backupAddress(rigFile, upstream);
    const config = terminalConfig(rigFile, started?.address ?? upstream, backup, worker);
    const opened = await openTerminal(rigFile, config, worker, stops);
    // Link faults sit between the port and the harness's link, the same code for mock, PTY and real ports.
    const linkFaults = new SerialLinkFaults(opened.port);
    const link = new EcrLink(linkFaults.stream, { name: `harness:${rigFile.terminal.id}` });
    const terminal = new EcrTerminalDriver(rigFile.terminal.id, link);
    watchLinkRules(linkFaults, link, terminal.history);
    stops.push(() => terminal.close());
    let fault: RigFault | undefined;
    let stopping = false;
    const broke = (why: string) => {
      if (fault || stopping) return;
      fault = new RigFault(`rig ${rigFile.name}: ${why}`);
      terminal.history.fail(fault);
    };
    stops.push(async () => {
      stopping = true;
    });
    watchPort(opened.port, broke);
    opened.simulated?.onFault(broke);
    await terminal.connect();
    const timing = rigTiming(rigFile);
    const power = opened.simulated && new BootWatchedPower(opened.simulated.power, terminal, timing.bootMs);
    const probe = new SimulatorBankProbe(bank.ledger, rigFile.terminal.merchant.id);
    const isoTrace = bank.trace;
    const faults = started?.faults;
    return {
      ...{ name: rigFile.name, file: rigFile, terminal, bank: probe, cards, faults, power, isoTrace, timing },
      link: linkFaults,
      get fault() {
        return fault;
      },
      simulatorLog: () => opened.simulated?.log() ?? '',
      approvedByHost: (since) => approvalsIn(isoTrace, rigFile.terminal.id, since),
      reversalsSent: (since) => reversalsIn(isoTrace, faults?.messages() ?? [], since),
      async reset() {
        if (fault) throw fault;
        if (power && !power.isOn) await power.on();
        await faults?.reset();
        linkFaults.reset();
        await terminal.reset();
        await probe.reset();
        isoTrace.length = 0;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function openTerminal(
  rig: RigFile,
  config: TerminalConfig,
  worker: string,
  stops: Stops,
): Promise<{ port: SerialPortStream; simulated?: SimulatedTerminal }> {
  const { link, simulate } = rig.terminal;
  if (!simulate) {
    const port = await openSerialPort({ path: link.path, baudRate: link.baudRate });
    stops.push(() => closeSerialPort(port));
    return { port };
  }
  const simulated = link.path.startsWith('mock:')
    ? await startMockTerminal(link.path, link.baudRate, config)
    : await startPtyTerminal(link.path, link.baudRate, config, scratchFolder(rig, worker, 'pty'));
  stops.push(() => simulated.stop());
  stops.push(() => closeSerialPort(simulated.port));
  return { port: simulated.port, simulated };
}

function terminalConfig(rig: RigFile, host: Address, backup: Address | undefined, worker: string): TerminalConfig {
  const simulate = rig.terminal.simulate;
  const stateDir = scratchFolder(rig, worker, 'state');
  // A fresh terminal for every run: its non-volatile store starts empty, then survives power cuts within the run.
  rmSync(stateDir, { recursive: true, force: true });
  return {
    tid: rig.terminal.id,
    mid: rig.terminal.merchant.id,
    merchantName: rig.terminal.merchant.name,
    language: simulate?.language ?? 'zh-CN',
    currency: rig.currency,
    host,
    responseTimeoutMs: simulate?.responseTimeoutMs ?? 1500,
    stateDir,
    ...(backup ? { backupHost: backup } : {}),
    ...(simulate?.reversalRetryMs ? { reversalRetryMs: simulate.reversalRetryMs } : {}),
    ...(simulate?.model ? { model: simulate.model } : {}),
    ...(simulate?.defects.length ? { defects: simulate.defects as TerminalConfig['defects'] } : {}),
  };
}

/** The STANs of the 0210s with DE39 00 the host sent this terminal since `since`. */
/** STANs of the 0400s that left the terminal since `since`: the proxy saw them, or the host received them. */
function reversalsIn(trace: readonly IsoTrace[], proxied: readonly ProxyMessage[], since: Date): string[] {
  const host = trace.filter((t) => t.dir === 'in' && t.at >= since && t.message.mti === '0400');
  const proxy = proxied.filter((m) => m.direction === 'request' && m.at >= since && m.mti === '0400');
  const stans = [...host.map((t) => t.message.fields[11]), ...proxy.map((m) => m.stan)];
  return [...new Set(stans.filter((stan): stan is string => stan !== undefined))];
}

function approvalsIn(trace: readonly IsoTrace[], tid: string, since: Date): string[] {
  return trace
    .filter((t) => t.dir === 'out' && t.at >= since && t.message.mti === '0210')
    .filter((t) => t.message.fields[39] === '00' && t.message.fields[41] === tid)
    .map((t) => String(t.message.fields[11]));
}

/** A port that closes or fails under the rig is a rig fault, reported at once (not guessed from a timeout later). */
function watchPort(port: SerialPortStream, broke: (why: string) => void): void {
  port.on('close', () => broke(`the serial port ${port.path} closed`));
  port.on('link-error', (error: Error) => broke(error.message));
}

/** The terminal's backup host: "direct" is the host itself, bypassing the fault proxy. */
function backupAddress(rig: RigFile, upstream: Address): Address | undefined {
  if (rig.host.backup === undefined) return undefined;
  return rig.host.backup === 'direct' ? upstream : parseAddress(rig.host.backup);
}

/** Removes .posrig/ folders of runs whose process is gone (killed before its rig could stop). */
function removeAbandonedRunFolders(): void {
  let entries: string[];
  try {
    entries = readdirSync(SCRATCH);
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = Number(/-(\d+)-w[^-]+$/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !processAlive(pid))
      rmSync(path.join(SCRATCH, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This run's own folder under .posrig/, removed when the rig stops. */
function runFolder(rig: RigFile, worker: string): string {
  return path.join(SCRATCH, `${rig.name}-${process.pid}-w${worker}`);
}

/** A folder inside this run's folder: 'pty' (PTY links), 'state' (the simulated terminal's non-volatile store). */
function scratchFolder(rig: RigFile, worker: string, kind: string): string {
  return path.join(runFolder(rig, worker), kind);
}
