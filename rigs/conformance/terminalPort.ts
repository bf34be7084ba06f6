// The terminal's own serial line for the conformance kit: the real device a rig names, or a simulated terminal started
// on a mock or PTY link (terminal.simulate). No harness link, no host, no fault proxy: the link checks need none, so
// the simulated terminal is pointed at a host address nothing listens on.
//   const line = await openConformanceLine(loadRigFile('rigs/sim-pty.yaml'));
//   await runConformance(line.port, { currency: 'CNY' });  await line.stop();

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SerialPortStream } from '@serialport/stream';
import type { TerminalConfig } from '../../simulators/terminal/index.ts';
import { checkRigDevices } from '../file/rigDevices.ts';
import type { RigFile } from '../file/rigFile.ts';
import { closeSerialPort, openSerialPort } from '../serial/serialPort.ts';
import { startMockTerminal, startPtyTerminal } from '../simulated/simulatedTerminal.ts';
import { rigTiming } from '../timing.ts';

export interface ConformanceLine {
  readonly port: SerialPortStream;
  /** What is on the far end, for the report: "/dev/ttyUSB0", "simulated terminal on mock:/dev/ttyPOS0". */
  readonly terminal: string;
  stop(): Promise<void>;
}

/** A rig whose terminal is not on a serial line: conformance has nothing to check there. */
export class ConformanceLinkError extends Error {
  override name = 'ConformanceLinkError';
}

/** Opens the rig's terminal line: its device, or a simulated terminal it starts (ConfigFileError: no such device). */
export async function openConformanceLine(rig: RigFile): Promise<ConformanceLine> {
  const { link, simulate } = rig.terminal;
  if (link.kind !== 'serial')
    throw new ConformanceLinkError(
      `${rig.file}: terminal.link.kind: conformance checks the framed serial link (docs/protocol.md sections 3 to 6); a terminal on MQTT has no frames to check — run it behind posrig agent on its serial port, or run the features on this rig`,
    );
  if (!simulate) {
    checkRigDevices(rig);
    const port = await openSerialPort({ path: link.path, baudRate: link.baudRate });
    return { port, terminal: link.path, stop: () => closeSerialPort(port) };
  }
  const config: TerminalConfig = {
    tid: rig.terminal.id,
    mid: rig.terminal.merchant.id,
    merchantName: rig.terminal.merchant.name,
    language: simulate.language,
    currency: rig.currency,
    host: await unusedAddress(),
    responseTimeoutMs: rigTiming(rig).responseTimeoutMs,
    ...(simulate.model ? { model: simulate.model } : {}),
    ...(simulate.defects.length ? { defects: simulate.defects as TerminalConfig['defects'] } : {}),
  };
  return startSimulatedLine(link.path, link.baudRate, config);
}

/** Starts a simulated terminal on a "mock:NAME" or "pty:NAME" link and opens the harness end of it. */
export async function startSimulatedLine(
  linkPath: string,
  baudRate: number,
  config: TerminalConfig,
): Promise<ConformanceLine> {
  const terminal = `simulated terminal on ${linkPath}`;
  if (linkPath.startsWith('mock:')) {
    const simulated = await startMockTerminal(linkPath, baudRate, config);
    return { port: simulated.port, terminal, stop: () => stopBoth(simulated) };
  }
  if (!linkPath.startsWith('pty:'))
    throw new Error(`a simulated terminal needs a "mock:" or "pty:" link path, got ${linkPath}`);
  const folder = mkdtempSync(path.join(tmpdir(), 'posrig-conformance-'));
  try {
    const simulated = await startPtyTerminal(linkPath, baudRate, config, folder);
    return {
      port: simulated.port,
      terminal,
      async stop() {
        await stopBoth(simulated);
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

async function stopBoth(simulated: { port: SerialPortStream; stop(): Promise<void> }): Promise<void> {
  await closeSerialPort(simulated.port);
  await simulated.stop();
}

/** A loopback address nothing listens on: a port the system just handed out and took back. */
async function unusedAddress(): Promise<{ host: string; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { host: '127.0.0.1', port };
}
