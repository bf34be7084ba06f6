// The ECR test link over MQTT (docs/protocol.md section 12) on the embedded broker: messages both ways at QoS 1,
// a repeated id dropped, an oversize or invalid payload a fault, the retained status, and the broker's roles —
// a publish or a subscription outside a role is refused.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import type { EcrMessage } from '../../protocols/ecr/index.ts';
import { MqttEcrLink } from '../../protocols/mqtt/mqttEcrLink.ts';
import { ecrTopics } from '../../protocols/mqtt/topics.ts';
import { BrokerError, connectBroker, endClient, publish, subscribe } from '../../rigs/mqtt/brokerClient.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../rigs/mqtt/embeddedBroker.ts';

const TID = 'T0000001';
const topics = ecrTopics(TID);
let broker: EmbeddedBroker;
const clients: MqttClient[] = [];

async function client(username: string, clientId = `${username}-${clients.length}`): Promise<MqttClient> {
  const connected = await connectBroker(
    { url: broker.url, username, password: broker.secret },
    { clientId, what: `test ${username}` },
  );
  clients.push(connected);
  return connected;
}

function nextMessage(link: MqttEcrLink): Promise<EcrMessage> {
  return once(link, 'message').then(([message]) => message as EcrMessage);
}

before(async () => {
  broker = await startEmbeddedBroker();
});

after(async () => {
  for (const c of clients) await endClient(c, true);
  await broker.close();
});

describe('the ECR link over MQTT', () => {
  it('carries a command to the terminal and an event back, each resolved on PUBACK', async () => {
    const harness = await MqttEcrLink.open(await client('controller'), { terminalId: TID, side: 'harness' });
    const terminal = await MqttEcrLink.open(await client(`terminal-${TID}`), { terminalId: TID, side: 'terminal' });
    const command = nextMessage(terminal);
    await harness.send({ type: 'hello', id: 'h-1', protocol: '1' });
    assert.deepEqual(await command, { type: 'hello', id: 'h-1', protocol: '1' });
    const event = nextMessage(harness);
    await terminal.send({ type: 'voice', id: 'e-1', text: '交易成功' });
    assert.deepEqual(await event, { type: 'voice', id: 'e-1', text: '交易成功' });
    harness.close();
    terminal.close();
  });

  it('drops a message whose id it already processed (QoS 1 is at-least-once)', async () => {
    const harness = await MqttEcrLink.open(await client('controller'), { terminalId: TID, side: 'harness' });
    const raw = await client(`terminal-${TID}`);
    const seen: string[] = [];
    harness.on('message', (m) => seen.push(`${m.type}:${m.id}`));
    const payload = JSON.stringify({ type: 'voice', id: 'dup-1', text: 'a' });
    await publish(raw, topics.evt, payload);
    await publish(raw, topics.evt, payload);
    const last = nextMessage(harness);
    await publish(raw, topics.evt, JSON.stringify({ type: 'voice', id: 'dup-2', text: 'b' }));
    await last;
    assert.deepEqual(seen, ['voice:dup-1', 'voice:dup-2']);
    harness.close();
  });

  it('reports an invalid or oversize payload as a fault, not a message', async () => {
    const harness = await MqttEcrLink.open(await client('controller'), { terminalId: TID, side: 'harness' });
    const raw = await client(`terminal-${TID}`);
    const faults: Error[] = [];
    harness.on('fault', (f) => faults.push(f));
    await publish(raw, topics.evt, '{"type":"voice"}');
    await publish(raw, topics.evt, JSON.stringify({ type: 'voice', id: 'big', text: 'x'.repeat(5000) }));
    const last = nextMessage(harness);
    await publish(raw, topics.evt, JSON.stringify({ type: 'voice', id: 'ok', text: 'ok' }));
    await last;
    assert.equal(faults.length, 2);
    assert.match(faults[0]?.message ?? '', /id/);
    assert.match(faults[1]?.message ?? '', /exceeds 4096/);
    await assert.rejects(
      harness.send({ type: 'voice', id: 'x', text: 'x'.repeat(5000) } as never),
      /MUST NOT exceed 4096/,
    );
    harness.close();
  });

  it("hears the terminal's retained status, and its last will when it vanishes", async () => {
    const terminal = await connectBroker(
      { url: broker.url, username: `terminal-${TID}`, password: broker.secret },
      {
        clientId: 'vanishing',
        what: 'test terminal',
        will: { topic: topics.status, payload: 'offline', retain: true },
      },
    );
    await publish(terminal, topics.status, 'online', true);
    const harness = await MqttEcrLink.open(await client('controller'), { terminalId: TID, side: 'harness' });
    // the retained status reaches a late subscriber (it may come with the SUBACK, before a listener could be added)
    if (harness.status === undefined) await once(harness, 'status');
    assert.equal(harness.status, 'online');
    const offline = once(harness, 'status');
    await endClient(terminal, true); // no DISCONNECT: the broker sends the will
    await offline;
    assert.equal(harness.status, 'offline');
    harness.close();
  });
});

describe("the embedded broker's roles", () => {
  it('refuses a wrong password and a user name with no role', async () => {
    await assert.rejects(
      connectBroker({ url: broker.url, username: 'controller', password: 'wrong' }, { clientId: 'w', what: 'test' }),
      (error: Error) =>
        error instanceof BrokerError && /as controller/.test(error.message) && !/wrong/.test(error.message),
    );
    await assert.rejects(
      connectBroker({ url: broker.url, username: 'alice', password: broker.secret }, { clientId: 'a', what: 'test' }),
      BrokerError,
    );
  });

  it('refuses a terminal that publishes a command, and the command reaches no one', async () => {
    const harness = await MqttEcrLink.open(await client('controller'), { terminalId: TID, side: 'harness' });
    const listener = await MqttEcrLink.open(await client(`terminal-${TID}`), { terminalId: TID, side: 'terminal' });
    const rogue = await client(`terminal-${TID}`);
    const received: EcrMessage[] = [];
    listener.on('message', (m) => received.push(m));
    const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()));
    rogue.publish(topics.cmd, JSON.stringify({ type: 'abort', id: 'rogue-1' }), { qos: 1 });
    await closed; // MQTT 3.1.1 has no refusal code for a publish: the broker drops the connection
    assert.ok(broker.refusals.includes(`publish by terminal-${TID} to ${topics.cmd}`));
    // a command the controller sends after it still arrives, alone
    const next = nextMessage(listener);
    await harness.send({ type: 'abort', id: 'ok-1' });
    await next;
    assert.deepEqual(
      received.map((m) => m.id),
      ['ok-1'],
    );
    harness.close();
    listener.close();
  });

  it("refuses a terminal that subscribes to another terminal's events, and a controller subscribing to commands", async () => {
    const terminal = await client(`terminal-${TID}`);
    await assert.rejects(subscribe(terminal, [ecrTopics('T0000002').evt], 'test'), /refused the subscription/);
    await assert.rejects(subscribe(terminal, ['posrig/v1/#'], 'test'), /refused/);
    const controller = await client('controller');
    await assert.rejects(
      subscribe(controller, [topics.cmd], 'test'),
      /refused the subscription to posrig\/v1\/T0000001\/cmd/,
    );
    await subscribe(controller, [ecrTopics('+').evt], 'test'); // every terminal's events: allowed
    assert.ok(broker.refusals.includes(`subscribe by controller to ${topics.cmd}`));
  });
});
