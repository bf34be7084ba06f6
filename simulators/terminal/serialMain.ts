// Runs the simulated terminal on a real serial device path: a PTY end (socat) or a USB-serial adapter (/dev/ttyUSB0).
//   const terminal = await runTerminalSimulator({ port: '/dev/pts/7', config });  ...  await terminal.stop();

import { SerialPort } from 'serialport';
import type { TerminalConfig } from './config.ts';
import { type TerminalParts, TerminalSimulator } from './simulator.ts';

export class SerialOpenError extends Error {
  override name = 'SerialOpenError';
}

/** Opens the serial port with serialport, attaches a new TerminalSimulator to it, resolves once it is open. */
export async function runTerminalSimulator(options: {
  port: string;
  baudRate?: number;
  config: TerminalConfig;
  parts?: TerminalParts;
}): Promise<TerminalSimulator> {
  const terminal = new TerminalSimulator(options.config, options.parts);
  const port = new SerialPort({ path: options.port, baudRate: options.baudRate ?? 115200 });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      port.off('open', onOpen);
      reject(new SerialOpenError(`serial port ${options.port}: ${error.message}`));
    };
    const onOpen = () => {
      port.off('error', onError);
      resolve();
    };
    port.once('error', onError);
    port.once('open', onOpen);
  });
  port.on('error', (error) => terminal.emit('fault', error));
  const release = () =>
    new Promise<void>((resolve) => {
      if (!port.isOpen) return resolve();
      port.close(() => resolve());
    });
  terminal.attach(port, { release });
  return terminal;
}
