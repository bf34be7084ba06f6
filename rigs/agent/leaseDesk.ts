// The lease side of `posrig agent` (docs/protocol.md section 12.3): hears lease requests and controllers' last wills,
// keeps the pure LeaseBook, answers on lease/reply, keeps the retained lease state up to date and ends a lease whose
// heartbeats stopped (a timer armed at book.expiresAt). The MQTT client is the agent's; the desk only publishes
// through the function it is given.
//   const desk = new LeaseDesk({ terminalId: 'T0000001', publish, log, now: Date.now });
//   client.on('message', (topic, payload) => desk.receive(topic, payload));  desk.held  // a command may pass

import {
  busyText,
  LeaseBook,
  type LeaseReply,
  type LeaseRequest,
  LeaseRequestError,
  type LeaseState,
  parseLeaseRequest,
} from '../../protocols/mqtt/lease.ts';
import { controllerTopic, ecrTopics } from '../../protocols/mqtt/topics.ts';

/** Publishes at QoS 1; resolves on PUBACK. */
export type Publish = (topic: string, payload: string, retain: boolean) => Promise<void>;

export interface LeaseDeskOptions {
  readonly terminalId: string;
  readonly publish: Publish;
  readonly log: (line: string) => void;
  readonly now: () => number;
  /** The longest heartbeat timeout a controller may ask for (default: any the protocol allows). */
  readonly maxTimeoutMs?: number;
}

/** The words of a heartbeat for a lease that is gone, sent as a refused reply so that its controller learns it. */
const ENDED = 'not leased: this session has no lease (it expired, was released, or its controller went offline)';

/** What a controller's last will topic looks like: posrig/v1/controllers/{client}. */
const CONTROLLER_WILL = controllerTopic('');

export class LeaseDesk {
  private readonly book: LeaseBook;
  private readonly topics;
  private timer: NodeJS.Timeout | undefined;
  private published: string;
  private closed = false;

  constructor(private readonly options: LeaseDeskOptions) {
    this.book = new LeaseBook(options.now);
    this.topics = ecrTopics(options.terminalId);
    this.published = JSON.stringify(this.book.state());
  }

  /** Who holds the terminal now. */
  get state(): LeaseState {
    return this.book.state();
  }

  /** True while a controller holds the terminal: only then do commands pass to it. */
  get held(): boolean {
    return this.book.current !== undefined;
  }

  /** The topics the desk must hear. */
  get subscriptions(): string[] {
    return [this.topics.leaseRequest, controllerTopic('+')];
  }

  /** Publishes the lease state (retained) as it is now: at the start, and again after a reconnect. */
  announce(): Promise<void> {
    const state = JSON.stringify(this.book.state());
    this.published = state;
    return this.options.publish(this.topics.lease, state, true);
  }

  /** Handles one MQTT message; false when the topic is none of the desk's. */
  receive(topic: string, payload: Buffer): boolean {
    if (this.closed) return false;
    if (topic === this.topics.leaseRequest) {
      this.request(payload);
      return true;
    }
    if (topic.startsWith(CONTROLLER_WILL)) {
      const client = topic.slice(CONTROLLER_WILL.length);
      if (payload.toString('utf8') === 'offline') this.controllerGone(client);
      return true;
    }
    return false;
  }

  /** Ends the lease in force (the agent stops) and publishes the state free; stops the expiry timer. */
  async close(): Promise<void> {
    if (this.closed) return;
    const held = this.book.current;
    if (held) {
      this.book.release(held.session);
      this.log(`released: the agent stops (was leased by ${held.holder})`);
    }
    this.closed = true;
    this.disarm();
    await this.publishState();
  }

  private request(payload: Buffer): void {
    let request: LeaseRequest;
    try {
      request = parseLeaseRequest(payload);
    } catch (error) {
      if (!(error instanceof LeaseRequestError)) throw error;
      this.log(`lease request ignored: ${error.message}`);
      return;
    }
    switch (request.op) {
      case 'acquire':
        this.acquire(request);
        break;
      case 'heartbeat':
        if (!this.book.heartbeat(request.session)) {
          const held = this.book.current;
          this.reply({ session: request.session, granted: false, busy: held ? busyText(held) : ENDED });
        }
        break;
      case 'release': {
        const holder = this.book.current?.holder;
        if (this.book.release(request.session)) this.log(`released by ${holder}`);
        break;
      }
    }
    this.changed();
  }

  private acquire(request: Extract<LeaseRequest, { op: 'acquire' }>): void {
    const max = this.options.maxTimeoutMs;
    if (max !== undefined && request.timeoutMs > max) {
      const busy = `refused: a heartbeat timeout of ${request.timeoutMs} ms was asked; this agent allows at most ${max} ms`;
      this.log(`acquire by ${request.holder} ${busy}`);
      this.reply({ session: request.session, granted: false, busy });
      return;
    }
    const before = this.book.current?.session;
    const reply = this.book.acquire(request);
    if (reply.granted && before !== request.session)
      this.log(`leased by ${request.holder} (client ${request.client}, timeout ${request.timeoutMs} ms)`);
    if (!reply.granted) this.log(`acquire by ${request.holder} refused: ${reply.busy}`);
    this.reply(reply);
  }

  private controllerGone(client: string): void {
    const holder = this.book.current?.holder;
    if (this.book.controllerGone(client)) this.log(`released: the controller ${client} of ${holder} went offline`);
    this.changed();
  }

  private reply(reply: LeaseReply): void {
    this.options
      .publish(this.topics.leaseReply, JSON.stringify(reply), false)
      .catch((error: Error) => this.log(`lease reply to session ${reply.session} not sent: ${error.message}`));
  }

  /** After any request: republishes the state when it changed and re-arms the expiry timer. */
  private changed(): void {
    this.publishState().catch((error: Error) => this.log(`lease state not published: ${error.message}`));
    this.arm();
  }

  private publishState(): Promise<void> {
    const state = JSON.stringify(this.book.state());
    if (state === this.published) return Promise.resolve();
    this.published = state;
    return this.options.publish(this.topics.lease, state, true);
  }

  private arm(): void {
    this.disarm();
    const at = this.book.expiresAt;
    if (at === undefined || this.closed) return;
    // the book ends a lease only once the timeout has fully passed (strictly later than lastBeat + timeoutMs)
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - this.options.now()) + 1);
    this.timer.unref();
  }

  private expire(): void {
    this.timer = undefined;
    const ended = this.book.expire();
    if (ended) this.log(`lease expired: no heartbeat from ${ended.holder} for ${ended.timeoutMs} ms`);
    this.changed();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private log(line: string): void {
    this.options.log(`${this.options.terminalId} ${line}`);
  }
}
