// Runs one fuzz target in a worker thread and watches it: an input that makes no progress for `hangMs` is a hang —
// the worker is stopped and the result names the input (its fast-check path, to replay with the same seed).
//   const result = await fuzzInWorker('ecr.frame', { inputs: 1_000_000, seed: 42, hangMs: 10_000 }, onProgress);

import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { FuzzResult } from './runner.ts';
import type { WorkerJob } from './worker.ts';

export interface WatchOptions {
  readonly inputs: number;
  readonly seed: number;
  readonly path?: string;
  /** No input finished for this long: a hang (default 10 s). */
  readonly hangMs?: number;
}

/** The worker's entry: tsx must be registered inside the worker too, so the entry is a small script doing that. */
function bootScript(): string {
  const entry = new URL('./worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
}

/** Fuzzes one target in a worker; resolves with its result, or a hang failure naming the stuck input. */
export function fuzzInWorker(
  target: string,
  options: WatchOptions,
  onProgress?: (done: number) => void,
): Promise<FuzzResult> {
  const progress = new SharedArrayBuffer(8);
  const counters = new Int32Array(progress);
  const job: WorkerJob = {
    target,
    inputs: options.inputs,
    seed: options.seed,
    progress,
    ...(options.path === undefined ? {} : { path: options.path }),
  };
  const hangMs = options.hangMs ?? 10_000;
  const started = performance.now();
  const worker = new Worker(bootScript(), { eval: true, workerData: job });
  return new Promise((resolve, reject) => {
    let lastDone = -1;
    let lastChange = performance.now();
    const watch = setInterval(() => {
      const done = Atomics.load(counters, 1);
      if (done !== lastDone) {
        lastDone = done;
        lastChange = performance.now();
        onProgress?.(done);
        return;
      }
      if (performance.now() - lastChange < hangMs) return;
      clearInterval(watch);
      const begun = Atomics.load(counters, 0);
      void worker.terminate();
      const inDecoder = begun > done;
      resolve({
        target,
        inputs: begun,
        seconds: (performance.now() - started) / 1000,
        decoderSeconds: Number.NaN,
        maxMs: hangMs,
        maxWallMs: hangMs,
        failure: {
          seed: options.seed,
          path: String(begun - 1),
          counterexample: '(the input of that path: replay it with the command above)',
          error: inDecoder
            ? `HANG: input #${begun - 1} did not finish within ${hangMs} ms`
            : `HANG: fast-check made no progress for ${hangMs} ms after input #${begun - 1} (generating or shrinking)`,
          shrinks: 0,
        },
      });
    }, 250);
    worker.once('message', (result: FuzzResult) => {
      clearInterval(watch);
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      clearInterval(watch);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearInterval(watch);
      if (code !== 0) reject(new Error(`fuzz worker for ${target} exited with code ${code}`));
    });
  });
}
