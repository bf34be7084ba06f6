// The worker thread one fuzz target runs in, so that bench/fuzz.ts can stop an input that hangs (a synchronous loop
// cannot be interrupted from inside) and still say which input it was. Started by fuzzInWorker (watchdog.ts).
//   workerData: { target, inputs, seed, path?, progress: SharedArrayBuffer }  →  posts one FuzzResult

import { parentPort, workerData } from 'node:worker_threads';
import { type FuzzOptions, runTarget } from './runner.ts';
import { fuzzTarget } from './targets.ts';

export interface WorkerJob {
  readonly target: string;
  readonly inputs: number;
  readonly seed: number;
  readonly path?: string;
  readonly progress: SharedArrayBuffer;
}

const job = workerData as WorkerJob;
const options: FuzzOptions = {
  inputs: job.inputs,
  seed: job.seed,
  progress: new Int32Array(job.progress),
  ...(job.path === undefined ? {} : { path: job.path }),
};
parentPort?.postMessage(runTarget(fuzzTarget(job.target), options));
