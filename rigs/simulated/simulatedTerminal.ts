// Puts the simulated terminal on the far side of the rig's serial link:
// - "mock:NAME": in this process, on the device side of a mock serial port;
// - "pty:NAME":  in a child process (`posrig sim terminal`) on the far end of a socat PTY pair.
// Either way the harness gets a serial port opened by the real serialport package.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SerialPortStream } from '@serialport/stream';
import { type TerminalConfig, TerminalSimulator } from '../../simulators/terminal/index.ts';
import type { PowerSwitch } from '../power/powerSwitch.ts';
import { type StartedChild, startChild } from '../process/childProcess.ts';
import { openMockSerialPair } from '../serial/mockSerialPair.ts';
import { startPtyPair } from '../serial/ptyPair.ts';
import { openSerialPort } from '../serial/serialPort.ts';

export interface SimulatedTerminal {
  readonly port: SerialPortStream;
  /** The simulated terminal's own power: RAM lost on off(), non-volatile store kept. */
  readonly power: PowerSwitch;
  /** What the simulator process wrote to stderr (pty rigs), for the report. */
  log(): string;
  /** Calls back when a part the rig started exits on its own (the simulator process, socat): a rig fault. */
  onFault(listener: (why: string) => void): void;
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));

/** Starts the simulator behind a mock port in this process. */
export async function startMockTerminal(
  linkPath: string,
  baudRate: number,
  config: TerminalConfig,
): Promise<SimulatedTerminal> {
  const { port, device } = await openMockSerialPair(linkPath.slice('mock:'.length), baudRate);
  const simulator = new TerminalSimulator(config);
  simulator.attach(device);
  const power: PowerSwitch = {
    off: async () => simulator.powerOff(),
    on: () => simulator.powerOn(),
  };
  // In this process: nothing can exit under the rig (a closed port is watched by the rig itself).
  return { port, power, log: () => '', onFault: () => {}, stop: () => simulator.stop() };
}

/** Starts socat and a simulator process on the device end; opens the host end. */
export async function startPtyTerminal(
  linkPath: string,
  baudRate: number,
  config: TerminalConfig,
  folder: string,
): Promise<SimulatedTerminal> {
  const line = await startPtySimulator(linkPath, baudRate, config, folder);
  try {
    const port = await openSerialPort({ path: line.hostPath, baudRate });
    return { ...line, port };
  } catch (error) {
    await line.stop();
    throw error;
  }
}

/** A simulated terminal process on the device end of a PTY pair whose host end (`hostPath`) is for someone else to
 * open: the harness, or `posrig agent`. */
export interface PtySimulator extends Omit<SimulatedTerminal, 'port'> {
  readonly hostPath: string;
}

/** Starts socat and a simulator process on the device end; leaves the host end closed. */
export async function startPtySimulator(
  linkPath: string,
  baudRate: number,
  config: TerminalConfig,
  folder: string,
): Promise<PtySimulator> {
  const pair = await startPtyPair(folder, linkPath.slice('pty:'.length));
  // The words the terminal says differently go to the process as a text profile (JSON is YAML too).
  const textsFile = config.texts ? path.join(folder, 'texts.json') : undefined;
  if (textsFile) writeFileSync(textsFile, JSON.stringify({ language: config.language, texts: config.texts }));
  const spawnSimulator = () =>
    startChild({
      what: 'the simulated terminal process',
      command: process.execPath,
      args: simulatorArgs(pair.devicePath, baudRate, config, textsFile),
      readyText: 'posrig sim terminal: listening',
      cwd: path.dirname(path.dirname(CLI)),
    });
  // The running process, or the one starting: a second power-on while one is booting waits for it, never forks twice.
  let running: Promise<StartedChild> | undefined;
  let current: StartedChild | undefined;
  const faultListeners: Array<(why: string) => void> = [];
  const fault = (why: string) => {
    for (const listener of faultListeners) listener(why);
  };
  pair.onUnexpectedExit(fault);
  const start = () => {
    running ??= spawnSimulator().then(
      (child) => {
        child.onUnexpectedExit(fault);
        current = child;
        return child;
      },
      (error: unknown) => {
        running = undefined;
        throw error;
      },
    );
    return running;
  };
  const kill = async () => {
    const child = await running?.catch(() => undefined);
    running = undefined;
    current = undefined;
    await child?.kill();
  };
  try {
    await start();
  } catch (error) {
    await kill();
    await pair.stop();
    throw error;
  }
  // A power cut is real here: the process is killed (SIGKILL) and started again on the same state folder.
  const power: PowerSwitch = {
    off: kill,
    on: async () => {
      await start();
    },
  };
  return {
    hostPath: pair.hostPath,
    power,
    log: () => current?.log() ?? '',
    onFault: (listener) => {
      faultListeners.push(listener);
    },
    async stop() {
      const child = await running?.catch(() => undefined);
      await child?.stop();
      await pair.stop();
    },
  };
}

function simulatorArgs(
  devicePath: string,
  baudRate: number,
  config: TerminalConfig,
  textsFile: string | undefined,
): string[] {
  return [
    ...['--import', 'tsx', CLI, 'sim', 'terminal', '--port', devicePath, '--baud-rate', String(baudRate)],
    ...['--host', `${config.host.host}:${config.host.port}`, '--tid', config.tid, '--mid', config.mid],
    ...['--merchant-name', config.merchantName, '--language', config.language, '--currency', config.currency],
    ...['--response-timeout-ms', String(config.responseTimeoutMs)],
    ...(config.stateDir ? ['--state-dir', config.stateDir] : []),
    ...(config.backupHost ? ['--backup-host', `${config.backupHost.host}:${config.backupHost.port}`] : []),
    ...(config.reversalRetryMs ? ['--reversal-retry-ms', String(config.reversalRetryMs)] : []),
    ...(config.hostPackaging === 'binary' ? ['--packaging', 'binary'] : []),
    ...(config.connectTimeoutMs ? ['--connect-timeout-ms', String(config.connectTimeoutMs)] : []),
    ...(config.tapNoPinLimit !== undefined ? ['--no-pin-limit', String(config.tapNoPinLimit)] : []),
    ...(config.cardReadMs ? ['--card-read-ms', String(config.cardReadMs)] : []),
    ...(config.pinKey ? ['--pin-key', config.pinKey] : []),
    ...(textsFile ? ['--texts', textsFile] : []),
    ...(config.defects ?? []).flatMap((defect) => ['--defect', defect]),
  ];
}
