// Connects an MQTT client (mqtt.js 5) to a broker for one part of a rig: the harness (a controller), a simulated
// terminal, `posrig agent`, a relay. MQTT 3.1.1 (aedes speaks only that; Mosquitto and EMQX too), QoS 1 everywhere,
// a clean session, reconnect with backoff (0.25 s doubling to 8 s), TLS for mqtts://. Resolves once connected; a
// broker that refuses or cannot be reached is a BrokerError naming the URL (never the password).
//   const client = await connectBroker({ url: 'mqtt://127.0.0.1:1883', username: 'controller', password }, { clientId });

import { readFileSync } from 'node:fs';
import type { IClientOptions, MqttClient } from 'mqtt';
import { subscribeAll } from '../../protocols/mqtt/mqttEcrLink.ts';

/** Where a broker is and how to log in. */
export interface BrokerAccess {
  /** mqtt://host:port or mqtts://host:port */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** For mqtts://: files of the CA, the client certificate and key; rejectUnauthorized false only for a test broker. */
  readonly tls?: {
    readonly ca?: string;
    readonly cert?: string;
    readonly key?: string;
    readonly rejectUnauthorized?: boolean;
  };
}

export interface ConnectOptions {
  readonly clientId: string;
  /** Published by the broker when this client vanishes without DISCONNECT. */
  readonly will?: { readonly topic: string; readonly payload: string; readonly retain: boolean };
  /** How long the first connection may take (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** Who connects, for messages: "the harness", "posrig agent T0000001". */
  readonly what: string;
}

/** A broker that refused the client or could not be reached. */
export class BrokerError extends Error {
  override name = 'BrokerError';
}

const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 8000;

export async function connectBroker(access: BrokerAccess, options: ConnectOptions): Promise<MqttClient> {
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  const { default: mqtt } = await import('mqtt'); // loaded by MQTT rigs only: a serial rig starts without it
  const client = mqtt.connect(access.url, {
    ...clientOptions(access),
    clientId: options.clientId,
    protocolVersion: 4,
    clean: true,
    connectTimeout: timeoutMs,
    reconnectPeriod: 0, // the first connection fails at once; reconnecting starts once it succeeded
    ...(options.will ? { will: { ...options.will, qos: 1 } } : {}),
  });
  client.on('error', () => {}); // errors surface as 'close'/'offline' to the owner; never an unhandled 'error'
  // TCP_NODELAY on every connection (mqtt.js does not set it): a small packet otherwise waits ~40 ms for a delayed ACK.
  client.on('connect', () => noDelay(client));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no CONNACK within ${timeoutMs} ms`)), timeoutMs);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      client.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      client.once('close', () => {
        clearTimeout(timer);
        reject(new Error('the connection closed'));
      });
    });
  } catch (error) {
    client.end(true);
    const why = error instanceof Error ? error.message : String(error);
    throw new BrokerError(
      `${options.what} cannot connect to the MQTT broker ${access.url}${access.username ? ` as ${access.username}` : ''}: ${why}`,
    );
  }
  keepReconnecting(client);
  return client;
}

/** Reconnects with backoff: 0.25 s after a loss, doubling to 8 s, back to 0.25 s once connected (mqtt.js reads
 * options.reconnectPeriod each time a connection closes). */
function keepReconnecting(client: MqttClient): void {
  client.options.reconnectPeriod = FIRST_RETRY_MS;
  client.on('connect', () => {
    client.options.reconnectPeriod = FIRST_RETRY_MS;
  });
  client.on('close', () => {
    client.options.reconnectPeriod = Math.min(LAST_RETRY_MS, (client.options.reconnectPeriod ?? FIRST_RETRY_MS) * 2);
  });
}

function noDelay(client: MqttClient): void {
  const stream = client.stream as { setNoDelay?: (on: boolean) => unknown } | undefined;
  stream?.setNoDelay?.(true);
}

function clientOptions(access: BrokerAccess): IClientOptions {
  const tls = access.tls;
  return {
    ...(access.username !== undefined ? { username: access.username } : {}),
    ...(access.password !== undefined ? { password: access.password } : {}),
    ...(tls?.ca ? { ca: readFileSync(tls.ca) } : {}),
    ...(tls?.cert ? { cert: readFileSync(tls.cert) } : {}),
    ...(tls?.key ? { key: readFileSync(tls.key) } : {}),
    ...(tls?.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
  };
}

/** Ends a client: `force` drops the connection without DISCONNECT, so the broker publishes its last will. */
export function endClient(client: MqttClient, force = false): Promise<void> {
  // A client that is not connected could wait for ever for the acknowledgements of what it still has in flight
  // (mqtt.js then stops reconnecting): it is ended at once.
  return new Promise((resolve) => client.end(force || !client.connected, {}, () => resolve()));
}

/** Publishes at QoS 1 (retained if asked); resolves on PUBACK. */
export function publish(client: MqttClient, topic: string, payload: string | Buffer, retain = false): Promise<void> {
  return new Promise((resolve, reject) => {
    client.publish(topic, payload, { qos: 1, retain }, (error) => (error ? reject(error) : resolve()));
  });
}

/** Subscribes at QoS 1; rejects with MqttLinkError naming the topics the broker refused (SUBACK 0x80). */
export function subscribe(client: MqttClient, topics: string[], what: string): Promise<void> {
  return subscribeAll(client, topics, what);
}
