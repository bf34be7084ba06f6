// Simulated time, measured against the wall clock in one bench run: the whole feature suite on sim-serial on both
// clocks (interleaved, medians), `posrig selfcheck` on both, and --parallel 2 against one worker on both clocks.
//   const lines = simulatedTimeFigures({ suites: 3 });   // BENCH_SELFCHECK_REAL=0 skips the wall-clock selfcheck

import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { median } from './purchase.ts';

const RIG = 'rigs/sim-serial.yaml';

/** Wall seconds of one posrig command; throws when it fails. */
function seconds(args: string[]): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['bin/posrig.js', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CI: 'true' },
  });
  if (run.status !== 0) throw new Error(`posrig ${args.join(' ')} failed (exit ${run.status})`);
  return (performance.now() - started) / 1000;
}

const suite = (options: string[]) =>
  seconds(['run', '--rig', RIG, '--reports', 'reports/bench-time', '--evidence', 'failed', ...options]);
const list = (times: number[]) => times.map((t) => t.toFixed(2)).join(', ');

/** The figures, one line each. */
export function simulatedTimeFigures(options: { suites: number; selfcheckReal: boolean }): string[] {
  const real: number[] = [];
  const simulated: number[] = [];
  const one: number[] = [];
  const two: number[] = [];
  const realTwo: number[] = [];
  const realOne: number[] = [];
  for (let i = 0; i < options.suites; i += 1) {
    real.push(suite(['--clock', 'real']));
    realOne.push(suite(['--clock', 'real', '--parallel', '1']));
    realTwo.push(suite(['--clock', 'real', '--parallel', '2']));
    simulated.push(suite(['--clock', 'virtual']));
    one.push(suite(['--clock', 'virtual', '--parallel', '1']));
    two.push(suite(['--clock', 'virtual', '--parallel', '2']));
  }
  const lines = [
    `${RIG}: feature suite on simulated time (--clock virtual) ${median(simulated).toFixed(2)} s (${list(simulated)}) ` +
      `against the wall clock ${median(real).toFixed(2)} s (${list(real)}): ${(median(real) / median(simulated)).toFixed(1)}× faster (goal: under 3 s)`,
    `${RIG}: simulated time, --parallel 2 ${median(two).toFixed(2)} s (${list(two)}) against one worker ` +
      `${median(one).toFixed(2)} s (${list(one)}): ${(median(one) / median(two)).toFixed(2)}× on ${availableParallelism()} CPUs (goal: 1.7×)`,
    `${RIG}: wall clock, --parallel 2 ${median(realTwo).toFixed(2)} s (${list(realTwo)}) against one worker ` +
      `${median(realOne).toFixed(2)} s (${list(realOne)}): ${(median(realOne) / median(realTwo)).toFixed(2)}×, ` +
      `against no worker process (the run in posrig's own) ${median(real).toFixed(2)} s: ${(median(real) / median(realTwo)).toFixed(2)}× (goal: 1.7×)`,
  ];
  const selfcheck = (clock: string, explore: number) =>
    seconds([
      'selfcheck',
      '--rig',
      RIG,
      '--reports',
      `reports/bench-selfcheck-${clock}`,
      '--clock',
      clock,
      '--explore',
      String(explore),
    ]);
  const virtual = selfcheck('virtual', 0);
  const explored = selfcheck('virtual', 200);
  const wall = options.selfcheckReal
    ? `against the wall clock ${selfcheck('real', 0).toFixed(1)} s`
    : '(wall clock not run)';
  lines.push(
    `${RIG}: posrig selfcheck on simulated time ${virtual.toFixed(1)} s ${wall} (goal: under 30 s); ` +
      `with the explore column (200 runs per firmware) ${explored.toFixed(1)} s`,
  );
  return lines;
}
