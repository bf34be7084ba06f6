// `npm run bench`: speed goals, measured — never asserted in tests.
// Prints the median time of one approved purchase through the whole stack on each simulated rig, the fault
// suite's time next to the waits it takes on purpose, and the median wall time of the whole feature suite per rig,
// with the behaviour monitor on and off and with evidence pictures of every scenario against without (runs interleaved,
// so drift of the machine weighs on all alike).
//   npm run bench                 # 30 purchases, 3 suite runs per rig
//   BENCH_PURCHASES=100 BENCH_SUITES=5 npm run bench

import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { loadRigFile } from '../rigs/file/rigFile.ts';
import { startRig } from '../rigs/rig.ts';
import { rigTiming } from '../rigs/timing.ts';
import { chaosSoak } from './chaosSoak.ts';
import { FAULT_FEATURES, scenarioTimes } from './faultSuite.ts';
import { mqttLoad } from './mqttLoad.ts';
import { panScanFigures } from './panScan.ts';
import { median, timePurchases } from './purchase.ts';
import { simulatedTimeFigures } from './simulatedTime.ts';

const RIGS = ['rigs/sim-serial.yaml', 'rigs/sim-pty.yaml'];
const purchases = Number(process.env.BENCH_PURCHASES ?? 30);
const suites = Number(process.env.BENCH_SUITES ?? 3);

/** Wall seconds of one `posrig run` (the whole suite, or only the given feature folders). */
function runSeconds(rigFile: string, reports: string, features: string[] = [], options: string[] = []): number {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ['bin/posrig.js', 'run', '--rig', rigFile, '--reports', reports, ...options, '--', ...features],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: 'true' } },
  );
  if (run.status !== 0) throw new Error(`the suite failed on ${rigFile} (exit ${run.status})`);
  return (performance.now() - started) / 1000;
}

/** The fault suite: wall time, time in scenarios, and the waits the scenarios take on purpose. */
function faultSuite(rigFile: string): string {
  const wall = runSeconds(rigFile, 'reports/bench-faults', FAULT_FEATURES);
  const timeoutMs = rigTiming(loadRigFile(rigFile)).responseTimeoutMs;
  const times = scenarioTimes('reports/bench-faults/cucumber.json', timeoutMs);
  const inScenarios = times.reduce((sum, t) => sum + t.seconds, 0);
  const deliberate = times.reduce((sum, t) => sum + t.deliberateSeconds, 0);
  const overhead = (t: { seconds: number; deliberateSeconds: number }) => t.seconds - t.deliberateSeconds;
  const worst = [...times].sort((a, b) => overhead(b) - overhead(a))[0];
  return (
    `${rigFile}: fault suite, ${times.length} scenarios: wall ${wall.toFixed(2)} s, in scenarios ${inScenarios.toFixed(2)} s, ` +
    `deliberate waits ${deliberate.toFixed(2)} s (response timeout ${timeoutMs} ms); largest overhead ` +
    (worst ? `${overhead(worst).toFixed(2)} s in "${worst.name}"` : '-')
  );
}

const lines: string[] = [];
// BENCH_ONLY=time: only the simulated-time figures (bench/simulatedTime.ts) and the chaos soak.
const only = process.env.BENCH_ONLY;
const soak = Number(process.env.BENCH_SOAK ?? 10_000);
if (only === 'soak') {
  console.log((await chaosSoak({ transactions: soak })).join('\n'));
  process.exit(0);
}
if (only === 'time') {
  lines.push(...simulatedTimeFigures({ suites, selfcheckReal: process.env.BENCH_SELFCHECK_REAL !== '0' }));
  lines.push(...panScanFigures('reports/bench-time'));
  lines.push(...(await chaosSoak({ transactions: soak })));
  console.log(lines.join('\n'));
  process.exit(0);
}
for (const rigFile of RIGS) {
  const rig = await startRig(rigFile);
  try {
    const times = await timePurchases(rig, purchases);
    lines.push(
      `${rigFile}: one approved purchase, median of ${purchases}: ${median(times).toFixed(1)} ms ` +
        `(min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`,
    );
  } finally {
    await rig.stop();
  }
}
lines.push(...(await mqttLoad())); // 100 simulated terminals on one embedded MQTT broker (bench/mqttLoad.ts)
for (const rigFile of RIGS) lines.push(faultSuite(rigFile));
for (const rigFile of RIGS) {
  const on: number[] = [];
  const off: number[] = [];
  const pictures: number[] = [];
  const noPictures: number[] = [];
  for (let i = 0; i < suites; i += 1) {
    on.push(runSeconds(rigFile, 'reports/bench'));
    off.push(runSeconds(rigFile, 'reports/bench', [], ['--no-monitor']));
    pictures.push(runSeconds(rigFile, 'reports/bench', [], ['--evidence', 'all']));
    noPictures.push(runSeconds(rigFile, 'reports/bench', [], ['--evidence', 'failed']));
  }
  const list = (times: number[]) => times.map((t) => t.toFixed(2)).join(', ');
  const cost = ((median(on) - median(off)) / median(off)) * 100;
  lines.push(
    `${rigFile}: feature suite wall time, median of ${suites}: ${median(on).toFixed(2)} s (${list(on)}); ` +
      `without the behaviour monitor ${median(off).toFixed(2)} s (${list(off)}): the monitor adds ${cost.toFixed(1)}%`,
  );
  const ratio = median(pictures) / median(noPictures);
  lines.push(
    `${rigFile}: evidence pictures of every scenario (--evidence all) ${median(pictures).toFixed(2)} s (${list(pictures)}); ` +
      `without (--evidence failed, all passing) ${median(noPictures).toFixed(2)} s (${list(noPictures)}): ` +
      `${ratio.toFixed(2)}× (goal: within 1.5×)`,
  );
}
lines.push(...panScanFigures('reports/bench'));
lines.push(...simulatedTimeFigures({ suites, selfcheckReal: process.env.BENCH_SELFCHECK_REAL !== '0' }));
lines.push(...(await chaosSoak({ transactions: soak })));
console.log(lines.join('\n'));
