// The controller side of terminal leases (docs/protocol.md section 12.3): takes the first terminal of a pool whose
// `posrig agent` is online and grants a lease, keeps it with heartbeats, and says when it is lost. The client is the
// rig's, connected as a controller with its last will `offline` on controllerTopic(clientId) (retain false): the
// agent ends the lease when the broker publishes that will.
//   const lease = await leaseTerminal({ client, clientId, candidates: ['LAB00007', 'LAB00008'], holder: 'ci-3',
//     timeoutMs: 30_000 });
//   lease.terminalId;  lease.onLost((why) => …);  await lease.release();

import { randomUUID } from 'node:crypto';
import type { ISubscriptionMap, MqttClient } from 'mqtt';
import type { LeaseReply, LeaseRequest } from '../../protocols/mqtt/lease.ts';
import { subscriptionFailure } from '../../protocols/mqtt/mqttEcrLink.ts';
import { ecrTopics, topicLevelProblem } from '../../protocols/mqtt/topics.ts';
import { RigFault } from '../verdict/culprit.ts';
import { publish } from './brokerClient.ts';
import { PoolWatch } from './poolWatch.ts';

export interface LeaseTerminalOptions {
  /** Connected as a controller, created with the will { topic: controllerTopic(clientId), payload: 'offline' }. */
  readonly client: MqttClient;
  /** The client's MQTT client id: the agent watches its will. */
  readonly clientId: string;
  /** TIDs, tried in this order. */
  readonly candidates: readonly string[];
  /** Who asks, for people: "ci-runner-3 (pid 4242)". */
  readonly holder: string;
  /** Without a heartbeat for this long the agent ends the lease; heartbeats go every timeoutMs / 3. */
  readonly timeoutMs: number;
  /** How long an agent may take to answer an acquire (default 5000 ms). */
  readonly answerMs?: number;
  /** How long to wait for a terminal of the pool to free (or come online) when none could be leased (default 0). */
  readonly waitMs?: number;
}

export interface HeldLease {
  readonly terminalId: string;
  /** Stops the heartbeats and gives the terminal back (no answer is awaited). */
  release(): Promise<void>;
  /** Calls back once when the lease is lost: the agent went offline, or it says the lease ended. */
  onLost(listener: (why: string) => void): void;
}

/** How long to wait for a candidate's retained status after the broker granted the subscription. */
const STATUS_WAIT_MS = 1000;

/** Leases the first candidate that is online and free; a RigFault lists every candidate and why it was not taken. */
export async function leaseTerminal(options: LeaseTerminalOptions): Promise<HeldLease> {
  const { timeoutMs } = options;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 3_600_000)
    throw new RangeError(`a lease timeout is a whole number of ms from 100 to 3600000, got ${timeoutMs}`);
  const waitMs = options.waitMs ?? 0;
  const deadline = Date.now() + waitMs;
  const watch = waitMs > 0 ? await PoolWatch.open(options.client, options.candidates) : undefined;
  try {
    for (;;) {
      watch?.reset(); // what is retained now is what this round finds; only a change after it counts
      const reasons: string[] = [];
      for (const terminalId of options.candidates) {
        const attempt = await tryCandidate(options, terminalId);
        if (typeof attempt !== 'string') return attempt;
        reasons.push(`${terminalId} ${attempt}`);
      }
      const why = reasons.length > 0 ? reasons.join('; ') : 'the pool names no terminal';
      const left = deadline - Date.now();
      if (!watch || left <= 0 || !(await watch.availableAgain(options.candidates, left)))
        throw new RigFault(
          `no terminal of the pool could be leased${waitMs > 0 ? ` within ${waitMs} ms` : ''}: ${why}`,
        );
    }
  } finally {
    watch?.close();
  }
}

/** The lease of one candidate, or why it was not taken ("busy: leased by …", "offline"). */
async function tryCandidate(options: LeaseTerminalOptions, terminalId: string): Promise<HeldLease | string> {
  const problem = topicLevelProblem(terminalId);
  if (problem) return `is no TID: ${problem}`;
  const { client } = options;
  const topics = ecrTopics(terminalId);
  const answerMs = options.answerMs ?? 5000;
  const session = randomUUID();
  const heard = new Inbox(client, topics.status, topics.leaseReply, session);
  let held = false;
  try {
    try {
      await subscribeAfresh(client, [topics.status, topics.leaseReply], `the lease of ${terminalId}`);
    } catch (error) {
      return `cannot be asked: ${(error as Error).message}`;
    }
    const status = await heard.status(STATUS_WAIT_MS);
    if (status === undefined) return 'no status: no agent has ever connected for it';
    if (status !== 'online') return status === 'offline' ? 'offline' : `status ${JSON.stringify(status.slice(0, 40))}`;
    const acquire: LeaseRequest = {
      op: 'acquire',
      session,
      holder: options.holder,
      client: options.clientId,
      timeoutMs: options.timeoutMs,
    };
    const answer = heard.reply(answerMs); // listening before asking: the reply may come before the PUBACK
    try {
      await publish(client, topics.leaseRequest, JSON.stringify(acquire));
    } catch (error) {
      return `cannot be asked: ${(error as Error).message}`;
    }
    const reply = await answer;
    if (!reply) return `no answer to the lease request within ${answerMs} ms: is it behind a posrig agent?`;
    // an agent refuses with busyText ('leased by …') or with its own words ('refused: …')
    if (!reply.granted) return /^leased by /.test(reply.busy) ? `busy: ${reply.busy}` : reply.busy;
    held = true;
    return new Lease(options, terminalId, session, heard);
  } finally {
    if (!held) {
      // Both topics stay subscribed: MQTT subscriptions are not counted (another part of the rig may hear the status),
      // and a broker may handle an UNSUBSCRIBE after the next attempt's SUBSCRIBE (aedes does): its reply would be lost.
      heard.close();
    }
  }
}

/** A lease granted: heartbeats, the watch on the agent, release. */
class Lease implements HeldLease {
  private readonly heartbeats: NodeJS.Timeout;
  private readonly listeners: Array<(why: string) => void> = [];
  private lost: string | undefined;
  private released = false;

  constructor(
    private readonly options: LeaseTerminalOptions,
    readonly terminalId: string,
    private readonly session: string,
    private readonly heard: Inbox,
  ) {
    const topic = ecrTopics(terminalId).leaseRequest;
    const beat = JSON.stringify({ op: 'heartbeat', session } satisfies LeaseRequest);
    // a heartbeat that cannot go out now is not lost: the client reconnects, and a lease that expired meanwhile is
    // reported by the agent's answer to the next one
    this.heartbeats = setInterval(() => publish(options.client, topic, beat).catch(() => {}), options.timeoutMs / 3);
    this.heartbeats.unref();
    heard.onStatus((status) => {
      if (status === 'offline') this.lose(`the agent of ${terminalId} went offline`);
    });
    heard.onReply((reply) => {
      if (!reply.granted) this.lose(`the agent of ${terminalId} ended the lease: ${reply.busy}`);
    });
  }

  onLost(listener: (why: string) => void): void {
    if (this.lost !== undefined) {
      const why = this.lost;
      queueMicrotask(() => listener(why));
      return;
    }
    this.listeners.push(listener);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.heartbeats);
    this.heard.close();
    const topics = ecrTopics(this.terminalId);
    // the status and reply topics stay subscribed (see tryCandidate): the rig's link may listen to the status
    if (this.lost !== undefined) return;
    const release = JSON.stringify({ op: 'release', session: this.session } satisfies LeaseRequest);
    await publish(this.options.client, topics.leaseRequest, release);
  }

  private lose(why: string): void {
    if (this.lost !== undefined || this.released) return;
    this.lost = why;
    clearInterval(this.heartbeats);
    for (const listener of this.listeners.splice(0)) listener(why);
  }
}

/** What one candidate's agent says: its retained status and the replies naming one session. */
class Inbox {
  private lastStatus: string | undefined;
  private readonly statusListeners: Array<(status: string) => void> = [];
  private readonly replyListeners: Array<(reply: LeaseReply) => void> = [];
  private readonly onMessage = (topic: string, payload: Buffer): void => this.receive(topic, payload);

  constructor(
    private readonly client: MqttClient,
    private readonly statusTopic: string,
    private readonly replyTopic: string,
    private readonly session: string,
  ) {
    client.on('message', this.onMessage);
  }

  /** The retained status, once it came (undefined when none came within waitMs). */
  status(waitMs: number): Promise<string | undefined> {
    if (this.lastStatus !== undefined) return Promise.resolve(this.lastStatus);
    return this.next(this.statusListeners, waitMs);
  }

  /** The agent's reply to this session's acquire (undefined when none came within waitMs). */
  reply(waitMs: number): Promise<LeaseReply | undefined> {
    return this.next(this.replyListeners, waitMs);
  }

  onStatus(listener: (status: string) => void): void {
    this.statusListeners.push(listener);
  }

  onReply(listener: (reply: LeaseReply) => void): void {
    this.replyListeners.push(listener);
  }

  close(): void {
    this.client.removeListener('message', this.onMessage);
    this.statusListeners.length = 0;
    this.replyListeners.length = 0;
  }

  private next<T>(listeners: Array<(value: T) => void>, waitMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const done = (value: T | undefined) => {
        clearTimeout(timer);
        const at = listeners.indexOf(listener);
        if (at >= 0) listeners.splice(at, 1);
        resolve(value);
      };
      const listener = (value: T) => done(value);
      const timer = setTimeout(() => done(undefined), waitMs);
      listeners.push(listener);
    });
  }

  private receive(topic: string, payload: Buffer): void {
    if (topic === this.statusTopic) {
      this.lastStatus = payload.toString('utf8');
      for (const listener of [...this.statusListeners]) listener(this.lastStatus);
      return;
    }
    if (topic !== this.replyTopic) return;
    const reply = parseReply(payload);
    if (reply?.session !== this.session) return; // another controller's, or not a reply
    for (const listener of [...this.replyListeners]) listener(reply);
  }
}

/** Subscribes at QoS 1 even to topics the client already has (mqtt.js would skip them), so that the broker sends
 * their retained messages again: a status heard earlier on this client is not heard twice otherwise. */
function subscribeAfresh(client: MqttClient, topics: string[], what: string): Promise<void> {
  const map = {
    ...Object.fromEntries(topics.map((topic) => [topic, { qos: 1 }])),
    resubscribe: true,
  } as ISubscriptionMap;
  return new Promise((resolve, reject) => {
    client.subscribe(map, (error, granted) => {
      const failure = subscriptionFailure(topics, what, error, granted);
      if (failure) reject(failure);
      else resolve();
    });
  });
}

/** A lease reply, or undefined for a payload that is none. */
function parseReply(payload: Buffer): LeaseReply | undefined {
  try {
    const value = JSON.parse(payload.toString('utf8')) as Partial<Record<keyof LeaseReply | 'busy' | 'since', unknown>>;
    if (typeof value.session !== 'string') return undefined;
    if (value.granted === true && typeof value.since === 'string')
      return { session: value.session, granted: true, since: value.since };
    if (value.granted === false && typeof value.busy === 'string')
      return { session: value.session, granted: false, busy: value.busy };
  } catch {
    // not JSON: not a reply
  }
  return undefined;
}
