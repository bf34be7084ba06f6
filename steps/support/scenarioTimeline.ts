// Gathers a scenario's merged timeline from the rig: the terminal's history (decoded ECR messages, voice prompts,
// receipts), the serial link's frames in hex, the host's ISO 8583 messages field by field, the network through the
// fault proxy, the faults' log and the power switched — everything since the scenario began. `posrig explore` gathers
// a failed run's the same way (rigTimeline).
//   await world.attach(scenarioTimeline(world), { mediaType: 'text/plain', fileName: 'timeline.txt' });

import { describeIso } from '../../protocols/iso8583/index.ts';
import { mergedTimeline, type TimelineEntry } from '../../reporting/timeline.ts';
import { trafficLine } from '../../rigs/faults/proxyFaults.ts';
import type { Rig } from '../../rigs/rig.ts';
import { recordSummary } from '../../rigs/terminal/eventHistory.ts';
import type { PosWorld } from './world.ts';

/** Where a scenario starts: its terminal history mark, when the rig was ready, the fault proxy's mark. */
export interface TimelineSpan {
  readonly scenarioFrom: number;
  readonly rigReadyAt: Date;
  readonly faultsFrom: number;
}

/** The scenario's timeline as text (card numbers masked, PIN digits and blocks never shown). */
export function scenarioTimeline(world: PosWorld): string {
  return rigTimeline(world.rig, world);
}

/** The timeline of what the rig saw since the span began, as text. */
export function rigTimeline(rig: Rig, span: TimelineSpan): string {
  const since = (at: Date) => at >= span.rigReadyAt;
  const entries: TimelineEntry[] = [
    ...rig.terminal.history
      .all(span.scenarioFrom)
      .map((r) => ({ at: r.at, source: 'ecr' as const, text: recordSummary(r) })),
    ...(rig.wire?.since(span.rigReadyAt) ?? []).map((u) => ({
      at: u.at,
      source: 'wire' as const,
      text: `${u.dir === 'in' ? '←' : '→'} ${u.unit.padEnd(5)}${u.seq === undefined ? '' : ` seq ${u.seq}`}  ${u.hex}`,
    })),
    ...rig.isoTrace
      .filter((t) => since(t.at))
      .map((t) => {
        const [mti = '', ...fields] = describeIso(t.message);
        return {
          at: t.at,
          source: 'iso' as const,
          text: `${t.dir === 'in' ? '→ host' : '← host'} ${mti}`,
          detail: fields,
        };
      }),
    ...(rig.faults?.messages(span.faultsFrom) ?? []).map((m) => ({
      at: m.at,
      source: 'network' as const,
      text: trafficLine(m),
    })),
    ...(rig.faults?.logEntries() ?? [])
      .filter((e) => since(e.at))
      .map((e) => ({ at: e.at, source: 'fault' as const, text: e.what })),
    ...(rig.power?.switched ?? [])
      .filter((s) => since(s.at))
      .map((s) => ({ at: s.at, source: 'power' as const, text: s.on ? 'power on' : 'power cut' })),
  ];
  return mergedTimeline(entries);
}
