import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { frameForTcp, type IsoMessage, packIso, TcpDeframer, unpackIso } from '../../protocols/iso8583/index.ts';
import { type AcquirerFault, AcquirerHost, IsoTcpClient, type IsoTrace } from '../../simulators/acquirer/index.ts';
import type { FaultLogEntry, ProxyMessage } from '../../simulators/faultproxy/index.ts';
import { ALICE, cny, hostClock, seededLedger } from '../support/bankFixture.ts';
import { waitFor } from '../support/events.ts';
import { faultProxyRig } from '../support/faultProxyRig.ts';
import { echoRequest, saleRequest, stanCounter } from '../support/isoMessages.ts';

const nextStan = stanCounter();
const echo = (s = nextStan()): IsoMessage => echoRequest(s);
/** A no-CVM (tap) purchase, so no PIN block is needed. */
const sale = (minor: number): IsoMessage => saleRequest(ALICE, minor, { stan: nextStan(), pin: null });

/** A raw terminal-side socket: complete bodies as they arrive (undecoded), and when it closed. */
async function rawTerminal(address: { host: string; port: number }) {
  const socket = net.connect(address.port, address.host);
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const deframer = new TcpDeframer();
  const bodies: Buffer[] = [];
  const arrived = new EventTarget();
  socket.on('data', (chunk: Buffer) => {
    bodies.push(...deframer.push(chunk));
    arrived.dispatchEvent(new Event('body'));
  });
  await Promise.race([new Promise((resolve) => socket.once('connect', resolve)), closed]); // a refused one may reset first
  const nextBody = async (timeoutMs = 2000): Promise<Buffer> => {
    const deadline = AbortSignal.timeout(timeoutMs);
    while (bodies.length === 0) {
      if (deadline.aborted) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise((resolve) => {
        arrived.addEventListener('body', resolve, { once: true });
        deadline.addEventListener('abort', resolve, { once: true });
      });
    }
    return bodies.shift() as Buffer;
  };
  return { socket, closed, nextBody, send: (m: IsoMessage) => socket.write(frameForTcp(packIso(m))) };
}

describe('fault proxy: each action, with the real acquirer host behind it', () => {
  const ledger = seededLedger();
  const host = new AcquirerHost({ ledger, now: hostClock });
  const hostSaw: string[] = [];
  host.on('trace', (t: IsoTrace) => {
    if (t.dir === 'in') hostSaw.push(`${t.message.mti} ${t.message.fields[11]}`);
  });
  const rig = faultProxyRig(host, ledger, () => {
    ledger.reset();
    hostSaw.length = 0;
  });
  const { connect } = rig;

  test('refuse closes new connections at once, counting connections (times: 2)', async () => {
    rig.proxy.arm({ action: { kind: 'refuse' }, times: 2 });
    for (let i = 0; i < 2; i++) {
      const terminal = await rawTerminal(rig.address);
      terminal.send(echo());
      await terminal.closed;
    }
    assert.deepEqual(hostSaw, [], 'nothing reached the host');
    const client = await connect();
    const reply = await client.request(echo());
    assert.equal(reply.mti, '0810');
    assert.deepEqual(
      rig.proxy.log.filter((e) => e.what.startsWith('refused')).map((e) => e.rule),
      [1, 1],
    );
  });

  test('refuse until healed closes the port (ECONNREFUSED, like a host that is down); heal() reopens it', async () => {
    const open = await connect();
    rig.proxy.arm({ action: { kind: 'refuse' }, times: Number.POSITIVE_INFINITY });
    await assert.rejects(IsoTcpClient.connect(rig.address), (error: NodeJS.ErrnoException) => {
      assert.match(String(error.message), /ECONNREFUSED/);
      return true;
    });
    assert.equal((await open.request(echo())).mti, '0810', 'a connection opened before goes on');
    await rig.proxy.heal();
    const client = await connect();
    assert.equal((await client.request(echo())).mti, '0810');
    assert.ok(rig.proxy.log.some((e) => e.what.startsWith('closed the listening port')));
    assert.ok(rig.proxy.log.some((e) => e.what === 'reopened the listening port'));
  });

  test('drop on the next 0200: not forwarded, both sides closed, nothing posted', async () => {
    rig.proxy.arm({ action: { kind: 'drop' }, direction: 'request', mti: '0200' });
    const client = await connect();
    const seen = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.mti === '0200');
    await assert.rejects(client.request(sale(10000)), /connection closed/);
    assert.equal((await seen).fault, 'drop');
    await client.closed;
    assert.deepEqual(hostSaw, []);
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
  });

  test('drop on the 0210 after the host committed: the host posted, the terminal sees the connection close', async () => {
    rig.proxy.arm({ action: { kind: 'drop' }, direction: 'response', mti: '0210' });
    const client = await connect();
    const answered = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.direction === 'response' && m.mti === '0210');
    await assert.rejects(client.request(sale(10000)), /connection closed/);
    const message = await answered;
    assert.deepEqual([message.responseCode, message.fault], ['00', 'drop']);
    assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
  });

  test('blackhole accepts the connection and forwards nothing; heal() closes it', async () => {
    rig.proxy.arm({ action: { kind: 'blackhole' } });
    const client = await connect();
    const swallowed = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.mti === '0800');
    client.send(echo());
    assert.equal((await swallowed).fault, 'blackhole');
    rig.proxy.heal();
    await client.closed;
    assert.deepEqual(hostSaw, []);
    assert.ok(rig.proxy.log.some((e) => /^blackholed connection from 127\.0\.0\.1:\d+$/.test(e.what)));
    assert.ok(rig.proxy.log.some((e) => /^blackholed 0800 STAN \d{6} \(terminal → host\)$/.test(e.what)));
    const next = await connect();
    assert.equal((await next.request(echo())).mti, '0810', 'the rule was used up: the next connection forwards');
  });

  test('delay holds a response back and the later responses wait behind it (order kept)', async () => {
    rig.proxy.arm({ action: { kind: 'delay', ms: 150 }, direction: 'response' });
    const client = await connect();
    const stans = [nextStan(), nextStan(), nextStan()];
    const third = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.direction === 'response' && m.stan === stans[2]);
    const started = Date.now();
    for (const s of stans) client.send(echo(s));
    await third; // the proxy has every response, the first still held back
    const received = [];
    for (let i = 0; i < 3; i++) received.push((await client.receive()).fields[11]);
    assert.deepEqual(received, stans);
    assert.ok(Date.now() - started >= 140, 'the first response came after the delay');
  });

  test('corrupt on a request: the host cannot unpack it and posts nothing', async () => {
    rig.proxy.arm({ action: { kind: 'corrupt' }, direction: 'request', mti: '0200' });
    const client = await connect();
    const hostFault = waitFor<AcquirerFault>(host, 'fault', (f) => /unreadable message/.test(f.message));
    client.send(sale(10000));
    await hostFault;
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.equal((await client.request(echo())).mti, '0810', 'the connection stays up');
  });

  test('corrupt on a response: same length, the terminal cannot unpack it', async () => {
    rig.proxy.arm({ action: { kind: 'corrupt' }, direction: 'response', mti: '0810' });
    const terminal = await rawTerminal(rig.address);
    const original = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.mti === '0810');
    const request = echo();
    terminal.send(request);
    const body = await terminal.nextBody();
    assert.equal((await original).fault, 'corrupt');
    assert.throws(() => unpackIso(body), /bitmap/i);
    assert.equal(body.subarray(0, 4).toString('latin1'), '0810');
    terminal.socket.destroy();
  });

  test('duplicate on a 0200: the host replays the first answer and posts once', async () => {
    rig.proxy.arm({ action: { kind: 'duplicate' }, direction: 'request', mti: '0200' });
    const client = await connect();
    const request = sale(10000);
    const first = await client.request(request);
    const second = await client.receive();
    assert.deepEqual(second, first);
    assert.equal(first.fields[39], '00');
    assert.deepEqual(hostSaw, [`0200 ${request.fields[11]}`, `0200 ${request.fields[11]}`]);
    assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
    assert.equal(ledger.journal().length, 1);
  });

  test('swallow on the 0210: the host posted, nothing reaches the terminal, the connection stays up', async () => {
    rig.proxy.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0210' });
    const client = await connect();
    const answered = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.direction === 'response' && m.mti === '0210');
    client.send(sale(10000));
    const message = await answered;
    assert.deepEqual([message.responseCode, message.fault], ['00', 'swallow']);
    assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
    assert.equal((await client.request(echo())).mti, '0810', 'the next message received is the 0810, not the 0210');
  });

  test('every message seen is a message event, emitted before it is forwarded', async () => {
    const events: ProxyMessage[] = [];
    const faults: FaultLogEntry[] = [];
    rig.proxy.on('message', (m: ProxyMessage) => events.push(m));
    rig.proxy.on('fault', (e: FaultLogEntry) => faults.push(e));
    const client = await connect();
    const request = sale(100);
    const reply = await client.request(request);
    assert.deepEqual(
      events.map((m) => [m.direction, m.mti, m.stan, m.responseCode, m.fault]),
      [
        ['request', '0200', request.fields[11], undefined, undefined],
        ['response', '0210', request.fields[11], reply.fields[39], undefined],
      ],
    );
    assert.deepEqual(faults, []);
  });
});
