// `posrig agent`: puts one terminal's serial ECR link on an MQTT broker (docs/protocol.md section 12), for one
// controller at a time (section 12.3). Commands on `cmd` go to the terminal over the framed serial link while a lease
// is held (else they are dropped and logged); everything the terminal sends goes out on `evt`. The status topic says
// `online` (retained; the last will says `offline`) and the lease topic who holds the terminal.
//   const agent = await startAgent({ port, terminalId: 'T0000001', broker: { url, password }, log: console.error });
//   agent.lease  // { state: 'free' }
//   await agent.stop();  // `offline`, the lease ends, the client disconnects; the port stays open (its owner's)

import type { Duplex } from 'node:stream';
import type { MqttClient } from 'mqtt';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import { type EcrMessage, EcrMessageError } from '../../protocols/ecr/index.ts';
import { EcrLink } from '../../protocols/ecr/link.ts';
import type { LeaseState } from '../../protocols/mqtt/lease.ts';
import { MqttEcrLink } from '../../protocols/mqtt/mqttEcrLink.ts';
import { ecrTopics, topicLevelProblem } from '../../protocols/mqtt/topics.ts';
import { type BrokerAccess, connectBroker, endClient, publish, subscribe } from '../mqtt/brokerClient.ts';
import { LeaseDesk } from './leaseDesk.ts';

export interface AgentOptions {
  /** The serial link to the terminal (a SerialPortStream, a PTY end, a mock port): opened and closed by the caller. */
  readonly port: Duplex;
  /** The terminal's TID: the level of its topics. */
  readonly terminalId: string;
  /** Where the broker is; the user name defaults to `terminal-{TID}`, the agent's role. */
  readonly broker: BrokerAccess;
  /** The MQTT client id (default `posrig-agent-{TID}`). */
  readonly clientId?: string;
  /** Where the agent says what happens (lease changes, dropped commands, faults), one line at a time; PANs masked. */
  readonly log?: (line: string) => void;
  /** The lease clock (ms since the epoch; default Date.now). */
  readonly now?: () => number;
  /** The longest heartbeat timeout a controller may ask for (default: any the protocol allows, up to 1 h). */
  readonly maxLeaseTimeoutMs?: number;
}

export interface Agent {
  /** Who holds the terminal now. */
  readonly lease: LeaseState;
  /** Publishes `offline`, ends the lease, disconnects cleanly and lets go of the serial link (not the port). */
  stop(): Promise<void>;
}

/** An agent that cannot start with the options it was given; names what is wrong. */
export class AgentError extends Error {
  override name = 'AgentError';
}

/** Connects to the broker, bridges the terminal's serial link and resolves once `online` is published. */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { terminalId, port } = options;
  const problem = topicLevelProblem(terminalId);
  if (problem) throw new AgentError(`terminal id ${JSON.stringify(terminalId)}: ${problem}`);
  const say = options.log ?? (() => {});
  const log = (line: string) => say(maskPansIn(line));
  const topics = ecrTopics(terminalId);
  const client = await connectBroker(
    { ...options.broker, username: options.broker.username ?? `terminal-${terminalId}` },
    {
      clientId: options.clientId ?? `posrig-agent-${terminalId}`,
      what: `posrig agent ${terminalId}`,
      will: { topic: topics.status, payload: 'offline', retain: true },
    },
  );
  const desk = new LeaseDesk({
    terminalId,
    publish: (topic, payload, retain) => publish(client, topic, payload, retain),
    log,
    now: options.now ?? Date.now,
    ...(options.maxLeaseTimeoutMs !== undefined ? { maxTimeoutMs: options.maxLeaseTimeoutMs } : {}),
  });
  let mqtt: MqttEcrLink | undefined;
  try {
    client.on('message', (topic, payload) => desk.receive(topic, payload));
    mqtt = await MqttEcrLink.open(client, { terminalId, side: 'terminal', name: `posrig agent ${terminalId}` });
    await subscribe(client, desk.subscriptions, `posrig agent ${terminalId}`);
  } catch (error) {
    mqtt?.close();
    await endClient(client);
    throw error;
  }
  const serial = new EcrLink(port, { name: `posrig agent ${terminalId} (serial)` });
  const bridge = new Bridge(mqtt, serial, client, desk, topics.evt, log);
  await desk.announce();
  await publish(client, topics.status, 'online', true);
  // After a lost connection the broker said `offline` for the agent: say again who it is and that it is back.
  const reconnected = () => {
    desk.announce().catch((error: Error) => log(`lease state not published after a reconnect: ${error.message}`));
    publish(client, topics.status, 'online', true).catch((error: Error) =>
      log(`online not published: ${error.message}`),
    );
  };
  client.on('connect', reconnected);
  const portClosed = () => {
    log(`serial port of ${terminalId} closed: the terminal is unreachable`);
    publish(client, topics.status, 'offline', true).catch(() => {});
  };
  port.once('close', portClosed);
  let stopping: Promise<void> | undefined;
  return {
    get lease() {
      return desk.state;
    },
    stop() {
      stopping ??= (async () => {
        client.off('connect', reconnected);
        port.off('close', portClosed);
        await publish(client, topics.status, 'offline', true).catch(() => {});
        await desk.close().catch(() => {});
        bridge.close();
        await endClient(client);
      })();
      return stopping;
    },
  };
}

/** Carries commands from MQTT to the serial link (while leased) and events back. */
class Bridge {
  constructor(
    private readonly mqtt: MqttEcrLink,
    private readonly serial: EcrLink,
    private readonly client: MqttClient,
    private readonly desk: LeaseDesk,
    private readonly evt: string,
    private readonly log: (line: string) => void,
  ) {
    mqtt.on('message', (command) => this.toTerminal(command));
    mqtt.on('fault', (fault) => log(`command not passed on: ${fault.message}`));
    serial.on('message', (event) => this.toController(event));
    serial.on('fault', (fault) => this.serialFault(fault));
  }

  close(): void {
    this.mqtt.close();
    this.serial.close();
  }

  private toTerminal(command: EcrMessage): void {
    if (!this.desk.held) {
      this.log(`command ${command.type} ${command.id} dropped: no lease`);
      return;
    }
    this.serial
      .send(command)
      .catch((error: Error) => this.log(`command ${command.type} ${command.id} not delivered: ${error.message}`));
  }

  private toController(event: EcrMessage): void {
    this.mqtt
      .send(event)
      .catch((error: Error) => this.log(`event ${event.type} ${event.id} not published: ${error.message}`));
  }

  /** A frame the terminal sent that is no message this posrig knows: logged; a newer message type passes as it is. */
  private serialFault(fault: Error): void {
    this.log(`serial link fault: ${fault.message}`);
    if (fault instanceof EcrMessageError && fault.unknownType && fault.payload !== undefined) {
      publish(this.client, this.evt, fault.payload).catch((error: Error) =>
        this.log(`event of unknown type ${fault.messageType} not published: ${error.message}`),
      );
    }
  }
}
