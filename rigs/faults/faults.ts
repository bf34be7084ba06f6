// Faults: what steps may do to the network between terminal and host. Faults trigger on protocol events
// ("the next 0210", "the next 2 connections"), never on guessed sleeps.
//   await rig.faults.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0210' });
//   await rig.faults.waitForMessage('the host to answer the 0200', (m) => m.mti === '0210', { timeoutMs: 5000 });

import type { AlterableField, FaultRule, ProxyMessage } from '../../simulators/faultproxy/index.ts';
import type { WaitOptions } from '../timeline/timeline.ts';

export type { AlterableField, FaultRule, ProxyMessage };

export interface Faults {
  /** Arms a fault rule on the link between terminal and host. */
  arm(rule: FaultRule): Promise<void>;
  /** Disarms every rule. */
  heal(): Promise<void>;
  /** Every message the proxy saw, from a cursor on. */
  messages(from?: number): ProxyMessage[];
  /** A cursor into the message timeline. */
  mark(): number;
  /** The first message (from a cursor on) that matches; a timeout error quoting the traffic otherwise. */
  waitForMessage(
    what: string,
    predicate: (message: ProxyMessage) => boolean,
    options: WaitOptions,
  ): Promise<ProxyMessage>;
  /** What the faults did, as timestamped lines, for the report. */
  log(): string[];
  /** The same, as entries: when, and what (for the scenario's merged timeline). */
  logEntries(): ReadonlyArray<{ readonly at: Date; readonly what: string }>;
  /** Forgets the traffic and log (between scenarios); disarms every rule. */
  reset(): Promise<void>;
}
