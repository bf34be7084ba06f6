// `posrig doctor` on a rig with a pool (terminal.link.terminals): the rig leases one terminal, so this check looks at
// every terminal of the pool on the broker — its agent's retained status and lease — and fails on one no agent serves.
//   await checkPool(rigFile)  → "✔ pool  LAB00007 online, leased by ci-3 …; LAB00008 online, free"

import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { ecrTopics } from '../../protocols/mqtt/topics.ts';
import type { RigFile } from '../file/rigFile.ts';
import { brokerAccess } from '../mqtt/brokerAccess.ts';
import { connectBroker, endClient } from '../mqtt/brokerClient.ts';
import { PoolWatch } from '../mqtt/poolWatch.ts';
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
  const watch = await PoolWatch.open(client, link.terminals).catch((error: unknown) => error as Error);
  try {
    if (watch instanceof Error)
      return failed('pool', reasonOf(watch), "check the broker's ACL for the controller (docs/protocol.md 12.4)");
    await watch.heardAll(RETAINED_WAIT_MS);
    const status = (tid: string) => watch.lastOn(ecrTopics(tid).status);
    const lines = link.terminals.map((tid) => describe(tid, status(tid), watch.lastOn(ecrTopics(tid).lease)));
    const unserved = link.terminals.filter((tid) => status(tid) !== 'online');
    if (unserved.length === 0) return passed('pool', lines.join('; '));
    return failed(
      'pool',
      lines.join('; '),
      `start \`posrig agent --terminal ${unserved.join('` / `--terminal ')}\` on the PC each is plugged into (cli/README.md "posrig agent")`,
    );
  } finally {
    if (!(watch instanceof Error)) watch.close();
    await endClient(client);
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
