// A simulated Tasmota power relay on an MQTT broker: it hears cmnd/{relay}/POWER and says its state on
// stat/{relay}/POWER, as a Sonoff flashed with Tasmota does, switching a simulated terminal's power through switchTo.
//   const relay = await startSimulatedTasmotaRelay({ url: broker.url, password: broker.secret, relay: 'relay7',
//     switchTo: async (on) => (on ? await terminal.powerOn() : terminal.powerOff()) });
//   relay.isOn; // true until an OFF arrives
//   await relay.stop();
// Commands (any case): ON / 1 / TRUE, OFF / 0 / FALSE, TOGGLE / 2 switch (switchTo is called only when the state
// changes, as a relay already on stays on) and then publish the state, `ON` or `OFF`, QoS 1, not retained; an empty
// payload just publishes the state; anything else is ignored. One command at a time, in the order they arrive.
// Imports only `protocols/` and the npm `mqtt` package.

import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { relayTopics } from '../../protocols/mqtt/topics.ts';

export interface SimulatedTasmotaRelayOptions {
  /** mqtt://host:port of the broker. */
  readonly url: string;
  /** The MQTT user name (default `relay-{relay}`, the relay role of protocols/mqtt/acl.ts). */
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** The relay's topic, one level: `relay7` → cmnd/relay7/POWER, stat/relay7/POWER. */
  readonly relay: string;
  /** Switches the simulated power; the new state is published once it resolves (a rejection keeps the old one). */
  readonly switchTo: (on: boolean) => Promise<void>;
  /** The relay's state at start (default true: the terminal is powered); switchTo is not called for it. */
  readonly initiallyOn?: boolean | undefined;
  /** How long connecting and subscribing may take (default 5000 ms). */
  readonly connectTimeoutMs?: number | undefined;
}

export interface SimulatedTasmotaRelay {
  /** The relay's state: what it last published, or would answer now. */
  readonly isOn: boolean;
  /** Stops taking commands, lets the one being carried out finish, and disconnects. */
  stop(): Promise<void>;
}

/** The simulated relay could not connect to the broker or was refused its subscription. */
export class RelaySimulatorError extends Error {
  override name = 'RelaySimulatorError';
}

/** What a command payload asks for: a state, a toggle, or the state said again. */
type RelayCommand = 'on' | 'off' | 'toggle' | 'query';

/** Connects, subscribes to cmnd/{relay}/POWER and resolves once the broker granted it. */
export async function startSimulatedTasmotaRelay(
  options: SimulatedTasmotaRelayOptions,
): Promise<SimulatedTasmotaRelay> {
  const topics = relayTopics(options.relay);
  const username = options.username ?? `relay-${options.relay}`;
  const who = `the simulated relay ${JSON.stringify(options.relay)} (${username} on ${options.url})`;
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  const { default: mqtt } = await import('mqtt'); // loaded by MQTT rigs only
  const client = mqtt.connect(options.url, {
    clientId: `${username}-${randomBytes(4).toString('hex')}`,
    username,
    ...(options.password !== undefined ? { password: options.password } : {}),
    protocolVersion: 4,
    clean: true,
    connectTimeout: timeoutMs,
    reconnectPeriod: 0, // the first connection fails at once; reconnecting starts once it succeeded
  });
  client.on('error', () => {}); // a lost connection shows as 'close'; mqtt.js reconnects and subscribes again
  // TCP_NODELAY, as a relay's firmware answers at once: otherwise each small packet waits ~40 ms for a delayed ACK
  client.on('connect', () => (client.stream as { setNoDelay?: (on: boolean) => unknown }).setNoDelay?.(true));
  try {
    await connected(client, timeoutMs);
    await subscribed(client, topics.command);
  } catch (error) {
    client.end(true);
    throw new RelaySimulatorError(`${who}: ${error instanceof Error ? error.message : String(error)}`);
  }
  client.options.reconnectPeriod = 1000;

  let on = options.initiallyOn ?? true;
  let stopped = false;
  let queue = Promise.resolve();
  const carryOut = async (command: RelayCommand): Promise<void> => {
    const target = command === 'query' ? on : command === 'toggle' ? !on : command === 'on';
    if (target !== on) {
      try {
        await options.switchTo(target);
        on = target;
      } catch {
        // the power did not switch: the relay says the state it still has
      }
    }
    await publishState(client, topics.state, on);
  };
  const onMessage = (topic: string, payload: Buffer): void => {
    if (stopped || topic !== topics.command) return;
    const command = parseRelayCommand(payload.toString('utf8'));
    if (command === undefined) return;
    queue = queue.then(() => carryOut(command));
  };
  client.on('message', onMessage);

  return {
    get isOn() {
      return on;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      client.removeListener('message', onMessage);
      await queue;
      await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
    },
  };
}

/** A cmnd/{relay}/POWER payload as Tasmota reads it; undefined for one it does not know (ignored). */
export function parseRelayCommand(payload: string): RelayCommand | undefined {
  switch (payload.trim().toUpperCase()) {
    case '':
      return 'query';
    case 'ON':
    case '1':
    case 'TRUE':
      return 'on';
    case 'OFF':
    case '0':
    case 'FALSE':
      return 'off';
    case 'TOGGLE':
    case '2':
      return 'toggle';
    default:
      return undefined;
  }
}

function connected(client: MqttClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      client.removeListener('connect', onConnect);
      client.removeListener('error', onError);
      client.removeListener('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onConnect = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new Error('the connection closed'));
    const timer = setTimeout(() => settle(new Error(`no CONNACK within ${timeoutMs} ms`)), timeoutMs);
    client.once('connect', onConnect);
    client.once('error', onError);
    client.once('close', onClose);
  });
}

function subscribed(client: MqttClient, topic: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.subscribe(topic, { qos: 1 }, (error, granted) => {
      if (error) reject(new Error(`cannot subscribe to ${topic}: ${error.message}`));
      else if (granted?.some((grant) => grant.qos > 2))
        reject(new Error(`the broker refused the subscription to ${topic}`));
      else resolve();
    });
  });
}

/** Says the state, QoS 1, not retained (Tasmota's stat POWER is not); a lost answer shows as the controller's timeout. */
function publishState(client: MqttClient, topic: string, on: boolean): Promise<void> {
  return new Promise((resolve) => {
    client.publish(topic, on ? 'ON' : 'OFF', { qos: 1, retain: false }, () => resolve());
  });
}
