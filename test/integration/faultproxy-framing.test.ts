// The fault proxy (binary packaging) and a length header shorter than the TPDU in the same TCP chunk as a good 0800:
// the 0800 is judged and forwarded as if it had come in a chunk of its own, then the connection is destroyed, as always.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { deframerFor, frameMessage, type IsoMessage, unpackMessage } from '../../protocols/iso8583/index.ts';
import { AcquirerHost, type IsoTrace } from '../../simulators/acquirer/index.ts';
import { FaultProxy, type ProxyMessage } from '../../simulators/faultproxy/index.ts';
import { seededLedger } from '../support/bankFixture.ts';
import { waitFor } from '../support/events.ts';
import { echoRequest } from '../support/isoMessages.ts';

describe('fault proxy: a good message and a broken length header in one TCP write', () => {
  const ledger = seededLedger();
  const host = new AcquirerHost({ ledger, packaging: 'binary' });
  let proxy: FaultProxy;

  before(async () => {
    proxy = new FaultProxy({ upstream: await host.start(), packaging: 'binary' });
    await proxy.start();
  });
  after(async () => {
    await proxy.stop();
    await host.stop();
    ledger.close();
  });

  test('the 0800 before the header reaches the host, then the connection is destroyed', async () => {
    const socket = net.connect(proxy.address.port, proxy.address.host);
    socket.on('error', () => {});
    const deframer = deframerFor('binary');
    const replies: IsoMessage[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (const frame of deframer.pushFrames(chunk)) replies.push(unpackMessage(frame.body, 'binary'));
    });
    await once(socket, 'connect');
    // a first exchange: the proxy's upstream connection is up before the garbage comes
    const answered = waitFor<ProxyMessage>(proxy, 'message', (m) => m.direction === 'response' && m.stan === '000001');
    socket.write(frameMessage(echoRequest('000001'), 'binary'));
    await answered;
    const reachedHost = waitFor<IsoTrace>(host, 'trace', (t) => t.dir === 'in' && t.message.fields[11] === '000002');
    const judged = waitFor<ProxyMessage>(proxy, 'message', (m) => m.direction === 'request' && m.stan === '000002');
    const closed = once(socket, 'close');
    socket.write(Buffer.concat([frameMessage(echoRequest('000002'), 'binary'), Buffer.from([0x00, 0x03, 0x60])]));
    assert.equal((await judged).mti, '0800');
    assert.equal((await reachedHost).message.mti, '0800');
    await closed;
    assert.deepEqual(
      replies.map((r) => [r.mti, r.fields[11], r.fields[39]]),
      [['0810', '000001', '00']],
    );
  });
});
