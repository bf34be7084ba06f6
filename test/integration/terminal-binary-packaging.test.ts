// Binary ISO 8583 end to end: the simulated terminal, the fault proxy and the simulated acquirer all on the binary
// packaging (ISO87B behind a 5-byte TPDU). A tap between terminal and proxy keeps the raw bytes, so the test sees what
// a real terminal would put on the wire: length header, TPDU 60 0003 0000 out and 60 0000 0003 back, a BCD MTI.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { deframerFor, frameMessage, unpackMessage } from '../../protocols/iso8583/index.ts';
import { AcquirerHost, type IsoTrace } from '../../simulators/acquirer/index.ts';
import { FaultProxy, type ProxyMessage } from '../../simulators/faultproxy/index.ts';
import { type TerminalConfig, TerminalSimulator } from '../../simulators/terminal/index.ts';
import { cny, MID, seededLedger, VISA } from '../support/bankFixture.ts';
import { duplexPair } from '../support/duplexPair.ts';
import { type EventOf, RecordingHarness } from '../support/ecrHarness.ts';

const WAIT_MS = 4000;
const ALICE = { ...VISA, alias: 'alice' };

/** A TCP relay that records every byte each way (terminal → proxy as 'request', back as 'response'). */
class WireTap {
  readonly request: Buffer[] = [];
  readonly response: Buffer[] = [];
  port = 0;
  readonly #sockets = new Set<net.Socket>();
  readonly #server: net.Server;

  constructor(upstream: () => { host: string; port: number }) {
    this.#server = net.createServer((terminal) => {
      const host = net.connect(upstream());
      for (const socket of [terminal, host]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {});
      }
      terminal.on('data', (chunk: Buffer) => this.request.push(chunk));
      host.on('data', (chunk: Buffer) => this.response.push(chunk));
      terminal.pipe(host);
      host.pipe(terminal);
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The binary frames seen one way: TPDU (hex) and MTI of each. */
  frames(direction: 'request' | 'response'): Array<{ tpdu: string; mti: string }> {
    const bytes = Buffer.concat(this[direction]);
    return deframerFor('binary')
      .pushFrames(bytes)
      .map((f) => ({ tpdu: f.tpdu.toString('hex').toUpperCase(), mti: unpackMessage(f.body, 'binary').mti }));
  }
}

describe('binary packaging end to end: simulated terminal → fault proxy → simulated acquirer', () => {
  const ledger = seededLedger([ALICE]);
  const acquirer = new AcquirerHost({ ledger, packaging: 'binary' });
  let proxy: FaultProxy;
  let proxyAddress: { host: string; port: number };
  const tap = new WireTap(() => proxyAddress);
  const traces: IsoTrace[] = [];
  const faults: string[] = [];
  let seen: ProxyMessage[] = [];
  let terminal: TerminalSimulator;
  let harness: RecordingHarness;

  before(async () => {
    acquirer.on('trace', (t: IsoTrace) => traces.push(t));
    acquirer.on('fault', (f: { message: string }) => faults.push(f.message));
    const upstream = await acquirer.start();
    proxy = new FaultProxy({ upstream, packaging: 'binary' });
    proxy.on('message', (m: ProxyMessage) => seen.push(m));
    proxyAddress = await proxy.start();
    await tap.start();
  });
  beforeEach(() => {
    ledger.reset();
    traces.length = 0;
    faults.length = 0;
    seen = [];
    tap.request.length = 0;
    tap.response.length = 0;
    const config: TerminalConfig = {
      ...{ tid: 'T0000001', mid: MID, merchantName: 'Test Shop', language: 'en', currency: 'CNY' },
      host: { host: '127.0.0.1', port: tap.port },
      responseTimeoutMs: 1000,
      reversalRetryMs: 50,
      hostPackaging: 'binary',
    };
    const [device, host] = duplexPair();
    terminal = new TerminalSimulator(config);
    terminal.attach(device);
    harness = new RecordingHarness(host);
  });
  afterEach(async () => {
    await terminal.stop();
    harness.close();
    await proxy.heal();
  });
  after(async () => {
    await tap.stop();
    await proxy.stop();
    await acquirer.stop();
    ledger.close();
  });

  async function sale(amount: number): Promise<EventOf<'result'>> {
    await harness.send({ type: 'sale', amount, currency: 'CNY' });
    await harness.send({ type: 'input.card', method: 'chip', pan: ALICE.pan, expiry: ALICE.expiry });
    await harness.send({ type: 'input.keys', keys: [...ALICE.pin.split(''), 'ENTER'] });
    return harness.waitForEvent('result');
  }

  it('an approved purchase: binary frames with a TPDU on the wire, read by proxy and host, the card debited', async () => {
    const result = await sale(2500);
    assert.equal(result.outcome, 'approved');
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000 - 2500));

    const sale0200 = tap.frames('request').find((f) => f.mti === '0200');
    const answer0210 = tap.frames('response').find((f) => f.mti === '0210');
    assert.deepEqual(sale0200, { tpdu: '6000030000', mti: '0200' });
    assert.deepEqual(answer0210, { tpdu: '6000000003', mti: '0210' }, 'the host swaps destination and source');

    const proxied = seen.map((m) => `${m.direction} ${m.mti} ${m.responseCode ?? ''}`.trim());
    assert.ok(proxied.includes('request 0200') && proxied.includes('response 0210 00'), proxied.join(', '));
    const request = seen.find((m) => m.mti === '0200');
    assert.equal(request?.fields?.[4], '000000002500');
    assert.equal(request?.fields?.[2], '411111******1111', 'the proxy masks the PAN it read from BCD');
    assert.ok(traces.some((t) => t.dir === 'in' && t.message.mti === '0200'));
    assert.deepEqual(faults, []);
  });

  it('a corrupted binary 0210 no longer unpacks: the terminal fails the sale and reverses it through the proxy', async () => {
    proxy.arm({ action: { kind: 'corrupt' }, direction: 'response', mti: '0210' });
    const result = await sale(2000);
    assert.equal(result.outcome, 'failed');
    await harness.waitForEvent('reversal', (e) => e.status === 'confirmed');
    assert.ok(proxy.log.some((entry) => /^corrupted 0210 STAN \d{6} RC 00 \(host → terminal\)/.test(entry.what)));
    assert.ok(traces.some((t) => t.dir === 'in' && t.message.mti === '0400'));
    assert.deepEqual(tap.frames('request').at(-1), { tpdu: '6000030000', mti: '0400' });
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000), 'the reversal gave the money back');
  });

  /** Writes `bytes` straight to the acquirer; resolves with its first answer frame as hex (length header included). */
  async function rawExchange(...writes: Buffer[]): Promise<string> {
    const socket = net.connect({ host: '127.0.0.1', port: acquirer.address.port });
    socket.on('error', () => {});
    try {
      return await new Promise<string>((resolve, reject) => {
        let received = Buffer.alloc(0);
        const timer = setTimeout(
          () => reject(new Error(`no answer within ${WAIT_MS} ms; faults: ${faults.join('; ')}`)),
          WAIT_MS,
        );
        socket.on('data', (chunk: Buffer) => {
          received = Buffer.concat([received, chunk]);
          if (received.length < 2 || received.length < 2 + received.readUInt16BE(0)) return;
          clearTimeout(timer);
          resolve(
            received
              .subarray(0, 2 + received.readUInt16BE(0))
              .toString('hex')
              .toUpperCase(),
          );
        });
        for (const bytes of writes) socket.write(bytes);
      });
    } finally {
      socket.destroy();
    }
  }

  it('the host refuses a frame whose TPDU ID is not 0x60 (a fault) and goes on serving the connection', async () => {
    const signOn = { mti: '0800', fields: { 7: '0102030405', 11: '000777', 41: 'T0000001', 42: MID, 70: '001' } };
    // ASCII-87 sent to a binary host: the 5 bytes where the TPDU goes start with ASCII '0'
    const ascii = Buffer.from('0800', 'latin1');
    const header = Buffer.alloc(2);
    header.writeUInt16BE(ascii.length + 5);
    const answer = await rawExchange(
      Buffer.concat([header, Buffer.from('0800F', 'latin1'), ascii]),
      frameMessage(signOn, 'binary', { tpdu: Buffer.from('6000050007', 'hex') }),
    );
    const [frame] = deframerFor('binary').pushFrames(Buffer.from(answer, 'hex'));
    assert.equal(frame?.tpdu.toString('hex'), '6000070005');
    const message = unpackMessage(frame?.body ?? Buffer.alloc(0), 'binary');
    assert.deepEqual([message.mti, message.fields[11], message.fields[39]], ['0810', '000777', '00']);
    assert.equal(faults.length, 1, faults.join('; '));
    assert.match(
      faults[0] ?? '',
      /^TPDU at offset 2: ID 0x30 is not 0x60 \(an ASCII digit: is the terminal sending ASCII-87\?\); message \(4 bytes\) ignored$/,
    );
  });

  it('the sign-on example of docs/host.md (binary packaging): this 0800 gets exactly this 0810', async () => {
    const request = [
      ...['0038', '6000030000', '0800', '8220000000C00000', '0400000000000000'],
      ...['0504100000', '000001', '5430303030303031', '313034313130303435313130303132', '0001'],
    ].join('');
    const response = [
      ...['002B', '6000000003', '0810', '8220000002800000', '0400000000000000'],
      ...['0504100000', '000001', '3030', '5430303030303031', '0001'],
    ].join('');
    assert.equal(await rawExchange(Buffer.from(request, 'hex')), response);
    assert.deepEqual(faults, []);
  });
});
