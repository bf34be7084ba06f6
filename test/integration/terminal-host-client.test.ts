// HostClient against a scripted TCP server: matching by MTI + STAN (by MTI alone on a per-transaction connection),
// timeouts, late and stray replies, broken links.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { frameForTcp, type IsoMessage, packIso, TcpDeframer, unpackIso } from '../../protocols/iso8583/index.ts';
import { HostClient, type HostClientOptions, type HostTrace } from '../../simulators/terminal/index.ts';

type Script = (request: IsoMessage, socket: net.Socket) => void;

const echo = (request: IsoMessage, fields: IsoMessage['fields'] = {}): Buffer =>
  frameForTcp(packIso({ mti: '0810', fields: { 11: request.fields[11], 39: '00', 70: '301', ...fields } }));

function request(stan: string): IsoMessage {
  return { mti: '0800', fields: { 11: stan, 70: '301' } };
}

describe('terminal host client', () => {
  let script: Script = () => {};
  let connections = 0;
  let held: (() => void)[] = [];
  const server = net.createServer((socket) => {
    connections++;
    const deframer = new TcpDeframer();
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      for (const body of deframer.push(chunk)) script(unpackIso(body), socket);
    });
  });
  let port = 0;
  const clients: HostClient[] = [];
  const client = (options: Partial<HostClientOptions> = {}) => {
    const c = new HostClient({ host: '127.0.0.1', port, responseTimeoutMs: 500, ...options });
    clients.push(c);
    return c;
  };

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  beforeEach(() => {
    connections = 0;
    held = [];
    script = (r, socket) => socket.write(echo(r));
  });
  after(async () => {
    for (const c of clients) await c.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('matches the response by MTI and STAN and connects once per transaction by default', async () => {
    const host = client();
    const first = await host.exchange(request('000001'));
    const second = await host.exchange(request('000002'));
    assert.equal(first.kind, 'response');
    assert.equal(first.kind === 'response' && first.message.fields[11], '000001');
    assert.equal(second.kind === 'response' && second.message.fields[11], '000002');
    assert.equal(connections, 2);
  });

  it('keeps one connection alive when asked', async () => {
    const host = client({ keepAlive: true });
    await host.exchange(request('000001'));
    await host.exchange(request('000002'));
    assert.equal(connections, 1);
  });

  it('times out, then discards the late response', async () => {
    script = (r, socket) => held.push(() => socket.write(echo(r)));
    const host = client({ keepAlive: true, responseTimeoutMs: 50 });
    const reply = await host.exchange(request('000003'));
    assert.deepEqual(reply, { kind: 'timeout' });
    const discarded = once(host, 'discarded');
    for (const release of held) release();
    const [late] = (await discarded) as [HostTrace];
    assert.equal(late.message.mti, '0810');
    assert.equal(late.message.fields[11], '000003');
  });

  it('on a kept-alive connection ignores a response with another STAN and keeps waiting for its own', async () => {
    script = (r, socket) => {
      socket.write(echo(r, { 11: '999999' }));
      socket.write(echo(r));
    };
    const host = client({ keepAlive: true });
    const discarded = once(host, 'discarded');
    const reply = await host.exchange(request('000004'));
    assert.equal(reply.kind === 'response' && reply.message.fields[11], '000004');
    await discarded;
  });

  it("on a per-transaction connection hands over the answer with another STAN: it is the request's, unusable", async () => {
    script = (r, socket) => socket.write(echo(r, { 11: '999999' }));
    const reply = await client().exchange(request('000014'));
    assert.equal(reply.kind === 'response' && reply.message.fields[11], '999999');
  });

  it('reports an unreadable response as garbled', async () => {
    script = (_r, socket) => socket.write(frameForTcp(Buffer.from('not iso 8583')));
    const reply = await client().exchange(request('000005'));
    assert.equal(reply.kind, 'garbled');
  });

  it('reports a connection the host closes after the request as dropped', async () => {
    script = (_r, socket) => socket.destroy();
    const reply = await client().exchange(request('000006'));
    assert.equal(reply.kind, 'dropped');
  });

  it('reports a refused connection as unreachable, having sent nothing', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const reply = await client({ port: closedPort }).exchange(request('000007'));
    assert.equal(reply.kind, 'unreachable');
  });

  it('traces requests and responses masked, without the PIN block', async () => {
    script = (r, socket) =>
      socket.write(frameForTcp(packIso({ mti: '0210', fields: { 2: r.fields[2], 11: r.fields[11], 39: '00' } })));
    const host = client();
    const traces: HostTrace[] = [];
    host.on('trace', (t: HostTrace) => traces.push(t));
    await host.exchange({
      mti: '0200',
      fields: { 2: '4111111111111111', 3: '000000', 4: '000000000100', 11: '000008', 52: '0123456789ABCDEF' },
    });
    assert.deepEqual(
      traces.map((t) => t.dir),
      ['out', 'in'],
    );
    for (const t of traces) {
      assert.equal(t.message.fields[2], '411111******1111');
      assert.equal(t.message.fields[52], undefined);
    }
  });
});
