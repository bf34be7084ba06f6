// posrig's command line as a user runs it, for tests: `bin/posrig.js` in a child process, as CI would.
//   const run = posrig('run', '--dry-run', 'features/purchase');  run.code, run.stdout, run.stderr, run.lines

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stderr, trimmed, line by line: where one-line errors go. */
  readonly lines: string[];
  /** stdout and stderr together. */
  readonly output: string;
}

/** The environment of a posrig child: CI, no inherited --import, and not reporting to this test runner. */
export function cliEnvironment(): NodeJS.ProcessEnv {
  // NODE_TEST_CONTEXT would make the child report to this test runner instead of exiting with its own code.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return { ...env, CI: 'true', NODE_OPTIONS: '' };
}

/** Runs `posrig …args` to the end (at most timeoutMs). */
export function posrig(args: readonly string[], timeoutMs = 120_000): CliRun {
  const run = spawnSync(process.execPath, ['bin/posrig.js', ...args], {
    encoding: 'utf8',
    env: cliEnvironment(),
    timeout: timeoutMs,
  });
  const stderr = run.stderr ?? '';
  const stdout = run.stdout ?? '';
  return { code: run.status, stdout, stderr, lines: stderr.trim().split('\n'), output: `${stdout}\n${stderr}` };
}

/** A posrig child still running: spawned, not spawnSync, for tests whose own process serves it meanwhile (a broker,
 * agents). `output()` is what it said so far; `done` resolves with the whole run. */
export interface RunningCli {
  readonly child: ChildProcess;
  output(): string;
  readonly done: Promise<CliRun>;
}

/** Starts `posrig …args` with these variables added to cliEnvironment(). */
export function startPosrig(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, ['bin/posrig.js', ...args], {
    env: { ...cliEnvironment(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<CliRun>((resolve) =>
    child.once('exit', (code) =>
      resolve({ code, stdout, stderr, lines: stderr.trim().split('\n'), output: `${stdout}\n${stderr}` }),
    ),
  );
  return { child, output: () => `${stdout}\n${stderr}`, done };
}
