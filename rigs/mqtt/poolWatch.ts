// Watches the terminals of a pool on the broker: each one's retained lease state and status. A worker that found every
// terminal taken waits on it for one to become available (a busy one's lease turning `free`, an offline one's status
// turning `online`: link.lease.waitMs), so `--parallel` and CI shards may outnumber the pool; `posrig doctor` reads
// what each terminal's agent says.
//   const watch = await PoolWatch.open(client, ['LAB00007', 'LAB00008']);  … try to lease …
//   await watch.availableAgain(['LAB00007'], 60_000);  watch.close();

import type { MqttClient } from 'mqtt';
import { subscribeAll } from '../../protocols/mqtt/mqttEcrLink.ts';
import { ecrTopics } from '../../protocols/mqtt/topics.ts';

export class PoolWatch {
  private readonly heard = new Set<string>();
  /** The last payload on each topic: a retained message sent again (a new subscription) is no change. */
  private readonly last = new Map<string, string>();
  /** Called after every message of the pool. */
  private readonly listeners = new Set<() => void>();
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

  /** The last payload on a topic of the pool (its retained lease state or status), if any came. */
  lastOn(topic: string): string | undefined {
    return this.last.get(topic);
  }

  /** Resolves once every topic of the pool has said something, or after waitMs: a terminal no agent ever served has
   * no retained status, and nothing says so, hence the bound. */
  async heardAll(waitMs: number): Promise<void> {
    await this.until(() => [...this.topics.keys()].every((topic) => this.last.has(topic)), waitMs);
  }

  /** Forgets the changes heard so far: the next attempt is about to see the pool as it is now. */
  reset(): void {
    this.heard.clear();
  }

  /** Resolves true once one of these terminals was said free or online since the last reset, false after waitMs. */
  availableAgain(terminals: readonly string[], waitMs: number): Promise<boolean> {
    return this.until(() => terminals.some((tid) => this.heard.has(tid)), waitMs);
  }

  close(): void {
    this.client.removeListener('message', this.onMessage);
    this.listeners.clear();
  }

  /** True as soon as `holds` does (now or after a message), false after waitMs. */
  private until(holds: () => boolean, waitMs: number): Promise<boolean> {
    if (holds()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const end = (result: boolean) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(result);
      };
      const check = () => {
        if (holds()) end(true);
      };
      const timer = setTimeout(() => end(false), waitMs);
      this.listeners.add(check);
    });
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
    for (const listener of [...this.listeners]) listener();
  }
}
