// `npm run fuzz`: fast-check drives ECR frames and messages, ISO 8583 bodies, TCP framing, DE54 and MQTT input through
// posrig's decoders — by default 1,000,000 inputs per target — each target in a worker thread under a hang watchdog.
// Per target: inputs, seconds, inputs/s, the slowest input (ms, re-timed; and as first measured, GC pauses and a busy
// machine included), the most bytes a decoder held, and each failure with
// the command that replays it and the shrunk input (the full input also in reports/fuzz/). Exit 1 on any failure.
//   npm run fuzz                                   # 1M inputs per target, a random seed (printed)
//   npm run fuzz -- --inputs 20000 --seed 42       # a short run
//   npm run fuzz -- --target ecr.frame --seed 42 --path 1234:0:1   # replay one failure
//   npm run fuzz -- --help                         # the options and the targets
// A usage mistake (unknown option or target, a bad number, --path without --seed) is one line `fuzz: …`, exit 2.
// Targets and properties: bench/fuzz/*.ts; a short run of each is part of the unit suite (test/unit/fuzz-decoders.test.ts).

import { mkdirSync, writeFileSync } from 'node:fs';
import { FUZZ_HELP, type FuzzRun, FuzzUsageError, fuzzRun } from './fuzz/options.ts';
import { describeFailure, type FuzzResult } from './fuzz/runner.ts';
import { FUZZ_TARGETS } from './fuzz/targets.ts';
import { fuzzInWorker } from './fuzz/watchdog.ts';

const run = commandLine();
if (run.help) {
  console.log(FUZZ_HELP);
  console.log('targets:');
  for (const t of FUZZ_TARGETS) console.log(`  ${t.name.padEnd(15)} ${t.what}`);
  process.exit(0);
}
const { inputs, seed, hangMs, targets } = run;

console.log(
  run.path === undefined
    ? `fuzz: ${inputs.toLocaleString('en')} inputs per target, seed ${seed}, hang after ${hangMs} ms`
    : `fuzz: replaying path ${run.path} of seed ${seed} (and its shrinks), hang after ${hangMs} ms`,
);
const results: FuzzResult[] = [];
const wallStarted = Date.now();
for (const name of targets) {
  const tick = Math.max(1, Math.floor(inputs / 10));
  let shown = 0;
  const result = await fuzzInWorker(
    name,
    // a replay runs the one input of the path (and its shrinks)
    run.path === undefined ? { inputs, seed, hangMs } : { inputs: 1, seed, hangMs, path: run.path },
    (done) => {
      if (process.stderr.isTTY && done - shown >= tick) {
        shown = done;
        process.stderr.write(`  ${name}: ${done.toLocaleString('en')} / ${inputs.toLocaleString('en')}\r`);
      }
    },
  );
  results.push(result);
  console.log(row(result));
  if (result.slowest) console.log(`  slowest input: ${result.slowest}`);
  if (result.failure) {
    console.log(describeFailure(result));
    const file = `reports/fuzz/${name}-${result.failure.seed}.txt`;
    mkdirSync('reports/fuzz', { recursive: true });
    writeFileSync(file, `${describeFailure(result, Number.POSITIVE_INFINITY)}\n`);
    console.log(`  full input: ${file}`);
  }
}

const failed = results.filter((r) => r.failure);
const wall = (Date.now() - wallStarted) / 1000;
const total = results.reduce((sum, r) => sum + r.inputs, 0);
console.log(
  `${results.length} targets, ${total.toLocaleString('en')} inputs in ${wall.toFixed(1)} s: ` +
    (failed.length === 0 ? 'no failure' : `${failed.length} FAILED (${failed.map((r) => r.target).join(', ')})`),
);
process.exitCode = failed.length === 0 ? 0 : 1;

/** One line per target: inputs, seconds, inputs/s, slowest input, buffer high-water mark, failures. */
function row(r: FuzzResult): string {
  const buffer = r.maxBuffer === undefined ? '-' : `${r.maxBuffer} B (limit ${(r.bufferLimit ?? 0) - 1})`;
  const rate = Math.round(r.inputs / r.seconds).toLocaleString('en');
  return (
    `${r.target.padEnd(15)} ${r.inputs.toLocaleString('en').padStart(10)} inputs  ${r.seconds.toFixed(1).padStart(6)} s  ` +
    `${rate.padStart(7)}/s  max ${r.maxMs.toFixed(2)} ms/input (${r.maxWallMs.toFixed(0)} ms with pauses)  ` +
    `buffer ${buffer}  failures ${r.failure ? 1 : 0}`
  );
}

/** The run the arguments ask for; a usage mistake is one line `fuzz: …` and exit 2. */
function commandLine(): FuzzRun {
  try {
    return fuzzRun(
      process.argv.slice(2),
      FUZZ_TARGETS.map((t) => t.name),
    );
  } catch (error) {
    if (!(error instanceof FuzzUsageError)) throw error;
    console.error(`fuzz: ${error.message}`);
    process.exit(2);
  }
}
