// The bare broker, for comparison with the terminals on it: a controller client publishes at QoS 1 on
// posrig/v1/{TID}/cmd, a terminal-{TID} client subscribed there echoes each payload at QoS 1 on posrig/v1/{TID}/evt,
// and the controller hears it: one round trip = two QoS 1 publications through aedes (with the ACL checks), timed
// from publish() to the echo's arrival. `pairs` pairs run at once, each doing `perPair` round trips one after another.
//   const row = await roundTrips(broker, { pairs: 100, perPair: 50 });

import { performance } from 'node:perf_hooks';
import type { MqttClient } from 'mqtt';
import { ecrTopics } from '../protocols/mqtt/topics.ts';
import { connectBroker, endClient, subscribe } from '../rigs/mqtt/brokerClient.ts';
import type { EmbeddedBroker } from '../rigs/mqtt/embeddedBroker.ts';
import { type Row, startMeter } from './mqttStats.ts';

interface Pair {
  readonly controller: MqttClient;
  readonly terminal: MqttClient;
  readonly cmd: string;
}

/** A payload of the size of a typical ECR message (an `input.card` with track 2). */
const PAYLOAD = JSON.stringify({
  type: 'echo',
  id: 'x'.repeat(12),
  pad: 'p'.repeat(120),
});

export async function roundTrips(broker: EmbeddedBroker, options: { pairs: number; perPair: number }): Promise<Row> {
  const pairs = await Promise.all(Array.from({ length: options.pairs }, (_, i) => openPair(broker, i)));
  try {
    await Promise.all(pairs.map((pair) => loop(pair, 5))); // warm-up, not counted
    const times: number[] = [];
    const meter = startMeter();
    await Promise.all(pairs.map(async (pair) => times.push(...(await loop(pair, options.perPair)))));
    const spent = meter.stop();
    return {
      what: `bare aedes QoS 1 round trip, ${options.pairs} pair${options.pairs === 1 ? '' : 's'}`,
      count: times.length,
      spent,
      times,
      messages: times.length * 2,
    };
  } finally {
    await Promise.all(pairs.flatMap((pair) => [endClient(pair.controller), endClient(pair.terminal)]));
  }
}

async function openPair(broker: EmbeddedBroker, index: number): Promise<Pair> {
  const tid = `E${String(index + 1).padStart(7, '0')}`;
  const topics = ecrTopics(tid);
  const what = `bench echo ${tid}`;
  const terminal = await connectBroker(
    { url: broker.url, username: `terminal-${tid}`, password: broker.secret },
    { clientId: `bench-echo-t-${tid}`, what },
  );
  await subscribe(terminal, [topics.cmd], what);
  terminal.on('message', (topic, payload) => {
    if (topic === topics.cmd) terminal.publish(topics.evt, payload, { qos: 1 });
  });
  const controller = await connectBroker(
    { url: broker.url, username: 'controller', password: broker.secret },
    { clientId: `bench-echo-c-${tid}`, what },
  );
  await subscribe(controller, [topics.evt], what);
  return { controller, terminal, cmd: topics.cmd };
}

/** `count` round trips one after another; milliseconds of each. */
function loop(pair: Pair, count: number): Promise<number[]> {
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    let started = 0;
    const next = () => {
      if (times.length === count) {
        pair.controller.removeListener('message', heard);
        resolve(times);
        return;
      }
      started = performance.now();
      pair.controller.publish(pair.cmd, PAYLOAD, { qos: 1 }, (error) => {
        if (error) reject(error);
      });
    };
    const heard = () => {
      times.push(performance.now() - started);
      next();
    };
    pair.controller.on('message', heard);
    next();
  });
}
