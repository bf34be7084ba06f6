// `posrig doctor` on a rig with a pool (terminal.link.terminals): the rig leases one terminal, so this check looks at
// every terminal of the pool on the broker — its agent's retained status and lease — and fails on one no agent serves.
//   await checkPool(rigFile)  → "✔ pool  LAB00007 online, leased by ci-3 …; LAB00008 online, free"

import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { subscribeAll } from '../../protocols/mqtt/mqttEcrLink.ts';
import { ecrTopics } from '../../protocols/mqtt/topics.ts';
import type { RigFile } from '../file/rigFile.ts';
import { brokerAccess } from '../mqtt/brokerAccess.ts';
import { connectBroker, endClient } from '../mqtt/brokerClient.ts';
import { type Check, failed, passed, reasonOf } from './check.ts';

/** How long the retained messages of the pool may take to arrive after the subscription. */
const RETAINED_WAIT_MS = 1000;

/** The pool check, or undefined for a rig without a pool. */
export async function checkPool(rig: RigFile): Promise<Check | undefined> {
  const link = rig.terminal.link;
  if (link.kind !== 'mqtt' || !link.terminals || link.broker === 'embedded') return undefined;
  const access = brokerAccess({ url: link.broker, ...(link.tls ? { tls: link.tls } : {}) }, { kind: 'controller' });
  let client: MqttClient;
  try {
    client = await connectBroker(access, {
      clientId: `posrig-doctor-${process.pid}-${randomBytes(3).toString('hex')}`,
      what: 'posrig doctor',
    });
  } catch (error) {
    return failed('pool', reasonOf(error), 'check the broker URL, POSRIG_MQTT_USERNAME and POSRIG_MQTT_PASSWORD');
  }
  try {
    const heard = await retained(client, link.terminals);
    const lines = link.terminals.map((tid) =>
      describe(tid, heard.get(ecrTopics(tid).status), heard.get(ecrTopics(tid).lease)),
    );
    const unserved = link.terminals.filter((tid) => heard.get(ecrTopics(tid).status) !== 'online');
    if (unserved.length === 0) return passed('pool', lines.join('; '));
    return failed(
      'pool',
      lines.join('; '),
      `start \`posrig agent --terminal ${unserved.join('` / `--terminal ')}\` on the PC each is plugged into (cli/README.md "posrig agent")`,
    );
  } finally {
    await endClient(client);
  }
}

/** The retained status and lease of every terminal (the last payload on each topic). */
async function retained(client: MqttClient, terminals: readonly string[]): Promise<Map<string, string>> {
  const topics = terminals.flatMap((tid) => [ecrTopics(tid).status, ecrTopics(tid).lease]);
  const heard = new Map<string, string>();
  let all: () => void = () => {};
  const complete = new Promise<void>((resolve) => {
    all = resolve;
  });
  const onMessage = (topic: string, payload: Buffer) => {
    if (!topics.includes(topic)) return;
    heard.set(topic, payload.toString('utf8'));
    if (topics.every((each) => heard.has(each))) all();
  };
  client.on('message', onMessage);
  try {
    await subscribeAll(client, topics, 'posrig doctor');
    // a terminal no agent ever served has no retained status: nothing comes, so the wait is bounded
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([complete, new Promise<void>((resolve) => (timer = setTimeout(resolve, RETAINED_WAIT_MS)))]);
    clearTimeout(timer);
    return heard;
  } finally {
    client.removeListener('message', onMessage);
  }
}

function describe(tid: string, status: string | undefined, lease: string | undefined): string {
  if (status === undefined) return `${tid} no status (no agent has ever connected for it)`;
  if (status !== 'online') return `${tid} ${status}`;
  return `${tid} online, ${leaseWords(lease)}`;
}

function leaseWords(lease: string | undefined): string {
  try {
    const state = JSON.parse(lease ?? '') as { state?: string; holder?: string; since?: string };
    // the rig doctor started holds one: its holder names this process
    if (state.state === 'leased' && state.holder?.includes(` pid ${process.pid} `)) return 'leased by this doctor';
    if (state.state === 'leased') return `leased by ${state.holder} since ${state.since}`;
    if (state.state === 'free') return 'free';
  } catch {
    // not JSON: said below
  }
  return 'lease unknown';
}
