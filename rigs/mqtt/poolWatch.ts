// Watches the terminals of a pool for one to become available: a busy one's retained lease state turning `free`, an
// offline one's status turning `online`. A worker that found every terminal taken waits on it (link.lease.waitMs)
// instead of failing at once, so `--parallel` and CI shards may outnumber the pool.
//   const watch = await PoolWatch.open(client, ['LAB00007', 'LAB00008']);  … try to lease …
//   await watch.availableAgain(['LAB00007'], 60_000);  watch.close();

import type { MqttClient } from 'mqtt';
import { subscribeAll } from '../../protocols/mqtt/mqttEcrLink.ts';
import { ecrTopics } from '../../protocols/mqtt/topics.ts';

export class PoolWatch {
  private readonly heard = new Set<string>();
  /** The last payload on each topic: a retained message sent again (a new subscription) is no change. */
  private readonly last = new Map<string, string>();
  private wake: (() => void) | undefined;
  private readonly onMessage = (topic: string, payload: Buffer): void => this.receive(topic, payload);
  private readonly topics: Map<string, string>;

  private constructor(
    private readonly client: MqttClient,
    terminals: readonly string[],
  ) {
    this.topics = new Map(
      terminals.flatMap((tid) => [
        [ecrTopics(tid).lease, tid],
        [ecrTopics(tid).status, tid],
      ]),
    );
    client.on('message', this.onMessage);
  }

  /** Listens to the pool's lease states and statuses (before the attempt, so that nothing in between is missed). */
  static async open(client: MqttClient, terminals: readonly string[]): Promise<PoolWatch> {
    const watch = new PoolWatch(client, terminals);
    await subscribeAll(client, [...watch.topics.keys()], 'the pool watch');
    return watch;
  }

  /** Forgets the changes heard so far: the next attempt is about to see the pool as it is now. */
  reset(): void {
    this.heard.clear();
  }

  /** Resolves true once one of these terminals was said free or online since the last reset, false after waitMs. */
  availableAgain(terminals: readonly string[], waitMs: number): Promise<boolean> {
    if (terminals.some((tid) => this.heard.has(tid))) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, waitMs);
      this.wake = () => {
        if (!terminals.some((tid) => this.heard.has(tid))) return;
        clearTimeout(timer);
        this.wake = undefined;
        resolve(true);
      };
    });
  }

  close(): void {
    this.client.removeListener('message', this.onMessage);
  }

  private receive(topic: string, payload: Buffer): void {
    const tid = this.topics.get(topic);
    if (!tid) return;
    const text = payload.toString('utf8');
    const before = this.last.get(topic);
    this.last.set(topic, text);
    const available = text === 'online' || /"state"\s*:\s*"free"/.test(text);
    // only a change counts: the first message on a topic is the state the attempt already found
    if (available && before !== undefined && before !== text) this.heard.add(tid);
    this.wake?.();
  }
}
