// Who may publish and subscribe to what on posrig's topics (docs/protocol.md section 12.4): the rules the embedded
// broker enforces, and the ones a lab writes into its own broker's ACL (rigs/mosquitto/acl is the same table).
// The role is in the MQTT user name:
//   controller          the harness (posrig run, doctor): commands, lease requests, relay commands
//   terminal-{TID}      a terminal or its `posrig agent`: its own events, status and lease answers
//   relay-{NAME}        a Tasmota power relay: its own state
//   mayPublish('terminal-T0000001', 'posrig/v1/T0000001/cmd', 'c1')  → false

import { controllerTopic, ecrTopics, relayTopics } from './topics.ts';

export type MqttRole =
  | { readonly kind: 'controller' }
  | { readonly kind: 'terminal'; readonly terminalId: string }
  | { readonly kind: 'relay'; readonly relay: string };

/** The role a user name stands for; undefined for a name posrig does not know (refused at CONNECT). */
export function roleOf(username: string | undefined): MqttRole | undefined {
  if (username === undefined) return undefined;
  if (username === 'controller' || username.startsWith('controller-')) return { kind: 'controller' };
  const terminal = /^terminal-([^+#/]+)$/.exec(username)?.[1];
  if (terminal) return { kind: 'terminal', terminalId: terminal };
  const relay = /^relay-([^+#/]+)$/.exec(username)?.[1];
  if (relay) return { kind: 'relay', relay };
  return undefined;
}

/** The topic patterns a role may publish to, '+' matching one level. */
function publishable(role: MqttRole): string[] {
  switch (role.kind) {
    case 'controller': {
      const any = ecrTopics('+');
      return [any.cmd, any.leaseRequest, relayTopics('+').command];
    }
    case 'terminal': {
      const own = ecrTopics(role.terminalId);
      return [own.evt, own.status, own.lease, own.leaseReply];
    }
    case 'relay':
      return [relayTopics(role.relay).state];
  }
}

/** The topic filters a role may subscribe to; '+' in a pattern also admits '+' in the filter. */
function subscribable(role: MqttRole): string[] {
  switch (role.kind) {
    case 'controller': {
      const any = ecrTopics('+');
      return [any.evt, any.status, any.lease, any.leaseReply, relayTopics('+').state];
    }
    case 'terminal': {
      const own = ecrTopics(role.terminalId);
      return [own.cmd, own.leaseRequest, controllerTopic('+')];
    }
    case 'relay':
      return [relayTopics(role.relay).command];
  }
}

/** True when the role may publish to this topic (a topic name, no wildcards). */
export function mayPublish(username: string | undefined, topic: string, clientId: string): boolean {
  const role = roleOf(username);
  if (!role || /[+#]/.test(topic)) return false;
  // Any client may publish on its own controller topic (a Mosquitto `pattern` applies to every user alike); only the
  // lease a controller of that client id holds ends by it.
  if (topic === controllerTopic(clientId)) return true;
  return publishable(role).some((pattern) => matches(pattern, topic, false));
}

/** True when the role may subscribe with this filter. */
export function maySubscribe(username: string | undefined, filter: string): boolean {
  const role = roleOf(username);
  if (!role || filter.includes('#')) return false;
  return subscribable(role).some((pattern) => matches(pattern, filter, true));
}

function matches(pattern: string, topic: string, filter: boolean): boolean {
  const want = pattern.split('/');
  const got = topic.split('/');
  if (want.length !== got.length) return false;
  return want.every((level, i) => {
    const actual = got[i] as string;
    if (level !== '+') return level === actual;
    return actual.length > 0 && (filter || actual !== '+');
  });
}
