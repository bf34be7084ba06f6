// A test's own eyes on a broker: a client that subscribes to some topics and keeps every message it gets, and waits
// (event-driven, no polling) for the first one that matches — one seen earlier counts.
//   const eyes = await observeBroker({ url, username: 'controller', password }, ['posrig/v1/+/lease'], 'lease-watch');
//   await eyes.until((m) => m.topic.endsWith('/evt') && m.json?.type === 'state', 'a state event');  await eyes.close();

import { EventEmitter } from 'node:events';
import { type BrokerAccess, connectBroker, endClient, subscribe } from '../../rigs/mqtt/brokerClient.ts';

export interface Observed {
  readonly topic: string;
  readonly text: string;
  readonly retained: boolean;
  /** The payload as JSON, when it is JSON. */
  readonly json: Record<string, unknown> | undefined;
}

export interface BrokerObserver {
  /** Every message so far, oldest first. */
  readonly seen: readonly Observed[];
  /** The first message (seen already or still to come) for which `match` holds. */
  until(match: (message: Observed) => boolean, what: string): Promise<Observed>;
  close(): Promise<void>;
}

/** Connects, subscribes and resolves once the subscription is acknowledged. */
export async function observeBroker(access: BrokerAccess, topics: string[], clientId: string): Promise<BrokerObserver> {
  const client = await connectBroker(access, { clientId, what: `test observer ${clientId}` });
  const seen: Observed[] = [];
  const arrivals = new EventEmitter();
  client.on('message', (topic, payload, packet) => {
    const text = payload.toString('utf8');
    const message: Observed = { topic, text, retained: packet.retain, json: parseJson(text) };
    seen.push(message);
    arrivals.emit('message', message);
  });
  await subscribe(client, topics, `test observer ${clientId}`);
  let closed = false;
  return {
    seen,
    until(match, what) {
      const earlier = seen.find(match);
      if (earlier) return Promise.resolve(earlier);
      return new Promise((resolve, reject) => {
        const onMessage = (message: Observed) => {
          if (!match(message)) return;
          arrivals.off('message', onMessage);
          arrivals.off('closed', onClosed);
          resolve(message);
        };
        const onClosed = () => {
          arrivals.off('message', onMessage);
          reject(new Error(`the observer ${clientId} closed before ${what}`));
        };
        arrivals.on('message', onMessage);
        arrivals.once('closed', onClosed);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      arrivals.emit('closed');
      await endClient(client, true);
    },
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
