// An in-process serial "cable": the harness opens a mock port through the real serialport stream code,
// and the device side is a plain Duplex a simulated terminal can speak on.
//   const { port, device } = await openMockSerialPair('mock:/dev/ttyPOS0', 115200);
//   simulator.attach(device);  // bytes written to `device` arrive on `port`, and back

import { Duplex } from 'node:stream';
import type { SerialPortStream } from '@serialport/stream';
import { SerialPortMock } from 'serialport';
import { openSerialPort } from './serialPort.ts';

export interface MockSerialPair {
  readonly port: SerialPortStream;
  readonly device: Duplex;
}

let created = 0;

/** Creates a fresh mock port (unique per call) and opens the harness side of it. */
export async function openMockSerialPair(path: string, baudRate: number): Promise<MockSerialPair> {
  const unique = `${path}#${process.pid}.${++created}`;
  SerialPortMock.binding.createPort(unique, { echo: false, record: false });
  const port = await openSerialPort({ path: unique, baudRate, mock: true });
  const binding = (port as SerialPortMock).port;
  if (!binding) throw new Error(`mock serial port ${unique} opened without a binding`);
  const device = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      if (binding.isOpen) binding.emitData(chunk);
      done();
    },
  });
  const write = binding.write.bind(binding);
  binding.write = async (buffer: Buffer) => {
    await write(buffer);
    device.push(Buffer.from(buffer));
  };
  port.once('close', () => device.push(null));
  return { port, device };
}
