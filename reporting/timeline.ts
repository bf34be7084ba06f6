// One merged timeline of a scenario for the report: what the terminal and harness said on the ECR link (decoded, and
// the frames' bytes in hex), the ISO 8583 messages with their fields by name, what crossed the network, the faults
// injected and the power switched — each timestamped, in the order it happened. Card numbers are masked on the way out.
//   mergedTimeline([{ at, source: 'ecr', text: '← display     交易成功 | 金额: ¥100.00' },
//                   { at, source: 'iso', text: '→ host 0200', detail: ['DE002 Primary account number: 622848******0018'] }])
//   → '11:32:01.123  ecr      ← display     交易成功 | 金额: ¥100.00\n11:32:01.130  iso      → host 0200\n…'

import { maskPansIn } from '../protocols/domain/pan.ts';
import { localTimeOfDay } from '../protocols/domain/time.ts';

/** Where an entry comes from: the ECR link decoded, its bytes, the host's ISO 8583 view, the network between them,
 * the fault rules, the power relay, posrig itself. */
export type TimelineSource = 'ecr' | 'wire' | 'iso' | 'network' | 'fault' | 'power' | 'posrig';

export interface TimelineEntry {
  readonly at: Date;
  readonly source: TimelineSource;
  /** One line. */
  readonly text: string;
  /** Lines shown under it, indented (an ISO message's fields). */
  readonly detail?: readonly string[];
}

const LEGEND = [
  'ecr      the ECR test link, decoded (← from the terminal, → from the harness; PIN digits shown as •)',
  'wire     the same link on the wire: frames, ACK, NAK in hex (card digits and PIN digits as 2a "*")',
  'iso      ISO 8583 as the host saw it, field by field (PAN masked, PIN block never shown)',
  'network  what crossed the network through the fault proxy, and what the faults did to it',
  'fault    a fault rule acting',
  'power    the terminal’s power switched',
];

/** The entries in time order (stable: equal times keep the order given), one line each, details indented. */
export function mergedTimeline(entries: readonly TimelineEntry[]): string {
  if (entries.length === 0) return 'nothing happened on the rig during this scenario';
  const ordered = entries
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.i - b.i);
  const lines = ordered.flatMap(({ entry }) => [
    `${localTimeOfDay(entry.at)}  ${entry.source.padEnd(8)} ${entry.text}`,
    ...(entry.detail ?? []).map((line) => `${' '.repeat(24)}${line}`),
  ]);
  return maskPansIn(`${lines.join('\n')}\n\n${LEGEND.join('\n')}`);
}
