// The chaos soak: 10,000 transactions under random faults on simulated time, on clean firmware — `posrig explore`'s
// random command sequences (sales, PINs, cancels, reprints, paper, every network fault, power cuts, top-ups), each
// run judged by the model, the payment-truth invariant and the behaviour monitor. Prints the violations found (the
// goal is none), transactions per second, and the process's memory after 1,000 and after 10,000 transactions.
//   const lines = await chaosSoak({ transactions: 10_000 });   // BENCH_SOAK=2000 for a shorter soak

import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { explore } from '../rigs/explore/explore.ts';
import { startRig } from '../rigs/rig.ts';

const RIG = 'rigs/sim-serial.yaml';
/** Runs per exploration; each exploration has its own seed, so the soak is many short explorations back to back. */
const RUNS_PER_BATCH = 50;

/** Heap in use after a full collection, and the resident set, in MB. */
function memory(): { heap: number; rss: number } {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed / 2 ** 20, rss: rss / 2 ** 20 };
}

export async function chaosSoak(options: { transactions: number; seed?: number }): Promise<string[]> {
  const rig = await startRig(RIG, { clock: 'virtual' });
  const started = performance.now();
  let transactions = 0;
  let faults = 0;
  let runs = 0;
  let seed = options.seed ?? 1;
  const violations: string[] = [];
  let atOneThousand: { heap: number; rss: number } | undefined;
  try {
    while (transactions < options.transactions) {
      const summary = await explore(rig, { runs: RUNS_PER_BATCH, seed, maxCommands: 10 });
      transactions += summary.progress.transactions;
      faults += summary.progress.faults;
      runs += summary.progress.runs;
      if (summary.failure) violations.push(`seed ${seed}: ${summary.failure.message.split('\n')[0]}`);
      if (!atOneThousand && transactions >= 1000) atOneThousand = memory();
      seed += 1;
    }
  } finally {
    await rig.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const end = memory();
  const first = atOneThousand ?? end;
  const growth = ((end.heap - first.heap) / first.heap) * 100;
  return [
    `${RIG} on simulated time, chaos soak: ${transactions} transactions in ${runs} runs with ${faults} faults, ` +
      `${violations.length} violations${violations.length ? ` (${violations.slice(0, 3).join('; ')})` : ''} (goal: 0)`,
    `  ${(transactions / seconds).toFixed(1)} transactions/s (${seconds.toFixed(1)} s); heap after a full GC ` +
      `${first.heap.toFixed(1)} MB at 1,000 and ${end.heap.toFixed(1)} MB at ${transactions} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%, goal: within 10%), ` +
      `resident ${first.rss.toFixed(0)} MB and ${end.rss.toFixed(0)} MB`,
  ];
}
