// `npm run fuzz` on a wrong command line: one line `fuzz: …` on stderr that says what was wrong, exit 2, nothing run.
// Spawns `node --import tsx bench/fuzz.ts <args>` as a user would; the finer cases go straight to fuzzRun. No fuzzing
// beyond one input of one target (the happy path, which also takes a negative seed as printed by a replay line).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FuzzUsageError, fuzzRun } from '../../bench/fuzz/options.ts';
import { FUZZ_TARGETS } from '../../bench/fuzz/targets.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TARGETS = FUZZ_TARGETS.map((t) => t.name);
const TARGET_LIST = `targets: ${TARGETS.join(', ')}`;
const OPTION_LIST = 'options: --inputs N, --seed S, --target NAME, --path P (with --seed), --hang-ms MS, --help';

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run fuzz -- <args>` the way package.json does. */
async function fuzz(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/fuzz.ts', ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The one stderr line of a refused command line, after checking it is refused with nothing run. */
function refusal(outcome: Outcome): string {
  assert.equal(outcome.code, 2, outcome.stderr);
  assert.equal(outcome.stdout, '');
  const lines = outcome.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, outcome.stderr);
  return lines[0] as string;
}

describe('npm run fuzz: a wrong command line is one line and exit 2', { concurrency: true }, () => {
  it('an unknown target names the known ones', async () => {
    assert.equal(refusal(await fuzz('--target', 'nope')), `fuzz: no fuzz target "nope"; ${TARGET_LIST}`);
  });

  it('an unknown option names the known ones', async () => {
    assert.equal(refusal(await fuzz('--bogus')), `fuzz: unknown option --bogus; ${OPTION_LIST}`);
  });

  it('--inputs 0 says what --inputs takes and what it got', async () => {
    assert.equal(refusal(await fuzz('--inputs', '0')), 'fuzz: --inputs takes a whole number ≥ 1, got "0"');
  });

  it('--path without --seed is refused, not run with a fresh seed', async () => {
    assert.equal(
      refusal(await fuzz('--target', 'ecr.frame', '--path', '1234:0:1')),
      'fuzz: --path replays one failure and needs the --seed it was found with: ' +
        'npm run fuzz -- --target T --seed S --path P',
    );
  });

  it('a right command line runs: one input of one target, a negative seed as a replay line prints it', async () => {
    const outcome = await fuzz('--inputs', '1', '--target', 'ecr.message', '--seed', '-5');
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /^fuzz: 1 inputs per target, seed -5,/);
    assert.match(outcome.stdout, /^1 targets, 1 inputs in .* no failure$/m);
  });
});

describe('fuzzRun: the command line of npm run fuzz', () => {
  const refused = (args: string[]): string => {
    try {
      fuzzRun(args, TARGETS, () => 7);
    } catch (error) {
      assert.ok(error instanceof FuzzUsageError, String(error));
      return error.message;
    }
    assert.fail(`accepted ${args.join(' ')}`);
  };

  it('defaults: 1,000,000 inputs of every target, a fresh seed, 10 s to a hang', () => {
    assert.deepEqual(
      fuzzRun([], TARGETS, () => 7),
      {
        inputs: 1_000_000,
        seed: 7,
        targets: TARGETS,
        hangMs: 10_000,
        help: false,
      },
    );
  });

  it('a replay: its target, seed (negative too, either spelling) and path', () => {
    const expected = { inputs: 1_000_000, seed: -42, targets: ['mqtt'], path: '12:0:3', hangMs: 10_000, help: false };
    assert.deepEqual(fuzzRun(['--target', 'mqtt', '--seed', '-42', '--path', '12:0:3'], TARGETS), expected);
    assert.deepEqual(fuzzRun(['--target=mqtt', '--seed=-42', '--path=12:0:3'], TARGETS), expected);
  });

  it('targets repeated or comma-separated, each once; inputs with _ between digits', () => {
    const run = fuzzRun(['--target', 'mqtt,ecr.frame', '--target', 'mqtt', '--inputs', '20_000'], TARGETS);
    assert.deepEqual(run.targets, ['mqtt', 'ecr.frame']);
    assert.equal(run.inputs, 20_000);
  });

  it('--help and -h ask for the help text', () => {
    assert.equal(fuzzRun(['--help'], TARGETS).help, true);
    assert.equal(fuzzRun(['-h'], TARGETS).help, true);
  });

  it('a slip names the closest target or option; a bare target name asks for --target', () => {
    assert.equal(
      refused(['--target', 'ecr.fram']),
      `no fuzz target "ecr.fram" (did you mean ecr.frame?); ${TARGET_LIST}`,
    );
    assert.equal(refused(['--target', 'de54']), `no fuzz target "de54" (did you mean iso8583.de54?); ${TARGET_LIST}`);
    assert.equal(refused(['--input', '5']), `unknown option --input (did you mean --inputs?); ${OPTION_LIST}`);
    assert.equal(refused(['ecr.frame']), 'unexpected "ecr.frame": did you mean --target ecr.frame?');
    assert.match(refused(['5']), /^unexpected "5": options come as --name value, after -- with npm/);
  });

  it('a bad number names the option and what it got', () => {
    assert.equal(refused(['--inputs', '1.5']), '--inputs takes a whole number ≥ 1, got "1.5"');
    assert.equal(refused(['--inputs', '']), '--inputs takes a whole number ≥ 1, got ""');
    assert.equal(refused(['--seed', 'x']), '--seed takes a whole number (32-bit, as a run prints it), got "x"');
    assert.equal(refused(['--seed=']), '--seed takes a whole number (32-bit, as a run prints it), got ""');
    assert.equal(refused(['--hang-ms', '0']), '--hang-ms takes a number of milliseconds > 0, got "0"');
  });

  it('an option without its value says so, even when another option follows', () => {
    assert.equal(refused(['--seed']), '--seed takes a value: --seed S');
    assert.equal(refused(['--seed', '--inputs', '3']), '--seed takes a value: --seed S');
  });

  it('--path needs a path as printed, and the one target it belongs to', () => {
    assert.equal(
      refused(['--target', 'mqtt', '--seed', '1', '--path', 'x']),
      '--path takes a failure\'s path as its replay line prints it (e.g. 1234:0:1), got "x"',
    );
    assert.equal(
      refused(['--seed', '1', '--path', '1:2']),
      `--path replays one failure: give the one --target it belongs to (one of ${TARGETS.join(', ')})`,
    );
  });

  it('a fresh seed is never negative, so the replay line it prints needs no --seed=-…', () => {
    for (let i = 0; i < 100; i += 1) assert.ok(fuzzRun([], TARGETS).seed >= 0);
  });
});
