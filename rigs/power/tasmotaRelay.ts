// A rig's Tasmota relay (power.kind: tasmota): TasmotaPower on the terminal's broker (or the one power.broker names).
// When the rig simulates the terminal, it also starts a simulated Tasmota relay on that broker, wired to the simulated
// terminal's own power: the power scenarios then go through MQTT as they would in a lab.
//   const relay = await openTasmotaRelay(rig, rig.power, line, stops);  await relay.off();

import type { MqttClient } from 'mqtt';
import { startSimulatedTasmotaRelay } from '../../simulators/relay/tasmotaRelay.ts';
import type { RigFile } from '../file/rigFile.ts';
import { brokerAccess } from '../mqtt/brokerAccess.ts';
import { connectBroker, endClient } from '../mqtt/brokerClient.ts';
import type { MqttTerminalLine } from '../mqtt/mqttTerminal.ts';
import { RigFault } from '../verdict/culprit.ts';
import type { PowerSwitch } from './powerSwitch.ts';
import { TasmotaPower } from './tasmotaPower.ts';

type Stops = Array<() => Promise<unknown>>;
type TasmotaSettings = Extract<NonNullable<RigFile['power']>, { kind: 'tasmota' }>;

/** What of the terminal's line the relay needs: its MQTT broker and client, its simulated power switch. */
interface RelayLine {
  readonly mqtt?: MqttTerminalLine;
  readonly simulated?: { readonly power: PowerSwitch };
}

export async function openTasmotaRelay(
  rig: RigFile,
  power: TasmotaSettings,
  line: RelayLine,
  stops: Stops,
): Promise<PowerSwitch> {
  const client = await relayClient(rig, power, line, stops);
  if (line.simulated) {
    // rigChecks: a simulated terminal's relay is simulated on the terminal's own broker.
    const broker = line.mqtt?.broker;
    if (!broker) throw new RigFault(`rig ${rig.name}: a simulated Tasmota relay needs the terminal on an MQTT link`);
    const own = line.simulated.power;
    const access = brokerAccess({ url: broker.url }, { kind: 'relay', relay: power.relay }, broker.embedded);
    const relay = await startSimulatedTasmotaRelay({
      url: access.url,
      username: access.username,
      password: access.password,
      relay: power.relay,
      // A relay closes its contact at once; the terminal then boots in its own time (BootWatchedPower waits for it).
      switchTo: async (on) => {
        if (on) void own.on().catch(() => {});
        else await own.off();
      },
    });
    stops.push(() => relay.stop());
  }
  const relay = await TasmotaPower.open({ client, relay: power.relay, timeoutMs: power.timeoutMs });
  stops.push(() => relay.close());
  return relay;
}

/** The harness's client on the relay's broker: the terminal's when it is the same one, else a new controller. */
async function relayClient(rig: RigFile, power: TasmotaSettings, line: RelayLine, stops: Stops): Promise<MqttClient> {
  if (!power.broker && line.mqtt) return line.mqtt.broker.client;
  if (!power.broker) throw new RigFault(`rig ${rig.name}: power.broker: a Tasmota relay needs a broker`);
  const client = await connectBroker(brokerAccess({ url: power.broker }, { kind: 'controller' }), {
    clientId: `posrig-${rig.name}-relay-${process.pid}`.slice(0, 64),
    what: `rig ${rig.name}'s power relay ${power.relay}`,
  });
  stops.push(() => endClient(client));
  return client;
}
