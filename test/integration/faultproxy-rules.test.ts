import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { frameForTcp, type IsoMessage, packIso, TcpDeframer, unpackIso } from '../../protocols/iso8583/index.ts';
import { AcquirerHost, IsoTcpClient, Ledger } from '../../simulators/acquirer/index.ts';
import {
  type FaultLogEntry,
  FaultProxy,
  FaultProxyError,
  faultLogLine,
  type ProxyMessage,
} from '../../simulators/faultproxy/index.ts';
import { TID } from '../support/bankFixture.ts';
import { countEvents, waitFor } from '../support/events.ts';
import { faultProxyRig } from '../support/faultProxyRig.ts';
import { echoRequest, stanCounter } from '../support/isoMessages.ts';

const nextStan = stanCounter();
const echo = (s = nextStan()): IsoMessage => echoRequest(s);

describe('fault proxy: pass-through, rule matching, expiry, heal, log, lifecycle', () => {
  const ledger = Ledger.open(':memory:');
  const host = new AcquirerHost({ ledger });
  const rig = faultProxyRig(host, ledger);
  const { clients, connect } = rig;

  test('passes 60 messages through, whatever the chunking, in order and byte-exact', async () => {
    const requests = Array.from({ length: 60 }, () => echo());
    const bytes = Buffer.concat(requests.map((m) => frameForTcp(packIso(m))));
    const socket = net.connect(rig.address.port, rig.address.host);
    const deframer = new TcpDeframer();
    const replies: IsoMessage[] = [];
    const allReplies = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        for (const body of deframer.push(chunk)) replies.push(unpackIso(body));
        if (replies.length === requests.length) resolve();
      });
    });
    const seen: ProxyMessage[] = [];
    rig.proxy.on('message', (m: ProxyMessage) => seen.push(m));
    await new Promise((resolve) => socket.once('connect', resolve));
    const sizes = [1, 2, 7, 31, 3, 90, 1, 250, 5]; // split inside headers, merge several messages
    for (let offset = 0, i = 0; offset < bytes.length; i++) {
      const size = sizes[i % sizes.length] ?? 1;
      socket.write(bytes.subarray(offset, offset + size));
      offset += size;
    }
    await allReplies;
    socket.destroy();
    assert.deepEqual(
      replies.map((r) => [r.mti, r.fields[11], r.fields[39]]),
      requests.map((r) => ['0810', r.fields[11], '00']),
    );
    assert.equal(seen.filter((m) => m.direction === 'request' && m.mti === '0800').length, 60);
    assert.equal(seen.filter((m) => m.direction === 'response' && m.mti === '0810').length, 60);
    assert.ok(seen.every((m) => m.fault === undefined && m.at instanceof Date));
  });

  test('mti and direction filters: a rule acts only on what it names', async () => {
    rig.proxy.arm({ action: { kind: 'swallow' }, direction: 'request', mti: '0810' }); // never matches: 0810 is a response
    rig.proxy.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0200' }); // no 0200 response exists
    const client = await connect();
    assert.equal((await client.request(echo())).mti, '0810');
    rig.proxy.heal();
    rig.proxy.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0810' });
    const request = echo();
    const swallowed = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.fault === 'swallow');
    const next = echo();
    client.send(request);
    const message = await swallowed;
    assert.deepEqual([message.direction, message.mti, message.stan], ['response', '0810', request.fields[11]]);
    assert.equal((await client.request(next)).fields[11], next.fields[11], 'the rule was used once (times 1)');
  });

  test('a garbled message keeps its MTI or is "garbled"; it only matches rules without an mti', async () => {
    rig.proxy.arm({ action: { kind: 'swallow' }, mti: '0800' });
    rig.proxy.arm({ action: { kind: 'swallow' }, direction: 'request' });
    const client = await connect();
    const seen = countEvents<ProxyMessage>(rig.proxy, 'message', () => true, 1);
    client.sendRaw(frameForTcp(Buffer.from('not an iso message')));
    const message = await seen;
    assert.deepEqual([message.mti, message.stan, message.fault], ['garbled', undefined, 'swallow']);
    assert.deepEqual(
      rig.proxy.log.filter((e) => e.what.startsWith('swallowed')).map((e) => [e.rule, e.what]),
      [[2, 'swallowed garbled message (18 bytes) (terminal → host)']],
    );
  });

  test('times: 2 acts on the next two matching messages, then forwards', async () => {
    rig.proxy.arm({ action: { kind: 'swallow' }, direction: 'response', times: 2 });
    const client = await connect();
    const twoSwallowed = countEvents<ProxyMessage>(rig.proxy, 'message', (m) => m.fault === 'swallow', 2);
    const [a, b, c] = [echo(), echo(), echo()];
    for (const m of [a, b, c]) client.send(m);
    await twoSwallowed;
    assert.equal((await client.receive()).fields[11], c.fields[11]);
  });

  test('times: Infinity acts until healed; heal() disarms it', async () => {
    const id = rig.proxy.arm({ action: { kind: 'swallow' }, direction: 'response', times: Number.POSITIVE_INFINITY });
    const client = await connect();
    const fiveSwallowed = countEvents<ProxyMessage>(rig.proxy, 'message', (m) => m.fault === 'swallow', 5);
    for (let i = 0; i < 5; i++) client.send(echo());
    await fiveSwallowed;
    rig.proxy.heal();
    const after = echo();
    assert.equal((await client.request(after)).fields[11], after.fields[11]);
    assert.ok(rig.proxy.log.some((e) => e.rule === id && e.what === 'disarmed (healed)'));
  });

  test('rules are checked in arming order: the first one that matches acts', async () => {
    const first = rig.proxy.arm({ action: { kind: 'delay', ms: 1 }, direction: 'response' });
    rig.proxy.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0810' });
    const client = await connect();
    const delayed = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.direction === 'response');
    const request = echo();
    assert.equal((await client.request(request)).fields[11], request.fields[11]);
    assert.equal((await delayed).fault, 'delay');
    assert.ok(rig.proxy.log.some((e) => e.rule === first && e.what.startsWith('delayed 0810')));
    const swallowed = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.direction === 'response');
    client.send(echo());
    assert.equal((await swallowed).fault, 'swallow', 'the second rule acts once the first is used up');
  });

  test('forMs: the rule disarms itself after its duration', async () => {
    const id = rig.proxy.arm({ action: { kind: 'swallow' }, direction: 'response', times: Infinity, forMs: 100 });
    const client = await connect();
    const swallowed = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.fault === 'swallow');
    client.send(echo());
    await swallowed;
    await waitFor<FaultLogEntry>(rig.proxy, 'fault', (e) => e.rule === id && e.what === 'expired after 100 ms');
    const request = echo();
    assert.equal((await client.request(request)).fields[11], request.fields[11]);
  });

  test('heal() delivers delayed messages at once, in order', async () => {
    rig.proxy.arm({ action: { kind: 'delay', ms: 60_000 }, direction: 'response', times: 2 });
    const client = await connect();
    const held = countEvents<ProxyMessage>(rig.proxy, 'message', (m) => m.fault === 'delay', 2);
    const [a, b] = [echo(), echo()];
    client.send(a);
    client.send(b);
    await held;
    rig.proxy.heal();
    assert.equal((await client.receive(1000)).fields[11], a.fields[11]);
    assert.equal((await client.receive(1000)).fields[11], b.fields[11]);
  });

  test('the log: timestamped readable lines, only MTI, STAN and DE39; clearLog() empties it', async () => {
    const id = rig.proxy.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0810' });
    const client = await connect();
    const request = echo('000012');
    const swallowed = waitFor<FaultLogEntry>(rig.proxy, 'fault', (e) => e.what.startsWith('swallowed'));
    client.send(request);
    const entry = await swallowed;
    assert.equal(entry.rule, id);
    assert.equal(entry.what, 'swallowed 0810 STAN 000012 RC 00 (host → terminal)');
    const lines = rig.proxy.log.map(faultLogLine);
    assert.match(lines[0] ?? '', /^\d\d:\d\d:\d\d\.\d{3} rule 1 armed: swallow 0810 \(host → terminal\), 1 time$/);
    assert.match(lines[1] ?? '', /^\d\d:\d\d:\d\d\.\d{3} rule 1 swallowed 0810 STAN 000012 RC 00 \(host → terminal\)$/);
    assert.ok(!lines.join('\n').includes(TID), 'no field value besides MTI, STAN and DE39');
    rig.proxy.clearLog();
    assert.deepEqual(rig.proxy.log, []);
  });

  test('arm() refuses a bad rule with FaultProxyError naming the key', () => {
    assert.throws(() => rig.proxy.arm({ action: { kind: 'delay', ms: -1 } }), /rule\.action\.ms/);
    assert.throws(() => rig.proxy.arm({ action: { kind: 'swallow' }, mti: '210' }), FaultProxyError);
    assert.deepEqual(rig.proxy.log, [], 'nothing armed');
  });

  test('an upstream that is down closes the terminal connection; the proxy keeps serving', async () => {
    const spare = new AcquirerHost({ ledger });
    const spareAddress = await spare.start();
    await spare.stop(); // a port where nothing listens
    const downProxy = new FaultProxy({ upstream: spareAddress });
    const downAddress = await downProxy.start();
    try {
      for (let i = 0; i < 2; i++) {
        const client = await IsoTcpClient.connect(downAddress);
        clients.push(client);
        const notice = waitFor<FaultLogEntry>(downProxy, 'fault', (e) => e.rule === 0);
        client.send(echo());
        await client.closed;
        assert.match((await notice).what, /^upstream 127\.0\.0\.1:\d+ unreachable \(.*ECONNREFUSED.*\): closed 127/);
      }
      const back = new AcquirerHost({ ledger, port: spareAddress.port });
      await back.start();
      try {
        const client = await IsoTcpClient.connect(downAddress);
        clients.push(client);
        assert.equal((await client.request(echo())).mti, '0810', 'the host is back: the same proxy forwards');
        await back.stop(); // the host goes away mid-connection
        await client.closed;
      } finally {
        await back.stop();
      }
    } finally {
      await downProxy.stop();
    }
  });

  test('stop() closes the server and every connection, delayed messages included', async () => {
    rig.proxy.arm({ action: { kind: 'delay', ms: 60_000 }, direction: 'response' });
    rig.proxy.arm({ action: { kind: 'swallow' }, mti: '0200', forMs: 60_000 }); // a pending forMs timer
    const client = await connect();
    const held = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.fault === 'delay');
    client.send(echo());
    await held;
    await rig.proxy.stop();
    await client.closed;
    await assert.rejects(IsoTcpClient.connect(rig.address), /cannot connect/);
  });
});
