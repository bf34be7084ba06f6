import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openMockSerialPair } from '../../rigs/serial/mockSerialPair.ts';
import { startPtyPair } from '../../rigs/serial/ptyPair.ts';
import { closeSerialPort, openSerialPort, SerialLinkError } from '../../rigs/serial/serialPort.ts';

describe('serial links', () => {
  it('a mock pair carries bytes both ways through the real serialport stream', async () => {
    const { port, device } = await openMockSerialPair('/dev/ttyTEST', 115200);
    port.write(Buffer.from([0x02, 0x00, 0x01]));
    const [toDevice] = await once(device, 'data');
    assert.deepEqual([...toDevice], [0x02, 0x00, 0x01]);
    device.write(Buffer.from('pong'));
    const [toHarness] = await once(port, 'data');
    assert.equal(toHarness.toString(), 'pong');
    await closeSerialPort(port);
  });

  it('two mock pairs with the same name stay apart', async () => {
    const a = await openMockSerialPair('/dev/ttySAME', 115200);
    const b = await openMockSerialPair('/dev/ttySAME', 115200);
    b.device.write('to b');
    const [got] = await once(b.port, 'data');
    assert.equal(got.toString(), 'to b');
    await Promise.all([closeSerialPort(a.port), closeSerialPort(b.port)]);
  });

  it('a socat PTY pair joins two real serial ports', async () => {
    const pair = await startPtyPair(mkdtempSync(path.join(tmpdir(), 'posrig-pty-')), 'ttyT');
    const host = await openSerialPort({ path: pair.hostPath, baudRate: 115200 });
    const device = await openSerialPort({ path: pair.devicePath, baudRate: 115200 });
    host.write(Buffer.from('ping'));
    const [got] = await once(device, 'data');
    assert.equal(got.toString(), 'ping');
    await closeSerialPort(host);
    await closeSerialPort(device);
    await pair.stop();
  });

  it('a missing device is a SerialLinkError naming the path', async () => {
    await assert.rejects(openSerialPort({ path: '/dev/ttyNOPE9', baudRate: 115200 }), (error: unknown) => {
      assert.ok(error instanceof SerialLinkError);
      assert.match(error.message, /cannot open serial port \/dev\/ttyNOPE9/);
      return true;
    });
  });
});
