// The simulated terminal speaking MQTT itself (docs/protocol.md section 12), in this process: the same firmware as on
// a serial link. At each power-up it connects as terminal-{TID} with the last will `offline` on its status topic,
// subscribes to its commands and says `online`; a power cut says `offline` and drops the connection.
//   const terminal = await startMqttTerminal(access, config);  await terminal.power.off();  await terminal.stop();

import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { MqttEcrLink } from '../../protocols/mqtt/mqttEcrLink.ts';
import { ecrTopics } from '../../protocols/mqtt/topics.ts';
import { type LinkAttachment, type TerminalConfig, TerminalSimulator } from '../../simulators/terminal/index.ts';
import { type BrokerAccess, connectBroker, endClient, publish } from '../mqtt/brokerClient.ts';
import type { SimulatedTerminal } from './simulatedTerminal.ts';

export type MqttSimulatedTerminal = Omit<SimulatedTerminal, 'port'>;

/** Starts the simulator on the broker; resolves once it is online and subscribed. */
export async function startMqttTerminal(access: BrokerAccess, config: TerminalConfig): Promise<MqttSimulatedTerminal> {
  const simulator = new TerminalSimulator(config);
  await simulator.attachLink(mqttAttachment(access, config.tid));
  return {
    power: { off: async () => simulator.powerOff(), on: () => simulator.powerOn() },
    log: () => '',
    onFault: () => {}, // in this process: a lost broker is seen by the harness's own client
    stop: () => simulator.stop(),
  };
}

/** How a terminal connects at each power-up and drops off at each power cut. */
export function mqttAttachment(access: BrokerAccess, terminalId: string): LinkAttachment {
  const topics = ecrTopics(terminalId);
  let client: MqttClient | undefined;
  // A power cut's goodbye, awaited by the next power-up: its `offline` must not land after the next `online`.
  let leaving: Promise<void> = Promise.resolve();
  const leave = () => {
    const gone = client;
    client = undefined;
    if (!gone) return;
    leaving = publish(gone, topics.status, 'offline', true)
      .catch(() => {})
      .then(() => endClient(gone));
  };
  return {
    async open() {
      await leaving;
      const connected = await connectBroker(access, {
        clientId: `posrig-sim-${terminalId}-${randomBytes(4).toString('hex')}`,
        what: `the simulated terminal ${terminalId}`,
        will: { topic: topics.status, payload: 'offline', retain: true },
      });
      client = connected;
      const link = await MqttEcrLink.open(connected, { terminalId, side: 'terminal', name: `terminal ${terminalId}` });
      await publish(connected, topics.status, 'online', true);
      return link;
    },
    powerLost: leave,
    async release() {
      leave();
      await leaving;
    },
  };
}
