// A rig that breaks mid-scenario is a rig fault, not a firmware defect: the simulated terminal process or socat killed
// on sim-pty fails that scenario with "rig fault" in its first line, and the rig recovers for the next one.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cliEnvironment } from '../support/cli.ts';
import { shippedRig } from '../support/rigText.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-rig-faults-'));
const feature = path.join(folder, 'rig-fault.feature');
writeFileSync(
  feature,
  `Feature: a rig that breaks
  Scenario: the rig breaks while the terminal waits for a card
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    Then the terminal shows "this text is never shown"

  Scenario: the next scenario runs on a renewed rig
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the card "alice" is debited 100.00 CNY
`,
);

/** Steps finished before the rig is broken: Before, the balance, the sale (the 4th waits for a display). */
const STEPS_BEFORE_THE_BREAK = 3;

/** Runs the feature on a copy of sim-pty named `name`; `breakRig` is called once scenario 1 waits for the display. */
async function runBreaking(name: string, breakRig: () => void) {
  const rig = path.join(folder, `${name}.yaml`);
  writeFileSync(rig, shippedRig('rigs/sim-pty.yaml').replace(/^name: .*$/m, `name: ${name}`));
  const reports = path.join(folder, name);
  const messages = path.join(folder, `${name}.ndjson`);
  const child = spawn(
    process.execPath,
    ['bin/posrig.js', 'run', '--rig', rig, '--reports', reports, '--', '--format', `message:${messages}`, feature],
    { env: cliEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  await until(() => stepsFinished(messages) >= STEPS_BEFORE_THE_BREAK, 60_000, 'scenario 1 to reach its display wait');
  breakRig();
  const code = await exitOf(child);
  return { code, stdout, junit: readFileSync(path.join(reports, 'junit.xml'), 'utf8') };
}

function stepsFinished(file: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"testStepFinished"')).length;
}

/** Waits (polling a file the run writes) until the condition holds; fails after timeoutMs. */
async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** SIGKILLs the processes whose command line matches the pattern (as a lab would find its rig gone). */
function kill(pattern: string): void {
  const found = spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  assert.ok(found.length > 0, `a process matching ${pattern}`);
  for (const pid of found) process.kill(Number(pid), 'SIGKILL');
}

/** The JUnit failure of each scenario, in order (null where it passed). */
function junitFailures(junit: string): Array<string | null> {
  return [...junit.matchAll(/<testcase[^>]*>([\s\S]*?)<\/testcase>|<testcase[^>]*\/>/g)].map(
    (m) => /<failure[^>]*message="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? null,
  );
}

describe('a rig that breaks mid-scenario', () => {
  for (const [part, pattern, words] of [
    ['simulator', 'sim terminal --port .*/rf-simulator-', /rig fault: rig rf-simulator-\d+: /],
    ['socat', 'socat .*/rf-socat-', /rig fault: rig rf-socat-\d+: /],
  ] as const) {
    it(`the ${part} killed: that scenario fails as a rig fault, and the next one passes on a renewed rig`, async () => {
      const name = `rf-${part}-${process.pid}`;
      const run = await runBreaking(name, () => kill(pattern.replace(/-$/, `-${process.pid}-`)));
      assert.equal(run.code, 1, run.stdout);
      const failures = junitFailures(run.junit);
      assert.equal(failures.length, 2, run.junit);
      assert.match(failures[0] ?? '', /^rig fault: /, 'the first line names the culprit');
      assert.equal(failures[1], null, 'the scenario after the break passes');
      assert.match(run.stdout, words);
      assert.doesNotMatch(run.stdout, /firmware defect|payment-truth invariant violated/);
      assert.match(run.stdout, /2 scenarios \(1 failed, 1 passed\)/);
    });
  }
});
