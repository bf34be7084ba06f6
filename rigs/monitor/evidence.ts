// What the behaviour monitor judges a scenario from: the terminal's events and the harness's commands (timestamped),
// the network between terminal and host as the terminal met it, the power switchings and the rig's own facts.
//   const evidence = { records, network: networkFromProxy(rig.faults.messages(from)), power, rig: { tid, … } };
// The network trace is the fault proxy's (when each request reached it, when each answer was written to the terminal)
// or, on a rig without a proxy, the simulated host's (when it received and sent); undefined where posrig cannot see
// the network: the rules that need it are then not judged, and the report says so.

import type { IsoTrace } from '../../simulators/acquirer/index.ts';
import type { ProxyMessage } from '../../simulators/faultproxy/index.ts';
import type { PowerSwitching } from '../power/bootWatch.ts';
import type { HistoryRecord } from '../terminal/eventHistory.ts';
import type { OutcomeWordSet } from './words.ts';

/** One ISO 8583 message between terminal and host. */
export interface NetworkMessage {
  readonly direction: 'request' | 'response';
  readonly mti: string; // 'garbled' when it does not parse
  /** Masked fields as the receiver got them; undefined when what it got does not unpack. */
  readonly fields: Readonly<Record<number, string>> | undefined;
  /** A request: when it left the terminal (as near as posrig sees it). A response: when the host sent it. */
  readonly at: Date;
  /** When the receiver got it; undefined when it never did (lost on the way, or held past the scenario). */
  readonly deliveredAt: Date | undefined;
  /** The terminal's connection it travelled on, where known: an answer belongs to a request on the same one. */
  readonly connection: number | undefined;
  /** The fault the proxy applied to it, if any ('swallow', 'delay', 'drop', …). */
  readonly fault: string | undefined;
}

/** What the rig knows and the rules compare against. */
export interface RigFacts {
  readonly tid: string;
  readonly responseTimeoutMs: number;
  /** The language of the terminal's texts (its `info`, else the rig's simulated terminal); undefined: unknown. */
  readonly language: string | undefined;
  /** The words of the rig's text profile (what this terminal shows and says for approved, declined, a reprint);
   * undefined: the reference texts of `language`. */
  readonly words?: OutcomeWordSet | undefined;
}

export interface MonitorEvidence {
  /** The scenario's messages both ways, oldest first. */
  readonly records: readonly HistoryRecord[];
  /** The scenario's network trace; undefined where posrig cannot see it. */
  readonly network: readonly NetworkMessage[] | undefined;
  /** The scenario's power switchings (none on a rig without a power switch). */
  readonly power: readonly PowerSwitching[];
  readonly rig: RigFacts;
}

/** The fault proxy's view: requests as they reached it, answers as it wrote them to the terminal. */
export function networkFromProxy(messages: readonly ProxyMessage[]): NetworkMessage[] {
  return messages.map((m) => ({
    direction: m.direction,
    mti: m.mti,
    fields: m.fields,
    at: m.at,
    // a request the proxy forwarded reached the host when written; the terminal had sent it by `at`
    deliveredAt: m.deliveredAt,
    connection: m.connection,
    fault: m.fault,
  }));
}

/** The network as the terminal met it: the proxy's view, plus what reached the simulated host past the proxy (a
 * backup host dialled directly). A message the proxy duplicated reached the host twice but is one in the proxy's view. */
export function networkTrace(
  proxy: readonly ProxyMessage[] | undefined,
  host: readonly IsoTrace[],
): NetworkMessage[] | undefined {
  if (!proxy) return host.length > 0 ? networkFromHost(host) : undefined;
  const seen = new Map<string, number>();
  const key = (direction: string, mti: string, stan: string | undefined) => `${direction}|${mti}|${stan ?? ''}`;
  for (const m of proxy) {
    const k = key(m.direction, m.mti, m.stan);
    seen.set(k, (seen.get(k) ?? 0) + (m.fault === 'duplicate' ? 2 : 1));
  }
  const bypassed = host.filter((t) => {
    const k = key(t.dir === 'in' ? 'request' : 'response', t.message.mti, t.message.fields[11]);
    const left = seen.get(k) ?? 0;
    seen.set(k, left - 1);
    return left <= 0;
  });
  return [...networkFromProxy(proxy), ...networkFromHost(bypassed)].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The simulated host's view (no proxy): what it received and sent, delivered as it was sent. */
export function networkFromHost(trace: readonly IsoTrace[]): NetworkMessage[] {
  return trace.map((t) => ({
    direction: t.dir === 'in' ? 'request' : 'response',
    mti: t.message.mti,
    fields: t.message.fields as Record<number, string>,
    at: t.at,
    deliveredAt: t.at,
    connection: undefined,
    fault: undefined,
  }));
}
