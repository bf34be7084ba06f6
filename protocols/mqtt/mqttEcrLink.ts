// One endpoint of the ECR test link over MQTT (docs/protocol.md section 12): the JSON messages of sections 8 and 9,
// unframed, QoS 1, deduplicated by message id. The harness side publishes on `cmd` and hears `evt` and the retained
// `status`; the terminal side (a terminal, or `posrig agent` for one) the other way round. The MQTT client is given,
// connected, by whoever owns it: this class subscribes, publishes and listens, and never opens or ends a connection.
//   const link = await MqttEcrLink.open(client, { terminalId: 'T0000001', side: 'harness' });
//   link.on('message', (m) => …);  await link.send({ type: 'hello', id: 'h1', protocol: '1' });  // resolves on PUBACK

import { EventEmitter } from 'node:events';
import type { MessageLink } from '../ecr/messageLink.ts';
import { type EcrMessage, EcrMessageError, encodeEcrMessage, parseEcrMessage } from '../ecr/messages.ts';
import { RecentIds } from './recentIds.ts';
import { ecrTopics, MAX_MQTT_PAYLOAD, type TerminalStatus } from './topics.ts';

/** The part of an MQTT client (mqtt.js 5's MqttClient has it) this link uses. */
export interface MqttPort {
  publish(
    topic: string,
    payload: string | Buffer,
    options: { qos: 0 | 1; retain?: boolean },
    callback: (error?: Error) => void,
  ): unknown;
  subscribe(
    topics: string[],
    options: { qos: 0 | 1 },
    callback: (error: Error | null, granted?: Array<{ topic: string; qos: number }>) => void,
  ): unknown;
  unsubscribe(topics: string[], callback?: (error?: Error) => void): unknown;
  on(event: 'message', listener: (topic: string, payload: Buffer) => void): unknown;
  removeListener(event: 'message', listener: (topic: string, payload: Buffer) => void): unknown;
}

/** A send or subscription the broker refused or could not complete; names the topic. */
export class MqttLinkError extends Error {
  override name = 'MqttLinkError';
}

export interface MqttEcrLinkOptions {
  readonly terminalId: string;
  /** 'harness': publishes commands, hears events and status; 'terminal': the other way round. */
  readonly side: 'harness' | 'terminal';
  /** For error messages (default "<side> <terminalId>"). */
  readonly name?: string;
}

export interface MqttEcrLink {
  on(event: 'message', listener: (message: EcrMessage) => void): this;
  on(event: 'fault', listener: (fault: Error) => void): this;
  /** The terminal's retained status (harness side only). */
  on(event: 'status', listener: (status: TerminalStatus) => void): this;
}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: typed event overloads for the class above
export class MqttEcrLink extends EventEmitter implements MessageLink {
  private readonly topics;
  private readonly incoming: string;
  private readonly outgoing: string;
  private readonly name: string;
  private readonly seen = new RecentIds();
  private closed = false;
  private lastStatus: TerminalStatus | undefined;
  private readonly onMessage = (topic: string, payload: Buffer): void => this.receive(topic, payload);

  /** Subscribes (resolves once the broker granted every topic) and returns the link. */
  static async open(client: MqttPort, options: MqttEcrLinkOptions): Promise<MqttEcrLink> {
    const link = new MqttEcrLink(client, options);
    try {
      await link.subscribe();
    } catch (error) {
      link.close();
      throw error;
    }
    return link;
  }

  private constructor(
    private readonly client: MqttPort,
    options: MqttEcrLinkOptions,
  ) {
    super();
    this.topics = ecrTopics(options.terminalId);
    const harness = options.side === 'harness';
    this.incoming = harness ? this.topics.evt : this.topics.cmd;
    this.outgoing = harness ? this.topics.cmd : this.topics.evt;
    this.name = options.name ?? `${options.side} ${options.terminalId}`;
    client.on('message', this.onMessage);
  }

  /** The topics this side listens on. */
  private get listening(): string[] {
    return this.incoming === this.topics.evt ? [this.topics.evt, this.topics.status] : [this.topics.cmd];
  }

  private subscribe(): Promise<void> {
    return subscribeAll(this.client, this.listening, this.name);
  }

  /** The terminal's status as last heard (the retained one arrives with the subscription); harness side only. */
  get status(): TerminalStatus | undefined {
    return this.lastStatus;
  }

  /** Publishes the message at QoS 1; resolves on the broker's PUBACK. */
  send(message: EcrMessage): Promise<void> {
    if (this.closed) return Promise.reject(new MqttLinkError(`${this.name}: link is closed`));
    let payload: Buffer;
    try {
      payload = encodeEcrMessage(message);
    } catch (error) {
      return Promise.reject(error);
    }
    if (payload.length > MAX_MQTT_PAYLOAD) {
      const why = `"${message.type}" is ${payload.length} bytes: an MQTT payload MUST NOT exceed ${MAX_MQTT_PAYLOAD}`;
      return Promise.reject(new MqttLinkError(`${this.name}: ${why}`));
    }
    this.emit('trace', { dir: 'out', at: new Date(), bytes: payload });
    return new Promise((resolve, reject) => {
      this.client.publish(this.outgoing, payload, { qos: 1 }, (error) => {
        if (error) reject(new MqttLinkError(`${this.name}: "${message.type}" to ${this.outgoing}: ${error.message}`));
        else resolve();
      });
    });
  }

  /** Stops listening (the client stays connected: its owner ends it); later sends reject. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.removeListener('message', this.onMessage);
    this.client.unsubscribe(this.listening, () => {});
  }

  private receive(topic: string, payload: Buffer): void {
    if (this.closed) return;
    if (topic === this.topics.status && this.incoming === this.topics.evt) {
      const status = payload.toString('utf8');
      // A terminal that comes online is a new session of it: its message ids may start again.
      if (status === 'online') this.seen.clear();
      if (status === 'online' || status === 'offline') {
        this.lastStatus = status;
        this.emit('status', status);
      } else
        this.emit(
          'fault',
          new MqttLinkError(
            `${this.name}: ${topic} says ${JSON.stringify(status.slice(0, 40))}, not online or offline`,
          ),
        );
      return;
    }
    if (topic !== this.incoming) return;
    this.emit('trace', { dir: 'in', at: new Date(), bytes: payload });
    if (payload.length > MAX_MQTT_PAYLOAD) {
      const fault = new EcrMessageError(
        `a payload of ${payload.length} bytes on ${topic} exceeds ${MAX_MQTT_PAYLOAD}`,
        '',
      );
      this.emit('fault', fault);
      return;
    }
    let message: EcrMessage;
    try {
      message = parseEcrMessage(payload);
    } catch (error) {
      const fault = error instanceof EcrMessageError ? error : new EcrMessageError(String(error), '');
      fault.payload = payload.toString('utf8');
      this.emit('fault', fault);
      return;
    }
    if (this.seen.isRepeat(message.id)) return; // QoS 1 brought it twice: processed once
    this.emit('message', message);
  }
}

/** Subscribes at QoS 1; resolves once the broker granted every topic, rejects with MqttLinkError naming the topics it
 * refused (SUBACK 0x80) or why it could not subscribe. */
export function subscribeAll(client: MqttPort, topics: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.subscribe(topics, { qos: 1 }, (error, granted) => {
      const failure = subscriptionFailure(topics, what, error, granted);
      if (failure) reject(failure);
      else resolve();
    });
  });
}

/** What went wrong with a subscription, from its callback's arguments; undefined when every topic was granted. */
export function subscriptionFailure(
  topics: readonly string[],
  what: string,
  error: Error | null | undefined,
  granted: ReadonlyArray<{ topic: string; qos: number }> | undefined,
): MqttLinkError | undefined {
  if (error) return new MqttLinkError(`${what}: ${refusalWords(error)} ${topics.join(', ')}: ${error.message}`);
  const refused = granted?.filter((grant) => grant.qos > 2).map((grant) => grant.topic) ?? [];
  if (refused.length > 0)
    return new MqttLinkError(`${what}: the broker refused the subscription to ${refused.join(', ')}`);
  return undefined;
}

/** mqtt.js 5 reports a SUBACK failure code (0x80) as an error "Subscribe error: …". */
function refusalWords(error: Error): string {
  return /^Subscribe error/.test(error.message) ? 'the broker refused the subscription to' : 'cannot subscribe to';
}
