// The proxy's log for the report: timestamped lines about what the rules did.
//   faultLogLine({ at, rule: 1, what: 'swallowed 0210 STAN 000012 RC 00 (host → terminal)' })
//     → '11:32:01.123 rule 1 swallowed 0210 STAN 000012 RC 00 (host → terminal)'
// Rule 0 is the proxy itself (e.g. the upstream could not be reached).

import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { Direction } from './faultRule.ts';

export interface FaultLogEntry {
  at: Date;
  rule: number; // the rule id from arm(); 0 for the proxy's own notices
  what: string; // e.g. 'swallowed 0210 STAN 000012 (host → terminal)'; only MTI, STAN and DE39 ever appear
}

/** Every message the proxy sees, at the moment it arrives from its sender; `fault` is the action a rule took on it.
 * The network trace of the behaviour monitor (rigs/monitor): masked fields, when (and whether) it was delivered. */
export interface ProxyMessage {
  at: Date;
  direction: Direction;
  connection: number; // which terminal connection it came on: 1, 2, … since the proxy started
  mti: string; // 'garbled' when the first 4 bytes are not digits
  stan?: string;
  responseCode?: string;
  fault?: string; // the action kind: 'drop' | 'blackhole' | 'delay' | 'corrupt' | 'duplicate' | 'swallow'
  /** The message's fields as the receiver got them, masked (DE2/35/45 masked, DE52 removed); undefined when
   * what was delivered does not unpack. */
  fields?: Readonly<Record<number, string>> | undefined;
  /** When the proxy wrote it to its receiver; undefined while held (delayed) and for a message never delivered. */
  deliveredAt?: Date;
}

/** One log entry as a line: local time with milliseconds, the rule, what happened. */
export function faultLogLine(entry: FaultLogEntry): string {
  return `${localTimeOfDay(entry.at)} ${faultLogWhat(entry)}`;
}

/** The entry without its time: the rule (or 'proxy'), what happened. */
export function faultLogWhat(entry: FaultLogEntry): string {
  return `${entry.rule === 0 ? 'proxy' : `rule ${entry.rule}`} ${entry.what}`;
}
