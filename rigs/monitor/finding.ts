// One broken rule, found by the behaviour monitor: which rule, when, and what happened, in words a lab can file.
//   finding('result-last', at, 'the merchant copy of sale c-3 was printed after its result')

import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { RuleId } from './catalogue.ts';
import type { NetworkMessage } from './evidence.ts';

export interface Finding {
  readonly rule: RuleId;
  /** When it happened (the event or message that broke the rule). */
  readonly at: Date;
  readonly message: string;
  /** Whose fault: the firmware's, unless the rig does not match the terminal (a wrong TID in the rig file). */
  readonly culprit: 'firmware defect' | 'rig fault';
}

export function finding(
  rule: RuleId,
  at: Date,
  message: string,
  culprit: Finding['culprit'] = 'firmware defect',
): Finding {
  return { rule, at, message, culprit };
}

/** '0200 STAN 000012 at 11:32:01.123' */
export function describeNetwork(message: NetworkMessage): string {
  return `${networkWords(message)} at ${localTimeOfDay(message.at)}`;
}

/** '0200 STAN 000012 DE39 00' */
export function networkWords(message: NetworkMessage): string {
  const stan = message.fields?.[11];
  const code = message.fields?.[39];
  return `${message.mti}${stan ? ` STAN ${stan}` : ''}${code ? ` DE39 ${code}` : ''}`;
}

/** How long either side of the response timeout the monitor does not judge whether an answer was in time: the
 * terminal's timer and posrig's clocks are a few milliseconds apart, and a rule must never fail a correct terminal. */
export function timeoutMargin(responseTimeoutMs: number): number {
  return Math.max(250, responseTimeoutMs / 6);
}
