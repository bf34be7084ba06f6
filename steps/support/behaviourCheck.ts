// The behaviour monitor (rigs/monitor), judged after every scenario beside the payment-truth invariant: every rule of
// docs/protocol.md it can see from the terminal's events, the serial link and the network trace
// (rigs/monitor/scenarioBehaviour.ts, shared with `posrig explore`).
// `posrig run --no-monitor` (POSRIG_MONITOR=off) switches it off, e.g. to measure what it costs (npm run bench).

import type { MonitorEvidence } from '../../rigs/monitor/evidence.ts';
import type { MonitorReport } from '../../rigs/monitor/monitor.ts';
import { judgeScenarioBehaviour, monitorOn, scenarioEvidence } from '../../rigs/monitor/scenarioBehaviour.ts';
import type { PosWorld } from './world.ts';

export { monitorOn };

/** The scenario's span: where its history, time and the fault proxy's traffic start. */
function spanOf(world: PosWorld) {
  return { from: world.scenarioFrom, started: world.scenarioStarted, faultsFrom: world.faultsFrom };
}

/** The scenario's evidence, for the monitor. Call once the transaction has ended (World.settle). */
export function behaviourEvidence(world: PosWorld): MonitorEvidence {
  return scenarioEvidence(world.rig, spanOf(world));
}

/** The monitor's report on the scenario; undefined when it is switched off. */
export async function judgeBehaviour(
  world: PosWorld,
): Promise<{ report: MonitorReport; evidence: MonitorEvidence } | undefined> {
  return judgeScenarioBehaviour(world.rig, spanOf(world));
}
