// The behaviour monitor over one scenario of a started rig: its evidence gathered from the terminal's history, the
// fault proxy, the simulated host, the power switch and the serial link since the scenario started, then judged.
// Shared by the After hook (steps/support/behaviourCheck.ts) and `posrig explore`.
//   const judged = await judgeScenarioBehaviour(rig, { from, started, faultsFrom });
//   if (judged && judged.report.findings.length > 0) throw monitorError(judged.report, judged.evidence);

import type { Rig } from '../rig.ts';
import { type MonitorEvidence, networkTrace } from './evidence.ts';
import { linkFindings } from './linkRules.ts';
import { checkBehaviour, type MonitorReport } from './monitor.ts';

/** Where a scenario starts: the terminal's history cursor, the time, and the fault proxy's cursor. */
export interface BehaviourSpan {
  readonly from: number;
  readonly started: Date;
  readonly faultsFrom: number;
}

/** False when the run switched the monitor off (`posrig run --no-monitor`, POSRIG_MONITOR=off). */
export function monitorOn(): boolean {
  return process.env.POSRIG_MONITOR !== 'off';
}

/** The scenario's evidence, for the monitor. Call once its transactions have ended. */
export function scenarioEvidence(rig: Rig, span: BehaviourSpan): MonitorEvidence {
  const since = (at: Date) => at >= span.started;
  const info = rig.terminal.info;
  return {
    records: rig.terminal.history.all(span.from),
    network: networkTrace(
      rig.faults?.messages(span.faultsFrom),
      rig.isoTrace.filter((t) => since(t.at)),
    ),
    power: (rig.power?.switched ?? []).filter((p) => since(p.at)),
    rig: {
      tid: rig.terminal.id,
      responseTimeoutMs: rig.timing.responseTimeoutMs,
      language: info?.language ?? rig.file.terminal.simulate?.language,
      words: rig.texts.words,
    },
  };
}

/** The monitor's report on the scenario; undefined when it is switched off. The serial link's observations are
 * judged once their windows have closed (a duplicate never re-ACKed is known only then). */
export async function judgeScenarioBehaviour(
  rig: Rig,
  span: BehaviourSpan,
): Promise<{ report: MonitorReport; evidence: MonitorEvidence } | undefined> {
  if (!monitorOn()) return undefined;
  const link = rig.link;
  await link?.settled();
  const evidence = scenarioEvidence(rig, span);
  const linkRules = link ? linkFindings(link.observations(), evidence.records) : [];
  return { report: checkBehaviour(evidence, linkRules), evidence };
}
