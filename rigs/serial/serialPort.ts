// Opens a serial port — a /dev/tty* device, one end of a PTY pair, or an in-process mock — with the same code.
//   const port = await openSerialPort({ path: '/dev/ttyUSB0', baudRate: 115200 });

import type { SerialPortStream } from '@serialport/stream';
import { SerialPort, SerialPortMock } from 'serialport';

/** A serial port that could not be opened or failed while open; names the path. */
export class SerialLinkError extends Error {
  override name = 'SerialLinkError';
}

export interface SerialOpenOptions {
  readonly path: string;
  readonly baudRate: number;
  /** Use serialport's mock binding (an in-process port made with SerialPortMock.binding.createPort). */
  readonly mock?: boolean;
}

/** Opens the port and resolves once it is open; errors name the path. */
export async function openSerialPort(options: SerialOpenOptions): Promise<SerialPortStream> {
  const { path, baudRate, mock } = options;
  const port: SerialPortStream = mock
    ? new SerialPortMock({ path, baudRate, autoOpen: false })
    : new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => {
    port.open((error) =>
      error ? reject(new SerialLinkError(`cannot open serial port ${path}: ${error.message}`)) : resolve(),
    );
  });
  // A port must always have an error listener: an unhandled 'error' would crash the harness.
  port.on('error', (error) => port.emit('link-error', new SerialLinkError(`serial port ${path}: ${error.message}`)));
  return port;
}

/** Closes the port if open; never throws. */
export async function closeSerialPort(port: SerialPortStream): Promise<void> {
  if (!port.isOpen) return;
  await new Promise<void>((resolve) => port.close(() => resolve()));
}
