// Who logs in to a rig's broker, and how: the embedded broker's one-run secret for every role, or, for a lab broker,
// user names and passwords from the environment (never from the rig file, which is committed):
//   POSRIG_MQTT_USERNAME / POSRIG_MQTT_PASSWORD              the harness (default user name "controller")
//   POSRIG_MQTT_AGENT_USERNAME / POSRIG_MQTT_AGENT_PASSWORD  a posrig agent the rig starts (default "terminal-{TID}")
//   POSRIG_MQTT_RELAY_USERNAME / POSRIG_MQTT_RELAY_PASSWORD  a simulated relay the rig starts (default "relay-{NAME}")
//   const access = brokerAccess(link, { kind: 'controller' }, embedded);

import type { MqttRole } from '../../protocols/mqtt/acl.ts';
import type { MqttLink } from '../file/rigFile.ts';
import type { BrokerAccess } from './brokerClient.ts';
import type { EmbeddedBroker } from './embeddedBroker.ts';

/** The environment variables of each role. */
const VARIABLES = {
  controller: ['POSRIG_MQTT_USERNAME', 'POSRIG_MQTT_PASSWORD'],
  terminal: ['POSRIG_MQTT_AGENT_USERNAME', 'POSRIG_MQTT_AGENT_PASSWORD'],
  relay: ['POSRIG_MQTT_RELAY_USERNAME', 'POSRIG_MQTT_RELAY_PASSWORD'],
} as const;

/** The user name a role logs in with by default (protocols/mqtt/acl.ts). */
export function defaultUsername(role: MqttRole): string {
  switch (role.kind) {
    case 'controller':
      return 'controller';
    case 'terminal':
      return `terminal-${role.terminalId}`;
    case 'relay':
      return `relay-${role.relay}`;
  }
}

/** How a role reaches the broker: on the embedded one with its secret, else as the environment says. */
export function brokerAccess(
  broker: { readonly url: string; readonly tls?: MqttLink['tls'] },
  role: MqttRole,
  embedded?: EmbeddedBroker,
  env: NodeJS.ProcessEnv = process.env,
): BrokerAccess {
  if (embedded) return { url: embedded.url, username: defaultUsername(role), password: embedded.secret };
  const [user, password] = VARIABLES[role.kind];
  return {
    url: broker.url,
    username: env[user] || defaultUsername(role),
    ...(env[password] ? { password: env[password] } : {}),
    ...(broker.tls ? { tls: broker.tls } : {}),
  };
}

/** The environment of a posrig agent process: its own login as POSRIG_MQTT_USERNAME / PASSWORD. */
export function agentEnvironment(access: BrokerAccess, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { POSRIG_MQTT_PASSWORD: _password, ...rest } = env;
  return {
    ...rest,
    ...(access.username ? { POSRIG_MQTT_USERNAME: access.username } : {}),
    ...(access.password ? { POSRIG_MQTT_PASSWORD: access.password } : {}),
  };
}
