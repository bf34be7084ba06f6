// The terminal of a rig whose link is MQTT (terminal.link.kind: mqtt): the broker (embedded, or the lab's), the
// simulated terminal when the rig simulates one (speaking MQTT itself, or on a PTY behind a `posrig agent` process),
// the lease (one terminal, or a free one of a pool), and the harness's link to it. Everything it starts is stopped
// by the rig's stops.
//   const line = await openMqttTerminal(rig, config, { worker, folder, stops });
//   new EcrTerminalDriver(line.terminalId, line.link);  line.watch(broke, () => power.isOn);

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import { MqttEcrLink } from '../../protocols/mqtt/mqttEcrLink.ts';
import { controllerTopic, ecrTopics } from '../../protocols/mqtt/topics.ts';
import type { TerminalConfig } from '../../simulators/terminal/index.ts';
import { type MqttLink, type RigFile, terminalsOf } from '../file/rigFile.ts';
import { startChild } from '../process/childProcess.ts';
import { startMqttTerminal } from '../simulated/mqttSimulatedTerminal.ts';
import type { SimulatedTerminal } from '../simulated/simulatedTerminal.ts';
import { type PtySimulator, startPtySimulator } from '../simulated/simulatedTerminal.ts';
import { agentEnvironment, brokerAccess } from './brokerAccess.ts';
import { connectBroker, endClient } from './brokerClient.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from './embeddedBroker.ts';
import { type HeldLease, leaseTerminal } from './leaseClient.ts';

type Stops = Array<() => Promise<unknown>>;

/** How long a lease lives without a heartbeat when the rig file does not say (link.lease.timeoutMs). */
export const DEFAULT_LEASE_TIMEOUT_MS = 30_000;

export interface MqttTerminalLine {
  readonly link: MqttEcrLink;
  /** The TID the harness speaks to: the rig's, or the one leased from the pool. */
  readonly terminalId: string;
  /** The broker as the rig's parts reach it, and the harness's own client (a Tasmota relay on it uses that). */
  readonly broker: { readonly url: string; readonly embedded?: EmbeddedBroker; readonly client: MqttClient };
  /** The simulated terminal, when the rig simulates one. */
  readonly simulated?: Omit<SimulatedTerminal, 'port'>;
  /** Calls back when the link can no longer carry the scenario: the broker connection lost, the terminal (or its
   * agent) gone offline while its power is on, the lease lost. */
  watch(broke: (why: string) => void, powered: () => boolean): void;
}

export interface MqttTerminalOptions {
  readonly worker: string;
  /** The rig's scratch folder for a kind of thing ('pty'). */
  readonly folder: (kind: string) => string;
  readonly stops: Stops;
  /** Terminals of the pool that did not answer hello when leased: not tried again. */
  readonly silent?: readonly string[];
}

const CLI = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));

export async function openMqttTerminal(
  rig: RigFile,
  config: TerminalConfig,
  options: MqttTerminalOptions,
): Promise<MqttTerminalLine> {
  const link = rig.terminal.link as MqttLink;
  const { stops } = options;
  const embedded = link.broker === 'embedded' ? await startEmbeddedBroker() : undefined;
  if (embedded) stops.push(() => embedded.close());
  const broker = { url: embedded?.url ?? link.broker, ...(link.tls ? { tls: link.tls } : {}) };
  const tid = rig.terminal.id;
  const simulated = rig.terminal.simulate
    ? await startSimulated(link, config, brokerAccess(broker, { kind: 'terminal', terminalId: tid }, embedded), options)
    : undefined;
  const clientId = `posrig-${rig.name}-w${options.worker}-${process.pid}-${randomBytes(3).toString('hex')}`.slice(
    0,
    64,
  );
  const client = await connectBroker(brokerAccess(broker, { kind: 'controller' }, embedded), {
    clientId,
    what: `rig ${rig.name}`,
    will: { topic: controllerTopic(clientId), payload: 'offline', retain: false },
  });
  stops.push(() => endClient(client));
  const lease = leases(rig, link)
    ? await leaseTerminal({
        client,
        clientId,
        candidates: rotate(terminalsOf(rig), Number(options.worker) || 0).filter(
          (tid) => !options.silent?.includes(tid),
        ),
        holder: `${hostname()} pid ${process.pid} worker ${options.worker} (rig ${rig.name})`,
        timeoutMs: (typeof link.lease === 'object' && link.lease.timeoutMs) || DEFAULT_LEASE_TIMEOUT_MS,
        waitMs: (typeof link.lease === 'object' && link.lease.waitMs) || 0,
      })
    : undefined;
  if (lease) stops.push(() => lease.release());
  const terminalId = lease?.terminalId ?? tid;
  const harness = await MqttEcrLink.open(client, { terminalId, side: 'harness', name: `harness:${terminalId}` });
  stops.push(async () => harness.close());
  return {
    link: harness,
    terminalId,
    broker: { url: broker.url, ...(embedded ? { embedded } : {}), client },
    ...(simulated ? { simulated } : {}),
    watch: (broke, powered) =>
      watchLine(
        { client, link: harness, lease, terminalId, url: broker.url, agent: lease !== undefined },
        broke,
        powered,
      ),
  };
}

/** Leases are taken of terminals behind `posrig agent`: every rig but one that simulates a terminal speaking MQTT
 * itself (lease: false says a lab terminal does too). */
function leases(rig: RigFile, link: MqttLink): boolean {
  if (link.lease !== undefined) return link.lease !== false;
  return !(rig.terminal.simulate && !link.agent);
}

/** A pool tried from a worker's own place onwards, so that parallel workers do not all race for the first. */
function rotate<T>(items: readonly T[], by: number): T[] {
  const start = by % Math.max(1, items.length);
  return [...items.slice(start), ...items.slice(0, start)];
}

async function startSimulated(
  link: MqttLink,
  config: TerminalConfig,
  access: ReturnType<typeof brokerAccess>,
  options: MqttTerminalOptions,
): Promise<Omit<SimulatedTerminal, 'port'>> {
  if (!link.agent) {
    const terminal = await startMqttTerminal(access, config);
    options.stops.push(() => terminal.stop());
    return terminal;
  }
  const line: PtySimulator = await startPtySimulator(link.agent, 115200, config, options.folder('pty'));
  options.stops.push(() => line.stop());
  const agent = await startChild({
    what: 'posrig agent',
    command: process.execPath,
    args: [
      ...['--import', 'tsx', CLI, 'agent', '--port', line.hostPath, '--baud-rate', '115200'],
      ...['--terminal', config.tid, '--broker', access.url],
    ],
    readyText: 'bridged to',
    cwd: path.dirname(path.dirname(CLI)),
    env: agentEnvironment(access),
  });
  options.stops.push(() => agent.stop());
  const listeners: Array<(why: string) => void> = [];
  agent.onUnexpectedExit((why) => {
    for (const listener of listeners) listener(why);
  });
  return {
    power: line.power,
    log: () => [line.log(), agent.log()].filter(Boolean).join('\n--- posrig agent ---\n'),
    onFault: (listener) => {
      line.onFault(listener);
      listeners.push(listener);
    },
    stop: () => line.stop(),
  };
}

interface Watched {
  readonly client: MqttClient;
  readonly link: MqttEcrLink;
  readonly lease: HeldLease | undefined;
  readonly terminalId: string;
  readonly url: string;
  readonly agent: boolean;
}

/** The events that end a scenario as a rig fault: seen as they happen, never guessed from a timeout. */
function watchLine(line: Watched, broke: (why: string) => void, powered: () => boolean): void {
  line.client.on('offline', () => broke(`the connection to the MQTT broker ${line.url} was lost`));
  line.client.on('close', () => {
    if (!line.client.disconnecting) broke(`the connection to the MQTT broker ${line.url} closed`);
  });
  const status = ecrTopics(line.terminalId).status;
  line.link.on('status', (said) => {
    if (said !== 'offline' || !powered()) return; // a terminal whose power the rig cut goes offline as it should
    broke(
      line.agent
        ? `the agent of terminal ${line.terminalId} went offline (${status}): posrig agent stopped or lost the broker`
        : `terminal ${line.terminalId} went offline (${status}) with its power on`,
    );
  });
  line.lease?.onLost((why) => broke(`the lease of terminal ${line.terminalId} was lost: ${why}`));
}
