// The chaos soak: 10,000 transactions under random faults on simulated time, on clean firmware — `posrig explore`'s
// random command sequences (sales, PINs, cancels, reprints, paper, every network fault, power cuts, top-ups), each
// run judged by the model, the payment-truth invariant and the behaviour monitor. Prints the violations found (the
// goal is none), transactions per second, and the heap after a full collection at every 1,000 transactions, the rig
// still running, the same way each time (the goal: at 10,000 within 10% of at 1,000).
//   const lines = await chaosSoak({ transactions: 10_000 });   // BENCH_SOAK=2000 for a shorter soak

import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { explore } from '../rigs/explore/explore.ts';
import { startRig } from '../rigs/rig.ts';

const RIG = 'rigs/sim-serial.yaml';
/** Runs per exploration; each exploration has its own seed, so the soak is many short explorations back to back. */
const RUNS_PER_BATCH = 50;

/** A full collection: node's own gc() under --expose-gc, else the same function taken from a fresh context once the
 * flag is set at run time (V8 installs it in contexts created after). */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap in use after a full collection (twice: what a finalizer or a weak reference let go on the first goes on the
 * second), and the resident set, in MB. */
function memory(gc: () => void): Memory {
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed / 2 ** 20, rss: rss / 2 ** 20 };
}

interface Memory {
  heap: number;
  rss: number;
}

export async function chaosSoak(options: { transactions: number; seed?: number }): Promise<string[]> {
  const gc = collector();
  const rig = await startRig(RIG, { clock: 'virtual' });
  const started = performance.now();
  let transactions = 0;
  let faults = 0;
  let runs = 0;
  let seed = options.seed ?? 1;
  const violations: string[] = [];
  /** The heap at each 1,000 transactions passed, measured between explorations with the rig running. */
  const samples: Array<{ transactions: number } & Memory> = [];
  let nextSample = 1000;
  let measuringMs = 0; // the full collections are not the soak's time
  let seconds = 0;
  try {
    while (transactions < options.transactions) {
      const summary = await explore(rig, { runs: RUNS_PER_BATCH, seed, maxCommands: 10 });
      transactions += summary.progress.transactions;
      faults += summary.progress.faults;
      runs += summary.progress.runs;
      if (summary.failure) violations.push(`seed ${seed}: ${summary.failure.message.split('\n')[0]}`);
      seed += 1;
      if (transactions >= nextSample || transactions >= options.transactions) {
        const measuring = performance.now();
        samples.push({ transactions, ...memory(gc) });
        measuringMs += performance.now() - measuring;
        nextSample = (Math.floor(transactions / 1000) + 1) * 1000;
      }
    }
    seconds = (performance.now() - started - measuringMs) / 1000;
  } finally {
    await rig.stop();
  }
  const first = samples.find((s) => s.transactions >= 1000) ?? (samples[0] as Memory & { transactions: number });
  const end = samples.at(-1) ?? first;
  const growth = ((end.heap - first.heap) / first.heap) * 100;
  const mb = (m: Memory) => m.heap.toFixed(1);
  return [
    `${RIG} on simulated time, chaos soak: ${transactions} transactions in ${runs} runs with ${faults} faults, ` +
      `${violations.length} violations${violations.length ? ` (${violations.slice(0, 3).join('; ')})` : ''} (goal: 0)`,
    `  ${(transactions / seconds).toFixed(1)} transactions/s (${seconds.toFixed(1)} s); ` +
      `heap after a full GC, rig running: ${mb(first)} MB at ${first.transactions} and ${mb(end)} MB at ${end.transactions} ` +
      `(${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%, goal: within 10%), resident ${first.rss.toFixed(0)} MB and ${end.rss.toFixed(0)} MB`,
    `  heap at each 1,000 (MB): ${samples.map(mb).join(', ')}`,
  ];
}
