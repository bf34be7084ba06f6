// Runs one fuzz target for N inputs under fast-check and measures it: seconds, inputs/s, the slowest single input,
// the most bytes the decoder held, and the first failure shrunk to a small counterexample with its seed and path.
//   const result = runTarget(ecrFrameTarget, { inputs: 5000, seed: 42 });
//   if (result.failure) console.log(describeFailure(result));  // replay: --target ecr.frame --seed 42 --path 17:3:0

import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import type { FuzzTarget } from './target.ts';

export interface FuzzOptions {
  readonly inputs: number;
  readonly seed: number;
  /** fast-check path of a failure to replay (its counterexamplePath); only that input and its shrinks run. */
  readonly path?: string;
  /** Shared counters for a watchdog: [0] inputs started, [1] inputs finished. */
  readonly progress?: Int32Array;
}

export interface FuzzFailure {
  readonly seed: number;
  readonly path: string;
  /** The shrunk input, as fast-check prints it. */
  readonly counterexample: string;
  /** What was thrown for it. */
  readonly error: string;
  readonly shrinks: number;
}

export interface FuzzResult {
  readonly target: string;
  /** Inputs run (up to and including the first failure). */
  readonly inputs: number;
  /** Wall seconds, generation included. */
  readonly seconds: number;
  /** Seconds inside the checks (decoder calls and property checks), generation excluded. */
  readonly decoderSeconds: number;
  /** The slowest single input, in ms (its check: decoder calls and property checks), and that input (as fast-check
   * prints it, cut short). Re-timed after the run: the best of 3 runs of each of the 20 slowest, so a GC pause or a
   * busy machine does not pass for a slow input. */
  readonly maxMs: number;
  /** The slowest single input as first measured, pauses and all. */
  readonly maxWallMs: number;
  readonly slowest?: string;
  /** The most bytes the decoder held buffered, for targets with a buffer. */
  readonly maxBuffer?: number;
  readonly bufferLimit?: number;
  readonly failure?: FuzzFailure;
}

/** Runs the target's property for `inputs` inputs from `seed` (or replays `path`). */
export function runTarget<T>(target: FuzzTarget<T>, options: FuzzOptions): FuzzResult {
  const slowInputs = new SlowestInputs<T>(SLOW_KEPT);
  let decoderMs = 0;
  let maxBuffer: number | undefined;
  let shrinking = false;
  const { progress } = options;
  const property = fc.property(target.arbitrary, (input) => {
    if (progress) Atomics.add(progress, 0, 1);
    const started = performance.now();
    try {
      const held = target.check(input);
      if (held !== undefined) maxBuffer = Math.max(maxBuffer ?? 0, held);
    } catch (error) {
      shrinking = true;
      throw error;
    } finally {
      const ms = performance.now() - started;
      if (!shrinking) {
        decoderMs += ms;
        slowInputs.offer(ms, input);
      }
      if (progress) Atomics.add(progress, 1, 1);
    }
  });
  const started = performance.now();
  const details = fc.check(property, {
    numRuns: options.inputs,
    seed: options.seed,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  const seconds = (performance.now() - started) / 1000;
  const slowest = slowInputs.retimed((input) => {
    const at = performance.now();
    try {
      target.check(input);
    } catch {
      // timed only: a failure is reported below
    }
    return performance.now() - at;
  });
  const result: FuzzResult = {
    target: target.name,
    inputs: details.numRuns,
    seconds,
    decoderSeconds: decoderMs / 1000,
    maxMs: slowest?.ms ?? 0,
    maxWallMs: slowInputs.maxMs,
    ...(slowest === undefined ? {} : { slowest: cut(fc.stringify(slowest.input), 300) }),
    ...(maxBuffer === undefined ? {} : { maxBuffer }),
    ...(target.bufferLimit === undefined ? {} : { bufferLimit: target.bufferLimit }),
  };
  if (!details.failed) return result;
  const error = details.errorInstance;
  return {
    ...result,
    failure: {
      seed: details.seed,
      path: details.counterexamplePath ?? '',
      counterexample: fc.stringify(details.counterexample?.[0]),
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      shrinks: details.numShrinks,
    },
  };
}

const SLOW_KEPT = 20;

/** The n slowest inputs seen, to be timed again once the run is over. */
class SlowestInputs<T> {
  private readonly kept: Array<{ ms: number; input: T }> = [];
  maxMs = 0;

  constructor(private readonly n: number) {}

  offer(ms: number, input: T): void {
    this.maxMs = Math.max(this.maxMs, ms);
    if (this.kept.length === this.n && ms <= (this.kept[this.n - 1]?.ms ?? 0)) return;
    this.kept.push({ ms, input });
    this.kept.sort((a, b) => b.ms - a.ms);
    if (this.kept.length > this.n) this.kept.pop();
  }

  /** The slowest input by the best of 3 new timings of each kept one. */
  retimed(time: (input: T) => number): { ms: number; input: T } | undefined {
    let worst: { ms: number; input: T } | undefined;
    for (const { input } of this.kept) {
      const ms = Math.min(time(input), time(input), time(input));
      if (!worst || ms > worst.ms) worst = { ms, input };
    }
    return worst;
  }
}

/** A failure in a few lines: what broke, the command that replays it, the shrunk input (cut to `maxInput` chars). */
export function describeFailure(result: FuzzResult, maxInput = 2000): string {
  const f = result.failure;
  if (!f) return `${result.target}: no failure`;
  const input = cut(f.counterexample, maxInput);
  return [
    `${result.target} FAILED after ${result.inputs} inputs (${f.shrinks} shrinks): ${f.error}`,
    `  replay: npm run fuzz -- --target ${result.target} --seed ${f.seed} --path ${f.path}`,
    `  input:  ${input}`,
  ].join('\n');
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
