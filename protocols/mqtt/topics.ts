// The MQTT topic map of the ECR test link (docs/protocol.md section 12), the lease topics of `posrig agent`
// (section 12.3) and the Tasmota relay convention. Pure names, no I/O.
//   ecrTopics('T0000001').evt → 'posrig/v1/T0000001/evt'

/** Every topic of posrig starts with this. */
export const TOPIC_ROOT = 'posrig/v1';

/** A payload MUST NOT exceed this many bytes (section 12). */
export const MAX_MQTT_PAYLOAD = 4096;

/** The retained status a terminal (or its agent) keeps on its status topic; its last will is `offline`. */
export type TerminalStatus = 'online' | 'offline';

export interface EcrTopics {
  /** harness → terminal: one command, UTF-8 JSON, QoS 1. */
  readonly cmd: string;
  /** terminal → harness: one event, UTF-8 JSON, QoS 1. */
  readonly evt: string;
  /** terminal → anyone: `online` | `offline`, retained, the last will `offline`. */
  readonly status: string;
  /** controller → agent: lease requests (acquire, heartbeat, release), JSON. */
  readonly leaseRequest: string;
  /** agent → controllers: the answer to each acquire, JSON, naming the request's session. */
  readonly leaseReply: string;
  /** agent → anyone: who holds the terminal now, JSON, retained. */
  readonly lease: string;
}

/** The topics of one terminal, by its TID. */
export function ecrTopics(terminalId: string): EcrTopics {
  const base = `${TOPIC_ROOT}/${terminalId}`;
  return {
    cmd: `${base}/cmd`,
    evt: `${base}/evt`,
    status: `${base}/status`,
    leaseRequest: `${base}/lease/request`,
    leaseReply: `${base}/lease/reply`,
    lease: `${base}/lease`,
  };
}

/** Where a controller's last will lands: its leases end when it says `offline` here (the broker says it for a dead one). */
export function controllerTopic(clientId: string): string {
  return `${TOPIC_ROOT}/controllers/${clientId}`;
}

/** The Tasmota convention of a power relay: `cmnd/{relay}/POWER` ON | OFF (empty asks), answer on `stat/{relay}/POWER`. */
export function relayTopics(relay: string): { readonly command: string; readonly state: string } {
  return { command: `cmnd/${relay}/POWER`, state: `stat/${relay}/POWER` };
}

/** Why a TID or relay name cannot be one level of a topic (MQTT forbids + # and / splits levels), or undefined. */
export function topicLevelProblem(level: string): string | undefined {
  if (level.length === 0) return 'it is empty';
  const bad = [...level].find((c) => c === '+' || c === '#' || c === '/' || c === '\u0000');
  return bad ? `${JSON.stringify(bad)} cannot be part of an MQTT topic level` : undefined;
}
