// A Tasmota power relay on the MQTT broker (`power.kind: tasmota`): the harness, as a controller, publishes `ON`,
// `OFF` or an empty payload (a question) on cmnd/{relay}/POWER, and the relay says its state on stat/{relay}/POWER.
//   const relay = await TasmotaPower.open({ client, relay: 'relay7' }); // client: connected as `controller`
//   await relay.off(); await relay.on(); await relay.status(); // 'on' | 'off'
//   await relay.close(); // unsubscribes; the client stays connected (its owner ends it)
// off() and on() resolve once the relay says the state asked for; on() does not wait for the terminal to boot
// (BootWatchedPower does). Calls are carried out one at a time, in order. A relay that does not answer within
// timeoutMs (default 5 s) is a RigFault naming the relay, the topic and the broker.

import type { MqttClient } from 'mqtt';
import { relayTopics, topicLevelProblem } from '../../protocols/mqtt/topics.ts';
import { publish, subscribe } from '../mqtt/brokerClient.ts';
import { RigFault } from '../verdict/culprit.ts';
import type { PowerState } from './commandPower.ts';
import type { PowerSwitch } from './powerSwitch.ts';

/** How long the relay may take to confirm when the rig file gives no power.timeoutMs. */
export const DEFAULT_TASMOTA_TIMEOUT_MS = 5000;

export interface TasmotaPowerSettings {
  /** An MQTT client already connected as a `controller` (it may publish cmnd/+/POWER, subscribe stat/+/POWER). */
  readonly client: MqttClient;
  /** The relay's topic, one topic level: `relay7` → cmnd/relay7/POWER, stat/relay7/POWER. */
  readonly relay: string;
  /** How long one call may take, subscribing and the relay's answer included (default 5000 ms). */
  readonly timeoutMs?: number | undefined;
}

/** What a call waits for on the state topic: one state, or any (the answer to a question). */
type Awaited = PowerState | 'any';

interface Waiter {
  readonly want: Awaited;
  readonly resolve: (state: PowerState) => void;
  readonly reject: (error: Error) => void;
}

/** Where a call is, for the message when it takes too long. */
type Stage = 'subscribing' | 'publishing' | 'answering';

export class TasmotaPower implements PowerSwitch {
  private readonly client: MqttClient;
  private readonly relay: string;
  private readonly timeoutMs: number;
  private readonly topics: { readonly command: string; readonly state: string };
  private subscribed: Promise<void> | undefined;
  private waiter: Waiter | undefined;
  /** The last state the relay said, for messages. */
  private lastHeard: PowerState | undefined;
  /** The calls, one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly onMessage = (topic: string, payload: Buffer): void => this.receive(topic, payload);

  /** Subscribes to the relay's state (resolves once the broker granted it) and returns the relay. */
  static async open(settings: TasmotaPowerSettings): Promise<TasmotaPower> {
    const power = new TasmotaPower(settings);
    try {
      await power.listen();
    } catch (error) {
      await power.close();
      throw error;
    }
    return power;
  }

  /** A relay that subscribes on its first call; a relay name that is not one topic level is a RigFault. */
  constructor(settings: TasmotaPowerSettings) {
    const problem = topicLevelProblem(settings.relay);
    if (problem) throw new RigFault(`power relay ${JSON.stringify(settings.relay)} is not a Tasmota topic: ${problem}`);
    this.client = settings.client;
    this.relay = settings.relay;
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TASMOTA_TIMEOUT_MS;
    this.topics = relayTopics(settings.relay);
  }

  /** Publishes OFF; resolves once the relay says OFF. */
  async off(): Promise<void> {
    await this.call('OFF', 'off');
  }

  /** Publishes ON; resolves once the relay says ON (not once the terminal booted: BootWatchedPower waits for that). */
  async on(): Promise<void> {
    await this.call('ON', 'on');
  }

  /** Asks the relay (an empty command) and resolves with the state it says. */
  status(): Promise<PowerState> {
    return this.call('', 'any');
  }

  /** Stops listening and unsubscribes; a call waiting for the relay and later calls reject. The client stays connected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.removeListener('message', this.onMessage);
    this.waiter?.reject(this.closedFault());
    this.waiter = undefined;
    if (this.subscribed === undefined) return;
    await new Promise<void>((resolve) => this.client.unsubscribe(this.topics.state, () => resolve()));
  }

  /** Queues one call: publish `payload` on the command topic, wait for `want` on the state topic. */
  private call(payload: string, want: Awaited): Promise<PowerState> {
    const run = this.queue.then(() => this.exchange(payload, want));
    this.queue = run.catch(() => {});
    return run;
  }

  private exchange(payload: string, want: Awaited): Promise<PowerState> {
    if (this.closed) return Promise.reject(this.closedFault());
    const what = payload === '' ? 'its state' : payload;
    return new Promise<PowerState>((resolve, reject) => {
      let stage: Stage = 'subscribing';
      const finish = (error: Error | undefined, state?: PowerState) => {
        clearTimeout(timer);
        if (this.waiter === waiter) this.waiter = undefined;
        if (error) reject(error);
        else resolve(state as PowerState);
      };
      const waiter: Waiter = {
        want,
        resolve: (state) => finish(undefined, state),
        reject: (error) => finish(error),
      };
      const timer = setTimeout(() => finish(this.timeoutFault(stage, payload, what)), this.timeoutMs);
      this.listen()
        .then(() => {
          if (this.closed) throw this.closedFault();
          // waiting before publishing: the answer may come before the PUBACK
          this.waiter = waiter;
          stage = 'publishing';
          return publish(this.client, this.topics.command, payload).catch((error: Error) => {
            throw this.fault(
              `cannot publish ${payload || 'an empty payload'} on ${this.topics.command}: ${error.message}`,
            );
          });
        })
        .then(() => {
          stage = 'answering';
        })
        .catch((error: Error) => finish(error));
    });
  }

  /** Subscribes to the state topic once; a refusal is a RigFault, and the next call tries again. */
  private listen(): Promise<void> {
    if (this.subscribed === undefined) {
      this.client.on('message', this.onMessage);
      this.subscribed = subscribe(this.client, [this.topics.state], `power relay ${JSON.stringify(this.relay)}`).catch(
        (error: Error) => {
          this.client.removeListener('message', this.onMessage);
          this.subscribed = undefined;
          throw new RigFault(`${error.message} (on the broker ${this.brokerUrl})`);
        },
      );
    }
    return this.subscribed;
  }

  private receive(topic: string, payload: Buffer): void {
    if (topic !== this.topics.state) return;
    const state = parseRelayState(payload.toString('utf8'));
    if (state === undefined) return;
    this.lastHeard = state;
    const waiter = this.waiter;
    if (waiter && (waiter.want === 'any' || waiter.want === state)) waiter.resolve(state);
  }

  private timeoutFault(stage: Stage, payload: string, what: string): RigFault {
    const within = `within ${this.timeoutMs} ms`;
    switch (stage) {
      case 'subscribing':
        return this.fault(`the broker did not grant the subscription to ${this.topics.state} ${within}`);
      case 'publishing':
        return this.fault(
          `the broker did not acknowledge ${payload || 'an empty payload'} on ${this.topics.command} ${within}`,
        );
      case 'answering': {
        const heard = this.lastHeard ? `; it last said ${this.lastHeard.toUpperCase()}` : '';
        return new RigFault(
          `power relay ${JSON.stringify(this.relay)} did not answer ${what} on ${this.topics.state} ${within}` +
            ` (is it on the broker ${this.brokerUrl}?${heard})`,
        );
      }
    }
  }

  private closedFault(): RigFault {
    return new RigFault(`power relay ${JSON.stringify(this.relay)} is closed: no more calls after close()`);
  }

  private fault(words: string): RigFault {
    return new RigFault(`power relay ${JSON.stringify(this.relay)} (broker ${this.brokerUrl}): ${words}`);
  }

  /** The broker the client is connected to, for messages (no user name or password). */
  private get brokerUrl(): string {
    const { protocol, hostname, host, port } = this.client.options;
    return `${protocol ?? 'mqtt'}://${hostname ?? host ?? '?'}${port ? `:${port}` : ''}`;
  }
}

/** A relay's state from a stat/{relay}/POWER payload: ON or OFF in any case; anything else is undefined (ignored). */
export function parseRelayState(payload: string): PowerState | undefined {
  const word = payload.trim().toUpperCase();
  if (word === 'ON') return 'on';
  if (word === 'OFF') return 'off';
  return undefined;
}
