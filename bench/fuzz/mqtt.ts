// Fuzz target 'mqtt': what arrives from a broker — publishes on a terminal's topics through MqttEcrLink (harness and
// terminal side, over a stand-in client), lease requests through parseLeaseRequest, and user names, topics and
// filters through the ACL (mayPublish, maySubscribe).
//   runTarget(mqttTarget, { inputs: 1000, seed: 1 })
// Properties: the link never throws out of the client's 'message' listener; its faults are MqttLinkError or
// EcrMessageError; a message id is delivered once per terminal session (a retained 'online' starts a new one), any
// other topic is ignored; parseLeaseRequest returns a request or throws LeaseRequestError; the ACL answers a boolean
// and never lets anyone publish to a topic with a wildcard.

import fc from 'fast-check';
import { type EcrMessage, EcrMessageError, parseEcrMessage } from '../../protocols/ecr/index.ts';
import { mayPublish, maySubscribe } from '../../protocols/mqtt/acl.ts';
import { LeaseRequestError, parseLeaseRequest } from '../../protocols/mqtt/lease.ts';
import { MqttEcrLink, MqttLinkError, type MqttPort } from '../../protocols/mqtt/mqttEcrLink.ts';
import { ecrTopics, MAX_MQTT_PAYLOAD } from '../../protocols/mqtt/topics.ts';
import { largeBytes, mutate, mutations, someBytes } from './bytes.ts';
import { ecrMessage } from './ecrMessageValues.ts';
import { type FuzzTarget, holds, neverThrows, PropertyFailure, typedOutcome } from './target.ts';

const TID = 'T0000001';
const TOPICS = ecrTopics(TID);

export interface Publish {
  readonly topic: 'cmd' | 'evt' | 'status' | 'other';
  readonly payload: Uint8Array;
}

export type MqttInput =
  | { readonly kind: 'link'; readonly side: 'harness' | 'terminal'; readonly publishes: readonly Publish[] }
  | { readonly kind: 'lease'; readonly payload: string | Uint8Array }
  | { readonly kind: 'acl'; readonly username: string | undefined; readonly topic: string; readonly clientId: string };

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

const payload: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: ecrMessage.map((m) => utf8(JSON.stringify(m))) },
  { weight: 1, arbitrary: fc.constantFrom('online', 'offline', 'Online', '').map(utf8) },
  { weight: 2, arbitrary: fc.tuple(ecrMessage, mutations).map(([m, edits]) => mutate(utf8(JSON.stringify(m)), edits)) },
  { weight: 1, arbitrary: someBytes(32) },
  { weight: 1, arbitrary: largeBytes(MAX_MQTT_PAYLOAD - 1, MAX_MQTT_PAYLOAD + 2) },
);

const publish: fc.Arbitrary<Publish> = fc.record({
  topic: fc.constantFrom('cmd', 'evt', 'status', 'other'),
  payload,
});

const leasePayload = fc.oneof(
  fc
    .record(
      {
        op: fc.constantFrom('acquire', 'heartbeat', 'release', 'other'),
        session: fc.string({ maxLength: 210 }),
        holder: fc.string(),
        client: fc.string(),
        timeoutMs: fc.oneof(fc.integer(), fc.double(), fc.constant(30_000)),
      },
      { requiredKeys: [] },
    )
    .map((r) => JSON.stringify(r)),
  fc.json({ maxDepth: 2 }),
  someBytes(24),
);

const levels = fc.oneof(
  fc.constantFrom('posrig', 'v1', TID, 'cmd', 'evt', 'status', '+', '#', '', 'cmnd', 'POWER'),
  fc.string({ maxLength: 6 }),
);
const topic = fc.array(levels, { minLength: 1, maxLength: 6 }).map((l) => l.join('/'));
const username = fc.option(
  fc.oneof(
    fc.constantFrom(
      'controller',
      'controller-ci',
      `terminal-${TID}`,
      'terminal-+',
      'relay-r1',
      'terminal-',
      'relay-a/b',
    ),
    fc.string({ maxLength: 12 }),
  ),
  { nil: undefined },
);

const input: fc.Arbitrary<MqttInput> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('link'),
      side: fc.constantFrom('harness', 'terminal'),
      publishes: fc.array(publish, { maxLength: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lease'), payload: leasePayload }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('acl'), username, topic, clientId: fc.string({ maxLength: 8 }) }),
  },
) as fc.Arbitrary<MqttInput>;

/** The part of an MQTT client the link uses: subscriptions granted at once, publishes acknowledged at once. */
class StandInClient implements MqttPort {
  listener: ((topic: string, payload: Buffer) => void) | undefined;
  publish(_t: string, _p: string | Buffer, _o: unknown, callback: (error?: Error) => void): void {
    callback();
  }
  subscribe(
    topics: string[],
    _o: unknown,
    callback: (e: Error | null, g?: Array<{ topic: string; qos: number }>) => void,
  ): void {
    callback(
      null,
      topics.map((t) => ({ topic: t, qos: 1 })),
    );
  }
  unsubscribe(): void {}
  on(_event: 'message', listener: (topic: string, payload: Buffer) => void): void {
    this.listener = listener;
  }
  removeListener(): void {
    this.listener = undefined;
  }
}

/** One link per side, opened once: a fuzz input is synchronous, and each starts a session of its own (see below). */
async function openLink(side: 'harness' | 'terminal'): Promise<{ client: StandInClient; link: MqttEcrLink }> {
  const client = new StandInClient();
  const link = await MqttEcrLink.open(client, { terminalId: TID, side });
  return { client, link };
}

const links = { harness: await openLink('harness'), terminal: await openLink('terminal') };
const MESSAGE_ERRORS = [MqttLinkError, EcrMessageError];
let sessions = 0;

function checkLink(side: 'harness' | 'terminal', publishes: readonly Publish[]): void {
  const { client, link } = links[side];
  const heard: EcrMessage[] = [];
  const faults: Error[] = [];
  const onMessage = (m: EcrMessage) => heard.push(m);
  const onFault = (e: Error) => faults.push(e);
  link.on('message', onMessage).on('fault', onFault);
  const incoming = side === 'harness' ? 'evt' : 'cmd';
  const want: string[] = [];
  // Each input is a new session: the harness side forgets ids on 'online'; the terminal side gets fresh ids.
  sessions += 1;
  const session = `${sessions}:`;
  const seen = new Set<string>();
  try {
    if (side === 'harness') client.listener?.(TOPICS.status, Buffer.from('online'));
    for (const p of publishes) {
      let bytes: Buffer = Buffer.from(p.payload);
      if (side === 'terminal' && p.topic === 'cmd') bytes = withSession(bytes, session);
      const topicName = p.topic === 'other' ? 'posrig/v1/other/evt' : TOPICS[p.topic];
      client.listener?.(topicName, bytes);
      if (p.topic === 'status' && side === 'harness' && bytes.toString('utf8') === 'online') seen.clear();
      if (p.topic !== incoming || bytes.length > MAX_MQTT_PAYLOAD) continue;
      let message: EcrMessage;
      try {
        message = parseEcrMessage(bytes);
      } catch {
        continue;
      }
      if (!seen.has(message.id)) want.push(message.id);
      seen.add(message.id);
    }
  } catch (error) {
    const thrown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new PropertyFailure(`MqttEcrLink threw ${thrown} out of the client's message listener`);
  } finally {
    link.removeListener('message', onMessage).removeListener('fault', onFault);
  }
  for (const fault of faults) {
    holds(
      MESSAGE_ERRORS.some((c) => fault instanceof c),
      () => `fault of class ${fault.constructor.name}: ${fault.message}`,
    );
  }
  const got = heard.map((m) => m.id);
  holds(
    JSON.stringify(got) === JSON.stringify(want),
    () => `delivered ids ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
  );
}

/** A command's id prefixed with this input's session, so ids of earlier inputs do not count as repeats. */
function withSession(bytes: Buffer, session: string): Buffer {
  try {
    const value = JSON.parse(bytes.toString('utf8'));
    if (value && typeof value === 'object' && typeof value.id === 'string') {
      value.id = `${session}${value.id}`.slice(0, 64);
      return Buffer.from(JSON.stringify(value), 'utf8');
    }
  } catch {
    // not JSON: as it came
  }
  return bytes;
}

function check(item: MqttInput): undefined {
  if (item.kind === 'link') checkLink(item.side, item.publishes);
  else if (item.kind === 'lease') {
    const bytes = typeof item.payload === 'string' ? item.payload : Buffer.from(item.payload);
    typedOutcome(() => parseLeaseRequest(bytes), LeaseRequestError, 'parseLeaseRequest');
  } else {
    const publish = neverThrows(() => mayPublish(item.username, item.topic, item.clientId), 'mayPublish');
    const subscribe = neverThrows(() => maySubscribe(item.username, item.topic), 'maySubscribe');
    holds(typeof publish === 'boolean' && typeof subscribe === 'boolean', 'ACL answered a non-boolean');
    holds(
      !(publish && /[+#]/.test(item.topic)),
      () => `${item.username} may publish to the wildcard topic ${item.topic}`,
    );
  }
  return undefined;
}

export const mqttTarget: FuzzTarget<MqttInput> = {
  name: 'mqtt',
  what: 'publishes on cmd/evt/status (messages, mutated, junk, oversize) → MqttEcrLink; lease requests; ACL topics',
  arbitrary: input,
  check,
};
