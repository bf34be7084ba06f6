// A Rig is a leased, wired set of parts: a terminal driver, a bank probe and the test cards — built from a rig file.
// The rig builder is the one place that constructs links and starts simulators.
//   const rig = await startRig('rigs/sim-serial.yaml');
//   await rig.terminal.startSale(parseMoney('100.00 CNY'));  …  await rig.reset();  …  await rig.stop();

import path from 'node:path';
import type { SerialPortStream } from '@serialport/stream';
import { EcrLink } from '../protocols/ecr/index.ts';
import type { IsoTrace } from '../simulators/acquirer/index.ts';
import type { TerminalConfig } from '../simulators/terminal/index.ts';
import type { BankProbe } from './bank/bankProbe.ts';
import { SimulatorBankProbe } from './bank/simulatorBankProbe.ts';
import { type CardBook, loadCardBook } from './file/cardBook.ts';
import { loadRigFile, type RigFile } from './file/rigFile.ts';
import { closeSerialPort, openSerialPort } from './serial/serialPort.ts';
import { type SimulatedBank, startSimulatedBank } from './simulated/simulatedBank.ts';
import { type SimulatedTerminal, startMockTerminal, startPtyTerminal } from './simulated/simulatedTerminal.ts';
import { EcrTerminalDriver } from './terminal/ecrTerminalDriver.ts';
import type { TerminalDriver } from './terminal/terminalDriver.ts';

/** A rig asks for something this rig or this version cannot do; names the file and key. */
export class RigCapabilityError extends Error {
  override name = 'RigCapabilityError';
}

export interface Rig {
  readonly name: string;
  readonly file: RigFile;
  readonly terminal: TerminalDriver;
  readonly bank: BankProbe;
  readonly cards: CardBook;
  /** ISO 8583 messages the simulated host saw (masked); empty for a real host. */
  readonly isoTrace: readonly IsoTrace[];
  /** Back to a clean state between scenarios: terminal idle, history and traces cleared, ledger re-seeded. */
  reset(): Promise<void>;
  /** Stops everything the rig started. */
  stop(): Promise<void>;
}

export interface RigOptions {
  /** Cucumber worker id ('0' when not parallel): keeps mock paths, PTYs and ledger files apart. */
  readonly worker?: string;
}

/** Reads the rig file, starts what it must simulate, connects the terminal and returns the wired rig. */
export async function startRig(file: string, options: RigOptions = {}): Promise<Rig> {
  const rigFile = loadRigFile(file);
  const cards = loadCardBook(rigFile.cards);
  const worker = options.worker ?? '0';
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const bank = await startBank(rigFile, cards, worker, stops);
    const port = await openTerminalPort(rigFile, bank, worker, stops);
    const link = new EcrLink(port, { name: `harness:${rigFile.terminal.id}` });
    const terminal = new EcrTerminalDriver(rigFile.terminal.id, link);
    stops.push(() => terminal.close());
    await terminal.connect();
    const probe = bankProbeFor(rigFile, bank);
    const isoTrace = bank?.trace ?? [];
    return {
      name: rigFile.name,
      file: rigFile,
      terminal,
      bank: probe,
      cards,
      isoTrace,
      async reset() {
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

async function startBank(
  rig: RigFile,
  cards: CardBook,
  worker: string,
  stops: Array<() => Promise<void>>,
): Promise<SimulatedBank | undefined> {
  if (rig.host.faults !== false) {
    throw new RigCapabilityError(`${rig.file}: host.faults: the fault proxy is not part of this version of posrig yet`);
  }
  if (!rig.host.simulate) return undefined;
  const bank = await startSimulatedBank(rig, cards, worker);
  stops.push(() => bank.stop());
  return bank;
}

async function openTerminalPort(
  rig: RigFile,
  bank: SimulatedBank | undefined,
  worker: string,
  stops: Array<() => Promise<void>>,
): Promise<SerialPortStream> {
  const { link, simulate } = rig.terminal;
  const simulatedPath = link.path.startsWith('mock:') || link.path.startsWith('pty:');
  if (simulatedPath !== Boolean(simulate)) {
    throw new RigCapabilityError(
      simulate
        ? `${rig.file}: terminal.link.path: a simulated terminal needs a "mock:NAME" or "pty:NAME" path, got "${link.path}"`
        : `${rig.file}: terminal.link.path "${link.path}" is a simulated link: add terminal.simulate, or give a device path`,
    );
  }
  if (!simulate) {
    const port = await openSerialPort({ path: link.path, baudRate: link.baudRate });
    stops.push(() => closeSerialPort(port));
    return port;
  }
  const config = terminalConfig(rig, bank);
  const simulated: SimulatedTerminal = link.path.startsWith('mock:')
    ? await startMockTerminal(link.path, link.baudRate, config)
    : await startPtyTerminal(
        link.path,
        link.baudRate,
        config,
        path.resolve('.posrig', `pty-${process.pid}-w${worker}`),
      );
  stops.push(() => simulated.stop());
  stops.push(() => closeSerialPort(simulated.port));
  return simulated.port;
}

function terminalConfig(rig: RigFile, bank: SimulatedBank | undefined): TerminalConfig {
  const host = bank?.address ?? parseAddress(rig.host.address, `${rig.file}: host.address`);
  const simulate = rig.terminal.simulate;
  return {
    tid: rig.terminal.id,
    mid: rig.terminal.merchant.id,
    merchantName: rig.terminal.merchant.name,
    language: simulate?.language ?? 'zh-CN',
    currency: rig.currency,
    host,
    responseTimeoutMs: simulate?.responseTimeoutMs ?? 1500,
    ...(simulate?.model ? { model: simulate.model } : {}),
  };
}

function bankProbeFor(rig: RigFile, bank: SimulatedBank | undefined): BankProbe {
  if (rig.bank.probe === 'simulator') {
    if (!bank) throw new RigCapabilityError(`${rig.file}: bank.probe: "simulator" needs host.simulate`);
    return new SimulatorBankProbe(bank.ledger, rig.terminal.merchant.id);
  }
  throw new RigCapabilityError(
    `${rig.file}: bank.probe.iso8583: balance inquiry against a real host is not part of this version of posrig yet`,
  );
}

function parseAddress(address: string | undefined, where: string): { host: string; port: number } {
  const match = address ? /^(.+):(\d+)$/.exec(address) : null;
  if (!match?.[1] || !match[2]) throw new RigCapabilityError(`${where}: a simulated terminal needs a host address`);
  return { host: match[1], port: Number(match[2]) };
}
