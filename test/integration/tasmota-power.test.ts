// The Tasmota power relay over MQTT on the embedded broker: TasmotaPower (the harness, a controller) switching a
// simulated Tasmota relay, the relay's answers awaited on its stat topic, a missing relay a RigFault, garbage ignored
// both ways, and the broker's relay role.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { relayTopics } from '../../protocols/mqtt/topics.ts';
import { connectBroker, endClient, publish, subscribe } from '../../rigs/mqtt/brokerClient.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../rigs/mqtt/embeddedBroker.ts';
import { TasmotaPower } from '../../rigs/power/tasmotaPower.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';
import { type SimulatedTasmotaRelay, startSimulatedTasmotaRelay } from '../../simulators/relay/tasmotaRelay.ts';

let broker: EmbeddedBroker;
const clients: MqttClient[] = [];
const relays: SimulatedTasmotaRelay[] = [];

async function client(username: string): Promise<MqttClient> {
  const connected = await connectBroker(
    { url: broker.url, username, password: broker.secret },
    { clientId: `${username}-${clients.length}`, what: `test ${username}` },
  );
  clients.push(connected);
  return connected;
}

/** A simulated relay whose switching is written into `events`, after a turn of the event loop (a real relay takes time). */
async function simulatedRelay(relay: string, events: string[], initiallyOn?: boolean): Promise<SimulatedTasmotaRelay> {
  const simulated = await startSimulatedTasmotaRelay({
    url: broker.url,
    password: broker.secret,
    relay,
    initiallyOn,
    switchTo: async (on) => {
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`switchTo(${on})`);
    },
  });
  relays.push(simulated);
  return simulated;
}

before(async () => {
  broker = await startEmbeddedBroker();
});

after(async () => {
  for (const relay of relays) await relay.stop();
  for (const c of clients) await endClient(c, true);
  await broker.close();
});

describe('TasmotaPower with a simulated Tasmota relay', () => {
  it('off() resolves once the relay switched and said OFF; on() once it said ON', async () => {
    const events: string[] = [];
    const relay = await simulatedRelay('relay1', events);
    const power = await TasmotaPower.open({ client: await client('controller'), relay: 'relay1' });
    await power.off();
    events.push('off() resolved');
    assert.equal(relay.isOn, false);
    await power.on();
    events.push('on() resolved');
    assert.deepEqual(events, ['switchTo(false)', 'off() resolved', 'switchTo(true)', 'on() resolved']);
    assert.equal(relay.isOn, true);
    await power.close();
  });

  it('status() asks with an empty payload and reflects the state, without switching', async () => {
    const events: string[] = [];
    await simulatedRelay('relay2', events, false);
    const power = new TasmotaPower({ client: await client('controller'), relay: 'relay2' }); // subscribes on first call
    assert.equal(await power.status(), 'off');
    await power.on();
    assert.equal(await power.status(), 'on');
    await power.off();
    assert.equal(await power.status(), 'off');
    assert.deepEqual(events, ['switchTo(true)', 'switchTo(false)']);
    await power.close();
  });

  it('carries out calls made together one at a time, in order', async () => {
    const events: string[] = [];
    await simulatedRelay('relay3', events);
    const power = new TasmotaPower({ client: await client('controller'), relay: 'relay3' });
    const states = await Promise.all([power.off(), power.status(), power.on(), power.status()]);
    assert.deepEqual(states.slice(1), ['off', undefined, 'on']);
    assert.deepEqual(events, ['switchTo(false)', 'switchTo(true)']);
    await power.close();
  });

  it('is a RigFault naming the relay, its topic and the broker when no relay answers', async () => {
    const power = new TasmotaPower({ client: await client('controller'), relay: 'absent', timeoutMs: 300 });
    await assert.rejects(power.off(), (error: Error) => {
      assert.ok(error instanceof RigFault);
      assert.equal(
        error.message,
        `power relay "absent" did not answer OFF on stat/absent/POWER within 300 ms (is it on the broker ${broker.url}?)`,
      );
      return true;
    });
    await assert.rejects(power.status(), /power relay "absent" did not answer its state on stat\/absent\/POWER/);
    await power.close();
    await assert.rejects(
      power.on(),
      (error: Error) => error instanceof RigFault && /"absent" is closed/.test(error.message),
    );
  });

  it('refuses a relay name that is not one topic level', () => {
    assert.throws(
      () => new TasmotaPower({ client: {} as MqttClient, relay: 'lab/relay7' }),
      (error: Error) => error instanceof RigFault && /power relay "lab\/relay7"/.test(error.message),
    );
  });

  it('the simulated relay ignores a command it does not know', async () => {
    const events: string[] = [];
    const relay = await simulatedRelay('relay4', events);
    const controller = await client('controller');
    const power = await TasmotaPower.open({ client: controller, relay: 'relay4' });
    const { command } = relayTopics('relay4');
    // the same client publishes the garbage and then the question: the relay hears them in this order
    for (const garbage of ['garbage', 'OFFF', 'ON please', '{"POWER":"OFF"}'])
      await publish(controller, command, garbage);
    assert.equal(await power.status(), 'on');
    await publish(controller, command, 'toggle'); // Tasmota's words are read in any case
    assert.equal(await power.status(), 'off');
    assert.deepEqual(events, ['switchTo(false)']);
    assert.equal(relay.isOn, false);
    await power.close();
  });

  it('TasmotaPower ignores a state payload it does not know and reads ON/OFF in any case', async () => {
    const power = await TasmotaPower.open({ client: await client('controller'), relay: 'manual' });
    const { command, state } = relayTopics('manual');
    const hand = await client('relay-manual'); // a relay played by hand
    await subscribe(hand, [command], 'test relay');
    const asked = new Promise<[string, Buffer]>((resolve) =>
      hand.once('message', (topic, payload) => resolve([topic, payload])),
    );
    const answer = power.status();
    const [topic, payload] = await asked;
    assert.deepEqual([topic, payload.toString()], [command, '']);
    await publish(hand, state, 'bogus');
    await publish(hand, state, '0'); // Tasmota says ON or OFF, never 0
    await publish(hand, state, 'On');
    assert.equal(await answer, 'on');
    await power.close();
  });
});

describe("the broker's relay role", () => {
  it("refuses a relay publishing another relay's state, and the state reaches no one", async () => {
    await simulatedRelay('relay5', []);
    const controller = await client('controller');
    const power = await TasmotaPower.open({ client: controller, relay: 'relay5' });
    const heard: string[] = [];
    // on the power's own client: what it hears, in order, up to its answer
    controller.on('message', (_topic, payload: Buffer) => heard.push(payload.toString()));
    const rogue = await client('relay-relay6');
    const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()));
    rogue.publish(relayTopics('relay5').state, 'OFF', { qos: 1 });
    await closed; // MQTT 3.1.1 has no refusal code for a publish: the broker drops the connection
    assert.ok(broker.refusals.includes('publish by relay-relay6 to stat/relay5/POWER'));
    assert.equal(await power.status(), 'on'); // relay5's own answer is the first state anyone heard
    assert.deepEqual(heard, ['ON']);
    await power.close();
  });

  it("refuses a relay subscribing to another relay's commands", async () => {
    const relay = await client('relay-relay6');
    await assert.rejects(subscribe(relay, [relayTopics('relay5').command], 'test'), /refused the subscription/);
    await assert.rejects(subscribe(relay, [relayTopics('+').command], 'test'), /refused the subscription/);
    await subscribe(relay, [relayTopics('relay6').command], 'test'); // its own: allowed
  });
});
