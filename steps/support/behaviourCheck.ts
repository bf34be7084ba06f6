// The behaviour monitor (rigs/monitor), judged after every scenario beside the payment-truth invariant: every rule of
// docs/protocol.md it can see from the terminal's events, the serial link and the network trace.
// `posrig run --no-monitor` (POSRIG_MONITOR=off) switches it off, e.g. to measure what it costs (npm run bench).

import { type MonitorEvidence, networkTrace } from '../../rigs/monitor/evidence.ts';
import { linkFindings } from '../../rigs/monitor/linkRules.ts';
import { checkBehaviour, type MonitorReport } from '../../rigs/monitor/monitor.ts';
import type { PosWorld } from './world.ts';

/** False when the run switched the monitor off. */
export function monitorOn(): boolean {
  return process.env.POSRIG_MONITOR !== 'off';
}

/** The scenario's evidence, for the monitor. Call once the transaction has ended (World.settle). */
export function behaviourEvidence(world: PosWorld): MonitorEvidence {
  const { rig } = world;
  const since = (at: Date) => at >= world.scenarioStarted;
  const info = rig.terminal.info;
  return {
    records: rig.terminal.history.all(world.scenarioFrom),
    network: networkTrace(
      rig.faults?.messages(world.faultsFrom),
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
export async function judgeBehaviour(
  world: PosWorld,
): Promise<{ report: MonitorReport; evidence: MonitorEvidence } | undefined> {
  if (!monitorOn()) return undefined;
  const link = world.rig.link;
  await link?.settled();
  const evidence = behaviourEvidence(world);
  const linkRules = link ? linkFindings(link.observations(), evidence.records) : [];
  return { report: checkBehaviour(evidence, linkRules), evidence };
}
