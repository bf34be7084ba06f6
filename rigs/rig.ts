// A Rig is a leased, wired set of parts — a terminal driver, a bank probe, faults, power and the test cards —
// built from a rig file. The rig builder is the one place that constructs links and starts simulators.
//   const rig = await startRig('rigs/sim-serial.yaml');
//   await rig.terminal.startSale(parseMoney('100.00 CNY'));  …  await rig.reset();  …  await rig.stop();

import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { SerialPortStream } from '@serialport/stream';
import { useTimeSource } from '../protocols/domain/clock.ts';
import { parseMoney } from '../protocols/domain/money.ts';
import { EcrLink, type MessageLink } from '../protocols/ecr/index.ts';
import type { TextOverrides } from '../protocols/ecr/referenceTexts.ts';
import type { IsoTrace } from '../simulators/acquirer/index.ts';
import type { TerminalConfig } from '../simulators/terminal/index.ts';
import type { BankProbe } from './bank/bankProbe.ts';
import { IsoBankProbe } from './bank/isoBankProbe.ts';
import { openLedgerFileProbe } from './bank/ledgerFileProbe.ts';
import { shareBank } from './bank/sharedBankProbe.ts';
import { SimulatorBankProbe } from './bank/simulatorBankProbe.ts';
import { type ClockKind, virtualClockProblem, virtualClockRefusal } from './clock/clockChoice.ts';
import { VirtualClock } from './clock/virtualClock.ts';
import type { Faults } from './faults/faults.ts';
import { type Address, parseAddress } from './faults/startFaults.ts';
import { type CardBook, loadCardBook } from './file/cardBook.ts';
import { checkRigDevices } from './file/rigDevices.ts';
import { loadRigFile, type RigFile, rigFolder, terminalsOf } from './file/rigFile.ts';
import { ConfigFileError } from './file/yamlFile.ts';
import { type HostSide, startHostSide } from './hostSide.ts';
import { type MqttTerminalLine, openMqttTerminal } from './mqtt/mqttTerminal.ts';
import { BootWatchedPower, type TerminalPower } from './power/bootWatch.ts';
import { CommandPower } from './power/commandPower.ts';
import { openManualPower } from './power/manualPower.ts';
import type { PowerSwitch } from './power/powerSwitch.ts';
import { openTasmotaRelay } from './power/tasmotaRelay.ts';
import { type LinkFaults, SerialLinkFaults } from './serial/linkFaults.ts';
import { watchLinkRules } from './serial/linkVerdicts.ts';
import { closeSerialPort, openSerialPort } from './serial/serialPort.ts';
import { type SimulatedTerminal, startMockTerminal, startPtyTerminal } from './simulated/simulatedTerminal.ts';
import { EcrTerminalDriver } from './terminal/ecrTerminalDriver.ts';
import type { TerminalDriver } from './terminal/terminalDriver.ts';
import { WireTrace } from './terminal/wireTrace.ts';
import { loadTextProfile, type TextProfile } from './text/textProfile.ts';
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
  /** The serial link's frames, ACKs and NAKs in hex (masked), for the evidence; undefined when it is not on one. */
  readonly wire: WireTrace | undefined;
  /** Where the host side listens, as the terminal dials it (posrig doctor connects to each): the host, the fault proxy
   * (host.faults), the backup (host.backup: the host itself, or the backup tap). */
  readonly addresses: { readonly host: Address; readonly faults?: Address; readonly backup?: Address };
  /** ISO 8583 messages the simulated host saw (masked); empty for a real host. */
  readonly isoTrace: readonly IsoTrace[];
  /** STANs of this terminal's requests (0200) the host approved since a moment: money moved for each, so a terminal
   * that did not report it approved owes its reversal. */
  approvedByHost(since: Date): string[];
  /** STANs of the reversals (0400) that left the terminal since then: the terminal owes a `confirmed` for each. */
  reversalsSent(since: Date): string[];
  /** The waits of steps and hooks, from the terminal's timings in the rig file. */
  readonly timing: RigTiming;
  /** The terminal's own words (the rig's text profile): what it shows, says and prints for each reference text. */
  readonly texts: TextProfile;
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
  /** Terminals of the pool not to lease: they were leased but did not answer hello (tried by startRig itself). */
  readonly silent?: readonly string[];
  /** The clock to run on, over the rig file's `clock` (`posrig run --clock`). */
  readonly clock?: ClockKind | undefined;
}

type Stops = Array<() => Promise<unknown>>;

/** Where rigs keep their scratch folders. */
const SCRATCH = path.resolve('.posrig');

/** Reads the rig file, starts what it must simulate, connects the terminal and returns the wired rig. */
export async function startRig(file: string, options: RigOptions = {}): Promise<Rig> {
  const rigFile = loadRigFile(file);
  const texts = loadTextProfile(rigFile.terminal.texts, rigFile.terminal.simulate?.language);
  checkRigDevices(rigFile);
  const cards = loadCardBook(rigFile.cards);
  const worker = options.worker ?? '0';
  // Scratch folders (PTY links, the simulated terminal's non-volatile store, which may hold a pending reversal's
  // PAN) live only as long as the rig; those of runs that were killed are removed here.
  removeAbandonedRunFolders();
  const stops: Stops = [async () => rmSync(runFolder(rigFile, worker), { recursive: true, force: true })];
  // Simulated time from before the first part starts until the last one stopped (stops run in reverse).
  if ((options.clock ?? rigFile.clock) === 'virtual') stops.push(simulateTime(rigFile));
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    const host = await startHostSide(rigFile, cards, worker, stops);
    const config = terminalConfig(rigFile, host.terminalHost, host.backup, worker, texts.overrides);
    const opened = await openTerminal(rigFile, config, { worker, silent: options.silent }, stops);
    // A pool's terminal is the one leased: from here on the rig is about it.
    const rig: RigFile = { ...rigFile, terminal: { ...rigFile.terminal, id: opened.terminalId } };
    const terminal = new EcrTerminalDriver(rig.terminal.id, opened.link);
    const wire = opened.serial && new WireTrace(opened.serial.link);
    if (opened.serial) watchLinkRules(opened.serial.faults, opened.serial.link, terminal.history);
    stops.push(() => terminal.close());
    let fault: RigFault | undefined;
    let stopping = false;
    const broke = (why: string) => {
      if (fault || stopping) return;
      fault = new RigFault(`rig ${rig.name}: ${why}`);
      terminal.history.fail(fault);
    };
    stops.push(async () => {
      stopping = true;
    });
    opened.simulated?.onFault(broke);
    const timing = rigTiming(rig);
    const relay = await relayOf(rig, opened, stops);
    const power = relay && new BootWatchedPower(relay, terminal, timing.bootMs);
    opened.watch(broke, () => power?.isOn ?? true);
    // A bench terminal found switched off is powered up (and waited for) before the harness says hello.
    if ((await relay?.status?.()) === 'off') await power?.on();
    const pool = terminalsOf(rig);
    try {
      await terminal.connect();
    } catch (error) {
      // A pool's terminal whose agent is online but that does not answer (unplugged, off): try the next one.
      const silent = [...(options.silent ?? []), rig.terminal.id];
      if (pool.length <= 1 || silent.length >= pool.length) throw error;
      await stopAll();
      return await startRig(file, { ...options, silent });
    }
    const ownProbe = bankProbe(rig, host, cards, stops);
    const probe = pool.length > 1 ? shareBank(ownProbe, rig.terminal.id, `the pool ${pool.join(', ')}`) : ownProbe;
    const faults = host.faults;
    return {
      ...{ name: rig.name, file: rig, terminal, bank: probe, cards, faults, power, timing },
      texts,
      addresses: {
        host: host.upstream,
        ...(host.faults ? { faults: host.terminalHost } : {}),
        ...(host.backup ? { backup: host.backup } : {}),
      },
      link: opened.serial?.faults,
      wire,
      get isoTrace() {
        return host.trace();
      },
      get fault() {
        return fault;
      },
      simulatorLog: () => opened.simulated?.log() ?? '',
      approvedByHost: (since) => host.approvedByHost(rig.terminal.id, since),
      reversalsSent: (since) => host.reversalsSent(since),
      async reset() {
        if (fault) throw fault;
        power?.forgetSwitchings(); // a scenario starts no earlier than its reset: it judges only the switchings after
        if (power && !power.isOn) await power.on();
        await host.reset();
        opened.serial?.faults.reset();
        await terminal.reset();
        await probe.reset();
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Puts the process on simulated time for this rig; returns the stop that puts the wall clock back. */
function simulateTime(rig: RigFile): () => Promise<void> {
  const problem = virtualClockProblem(rig);
  if (problem) throw new ConfigFileError(rig.file, [virtualClockRefusal(rig.file, problem)]);
  const simulated = new VirtualClock();
  const restore = useTimeSource(simulated);
  return async () => {
    restore();
    simulated.stop();
  };
}

/** The harness's end of the terminal's link, whatever carries it, and what the rig watches on it. */
interface TerminalLine {
  readonly link: MessageLink;
  /** The TID spoken to: the rig file's, or the one leased from a pool. */
  readonly terminalId: string;
  /** A serial link and the faults injected on it (undefined on MQTT: no frames to damage). */
  readonly serial?: { readonly link: EcrLink; readonly faults: SerialLinkFaults };
  readonly simulated?: Omit<SimulatedTerminal, 'port'>;
  /** The MQTT line, when the link is MQTT (a Tasmota relay on the same broker uses its client). */
  readonly mqtt?: MqttTerminalLine;
  /** Reports what breaks under the rig (a port closed; the broker, the agent or the lease lost). */
  watch(broke: (why: string) => void, powered: () => boolean): void;
}

async function openTerminal(
  rig: RigFile,
  config: TerminalConfig,
  options: { worker: string; silent?: readonly string[] | undefined },
  stops: Stops,
): Promise<TerminalLine> {
  const { link, simulate } = rig.terminal;
  const { worker, silent } = options;
  if (link.kind === 'mqtt') {
    const line = await openMqttTerminal(rig, config, {
      worker,
      folder: (kind) => scratchFolder(rig, worker, kind),
      stops,
      ...(silent ? { silent } : {}),
    });
    return { ...line, ...(line.simulated ? { simulated: line.simulated } : {}), mqtt: line };
  }
  let port: SerialPortStream;
  let simulated: SimulatedTerminal | undefined;
  if (!simulate) {
    port = await openSerialPort({ path: link.path, baudRate: link.baudRate });
    stops.push(() => closeSerialPort(port));
  } else {
    const started = link.path.startsWith('mock:')
      ? await startMockTerminal(link.path, link.baudRate, config)
      : await startPtyTerminal(link.path, link.baudRate, config, scratchFolder(rig, worker, 'pty'));
    simulated = started;
    port = started.port;
    stops.push(() => started.stop());
    stops.push(() => closeSerialPort(started.port));
  }
  // Link faults sit between the port and the harness's link, the same code for mock, PTY and real ports.
  const faults = new SerialLinkFaults(port);
  const ecrLink = new EcrLink(faults.stream, { name: `harness:${rig.terminal.id}` });
  return {
    link: ecrLink,
    terminalId: rig.terminal.id,
    serial: { link: ecrLink, faults },
    ...(simulated ? { simulated } : {}),
    watch: (broke) => watchPort(port, broke),
  };
}

function terminalConfig(
  rig: RigFile,
  host: Address,
  backup: Address | undefined,
  worker: string,
  overrides: TextOverrides,
): TerminalConfig {
  const simulate = rig.terminal.simulate;
  const timing = rigTiming(rig);
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
    responseTimeoutMs: timing.responseTimeoutMs,
    connectTimeoutMs: timing.connectTimeoutMs,
    reversalRetryMs: timing.reversalRetryMs,
    hostPackaging: rig.host.packaging,
    stateDir,
    // The terminal encrypts PINs under the key its host decrypts with (docs/host.md).
    ...(rig.host.simulate?.pinKey ? { pinKey: rig.host.simulate.pinKey } : {}),
    ...(rig.terminal.timing?.noPinLimit
      ? { tapNoPinLimit: parseMoney(`${rig.terminal.timing.noPinLimit} ${rig.currency}`).minor }
      : {}),
    ...(backup ? { backupHost: backup } : {}),
    ...(simulate?.model ? { model: simulate.model } : {}),
    ...(simulate?.cardReadMs ? { cardReadMs: simulate.cardReadMs } : {}),
    ...(simulate?.defects.length ? { defects: simulate.defects as TerminalConfig['defects'] } : {}),
    ...(Object.keys(overrides).length > 0 ? { texts: overrides } : {}),
  };
}

/** A port that closes or fails under the rig is a rig fault, reported at once (not guessed from a timeout later). */
function watchPort(port: SerialPortStream, broke: (why: string) => void): void {
  port.on('close', () => broke(`the serial port ${port.path} closed`));
  port.on('link-error', (error: Error) => broke(error.message));
}

/** The terminal's relay: the rig file's (power:), the simulated terminal's own switch behind a simulated Tasmota
 * relay when the rig names one, or the simulated terminal's own switch; undefined without any. */
async function relayOf(rig: RigFile, line: TerminalLine, stops: Stops): Promise<PowerSwitch | undefined> {
  const power = rig.power;
  if (!power) return line.simulated?.power;
  switch (power.kind) {
    case 'manual': {
      const manual = openManualPower(rig.terminal.id); // a RigFault at start in CI, or without /dev/tty
      stops.push(async () => manual.close());
      return manual;
    }
    case 'command':
      return new CommandPower({ ...power, cwd: rigFolder(rig), rig: rig.name, terminal: rig.terminal.id });
    case 'tasmota':
      return openTasmotaRelay(rig, power, line, stops);
  }
}

/** The bank probe the rig file names (bank.probe). */
function bankProbe(rig: RigFile, host: HostSide, cards: CardBook, stops: Stops): BankProbe {
  const probe = rig.bank.probe;
  const mid = rig.terminal.merchant.id;
  if (probe === 'simulator') {
    // loadRigFile refuses "simulator" without host.simulate.
    if (!host.bank) throw new RigFault(`rig ${rig.name}: bank.probe "simulator" needs host.simulate`);
    return new SimulatorBankProbe(host.bank.ledger, mid);
  }
  if (probe.ledger !== undefined) {
    const opened = openLedgerFileProbe(probe.ledger, mid);
    stops.push(async () => opened.close());
    return opened.probe;
  }
  // rigChecks.ts: a probe mapping has exactly one of ledger and iso8583.
  const iso = probe.iso8583 as NonNullable<typeof probe.iso8583>;
  const pinKey = iso.pinKey ?? rig.host.simulate?.pinKey;
  return new IsoBankProbe({
    // The host itself, past the fault proxy: a fault armed for the terminal never hits a balance inquiry.
    address: iso.address ? parseAddress(iso.address) : host.upstream,
    ...{ tid: iso.tid, merchant: iso.merchant, pin: iso.pin, mid, currency: rig.currency, cards },
    ...(pinKey ? { pinKey } : {}),
    packaging: rig.host.packaging,
  });
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
