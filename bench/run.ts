// `npm run bench`: speed goals, measured — never asserted in tests.
// Prints the median time of one approved purchase through the whole stack on each simulated rig,
// and the median wall time of the whole feature suite (`posrig run`) on each rig.
//   npm run bench                 # 30 purchases, 3 suite runs per rig
//   BENCH_PURCHASES=100 BENCH_SUITES=5 npm run bench

import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { startRig } from '../rigs/rig.ts';
import { median, timePurchases } from './purchase.ts';

const RIGS = ['rigs/sim-serial.yaml', 'rigs/sim-pty.yaml'];
const purchases = Number(process.env.BENCH_PURCHASES ?? 30);
const suites = Number(process.env.BENCH_SUITES ?? 3);

function suiteSeconds(rigFile: string): number[] {
  const times: number[] = [];
  for (let i = 0; i < suites; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, ['bin/posrig.js', 'run', '--rig', rigFile, '--reports', 'reports/bench'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CI: '' },
    });
    if (run.status !== 0) throw new Error(`the suite failed on ${rigFile} (exit ${run.status})`);
    times.push((performance.now() - started) / 1000);
  }
  return times;
}

const lines: string[] = [];
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
for (const rigFile of RIGS) {
  const times = suiteSeconds(rigFile);
  lines.push(
    `${rigFile}: feature suite wall time, median of ${suites}: ${median(times).toFixed(2)} s (${times.map((t) => t.toFixed(2)).join(', ')})`,
  );
}
console.log(lines.join('\n'));
