// `posrig iso8583 decode` on a 0200 that the simulated terminal really sent: fields by number and name, PAN masked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { describe, it } from 'node:test';
import { EcrLink } from '../../protocols/ecr/index.ts';
import { TcpDeframer } from '../../protocols/iso8583/index.ts';
import { TerminalSimulator } from '../../simulators/terminal/index.ts';
import { duplexPair } from '../support/duplexPair.ts';

/** Listens once and resolves with the body of the first ISO 8583 message a client sends. */
async function captureFirstRequest(): Promise<{ port: number; body: Promise<Buffer>; close: () => void }> {
  let got: (body: Buffer) => void = () => {};
  const body = new Promise<Buffer>((resolve) => {
    got = resolve;
  });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const deframer = new TcpDeframer();
    socket.on('data', (chunk) => {
      const [first] = deframer.push(chunk);
      if (first) got(first);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    server.close();
    for (const socket of sockets) socket.destroy();
  };
  return { port: (server.address() as net.AddressInfo).port, body, close };
}

describe('posrig iso8583 decode', () => {
  it('decodes a 0200 the simulated terminal sent, field by number and name, with the PAN masked', async () => {
    const host = await captureFirstRequest();
    const [harnessEnd, terminalEnd] = duplexPair();
    const terminal = new TerminalSimulator({
      ...{ tid: 'T0000001', mid: '898310048160001', merchantName: 'SHOP', language: 'en', currency: 'CNY' },
      ...{ host: { host: '127.0.0.1', port: host.port }, responseTimeoutMs: 200 },
    });
    terminal.attach(terminalEnd);
    const link = new EcrLink(harnessEnd);
    await link.send({ type: 'hello', id: '1', protocol: '1' });
    await link.send({ type: 'sale', id: '2', amount: 10000, currency: 'CNY' });
    await link.send({ type: 'input.card', id: '3', method: 'swipe', pan: '6228480402564890018', expiry: '3012' });
    await link.send({ type: 'input.keys', id: '4', keys: [...'123456', 'ENTER'] });
    const hex = (await host.body).toString('hex');
    link.close();
    await terminal.stop();
    host.close();

    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const run = spawnSync(process.execPath, ['bin/posrig.js', 'iso8583', 'decode', hex], { encoding: 'utf8', env });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.ok(lines.includes('MTI 0200'), run.stdout);
    assert.ok(lines.includes('DE002 Primary account number: 622848*********0018'), run.stdout);
    assert.ok(lines.includes('DE003 Processing code: 000000'), run.stdout);
    assert.ok(lines.includes('DE004 Amount, transaction: 000000010000'), run.stdout);
    assert.ok(lines.includes('DE022 Point of service entry mode: 021'), run.stdout);
    assert.ok(lines.includes('DE041 Card acceptor terminal identification: T0000001'), run.stdout);
    assert.ok(lines.includes('DE052 PIN data: [PIN block]'), run.stdout);
    assert.doesNotMatch(run.stdout, /6228480402564890018/);
  });

  it('--packaging binary: encode --frame, then decode shows length header, TPDU and fields', () => {
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const json = JSON.stringify({ mti: '0800', fields: { 11: '000001', 70: '301' } });
    const encode = spawnSync(
      process.execPath,
      ['bin/posrig.js', 'iso8583', 'encode', '--packaging', 'binary', '--frame', json],
      { encoding: 'utf8', env },
    );
    assert.equal(encode.status, 0, encode.stderr);
    const hex = encode.stdout.trim();
    assert.equal(hex, '001C60000300000800802000000000000004000000000000000000010301');
    const decode = spawnSync(process.execPath, ['bin/posrig.js', 'iso8583', 'decode', '--packaging', 'binary', hex], {
      encoding: 'utf8',
      env,
    });
    assert.equal(decode.status, 0, decode.stderr);
    assert.deepEqual(decode.stdout.trim().split('\n'), [
      'Length header 28',
      'TPDU 60 0003 0000 (destination 0003, source 0000)',
      'MTI 0800',
      'DE011 System trace audit number: 000001',
      'DE070 Network management information code: 301',
    ]);
    const bad = spawnSync(process.execPath, ['bin/posrig.js', 'iso8583', 'decode', '--packaging', 'bcd', hex], {
      encoding: 'utf8',
      env,
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--packaging: expected ascii or binary, got "bcd"/);
  });

  it('names what is wrong with bad input and exits 2', () => {
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const run = spawnSync(process.execPath, ['bin/posrig.js', 'iso8583', 'decode', '30323030zz'], {
      encoding: 'utf8',
      env,
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^posrig: /);
  });
});
