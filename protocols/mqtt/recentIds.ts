// The ids a receiver has processed, as QoS 1 deduplication needs them: at-least-once delivery can bring a message
// twice, and docs/protocol.md section 12 says a receiver drops an id it has seen from the same sender, remembering at
// least the last 256.
//   const seen = new RecentIds();  if (seen.isRepeat(message.id)) return;

export const REMEMBERED_IDS = 256;

export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = REMEMBERED_IDS) {}

  /** True when this id was seen among the last `capacity` ids; otherwise remembers it (forgetting the oldest). */
  isRepeat(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
    return false;
  }

  /** Forgets everything: a new session of the sender (it rebooted, its ids start again). */
  clear(): void {
    this.ids.clear();
  }
}
