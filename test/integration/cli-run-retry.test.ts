// `--retry` may not turn a failure green: a scenario passes on a retry only if every attempt that failed was a rig
// fault. One that failed with a firmware defect (or a scenario error) and then passed fails the run (exit 1), with one
// line naming it, where and why. Runs posrig in a folder of its own whose cucumber config loads flaky steps (each
// fails its scenario's first attempt) instead of the suite's, so no rig is needed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { cliEnvironment } from '../support/cli.ts';
import { shippedRig } from '../support/rigText.ts';

const project = process.cwd();
const folder = mkdtempSync(path.join(tmpdir(), 'posrig-retry-'));
// The folder resolves tsx and cucumber (also in --parallel workers) and the rig's cards as the project does.
symlinkSync(path.join(project, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
symlinkSync(path.join(project, 'fixtures'), path.join(folder, 'fixtures'), 'dir');
writeFileSync(path.join(folder, 'rig.yaml'), shippedRig('rigs/sim-serial.yaml'));
writeFileSync(path.join(folder, 'package.json'), '{ "type": "module" }\n');
writeFileSync(path.join(folder, 'cucumber.mjs'), "export default { import: ['flaky.steps.ts'] };\n");
const verdicts = (file: string) => pathToFileURL(path.join(project, file)).href;
writeFileSync(
  path.join(folder, 'flaky.steps.ts'),
  `import { Given } from '@cucumber/cucumber';
import '${verdicts('steps/support/verdicts.ts')}';
import { FirmwareDefect, RigFault, ScenarioError } from '${verdicts('rigs/verdict/culprit.ts')}';

const verdicts = { 'firmware defect': FirmwareDefect, 'rig fault': RigFault, 'scenario error': ScenarioError };
const attempts = new Map<string, number>();

Given('the first attempt fails with a {word} {word}: {string}', (first: string, second: string, message: string) => {
  const seen = attempts.get(message) ?? 0;
  attempts.set(message, seen + 1);
  if (seen === 0) throw new verdicts[\`\${first} \${second}\` as keyof typeof verdicts](message);
});
Given('all is well', () => {});
`,
);
writeFileSync(
  path.join(folder, 'flaky.feature'),
  `Feature: Flaky

  @firmware
  Scenario: Approved on the second try
    Given the first attempt fails with a firmware defect: "the terminal showed nothing"
    And all is well

  @rig
  Scenario: The serial port closed once
    Given the first attempt fails with a rig fault: "the serial port closed"

  Scenario: Solid
    Given all is well

  @words
  Scenario: A word was wrong once
    Given all is well
    And the first attempt fails with a scenario error: "unknown card \\"alcie\\""
`,
);

/** `posrig run --rig rig.yaml --reports reports …args flaky.feature` in the folder. */
function posrig(...args: string[]) {
  const run = spawnSync(
    process.execPath,
    [path.join(project, 'bin/posrig.js'), 'run', '--rig', 'rig.yaml', '--reports', 'reports', ...args, 'flaky.feature'],
    { cwd: folder, encoding: 'utf8', env: cliEnvironment(), timeout: 120_000 },
  );
  const stderr = run.stderr ?? '';
  return { code: run.status, output: `${run.stdout}\n${stderr}`, lines: stderr.trim().split('\n') };
}

const retried = (lines: readonly string[]) => lines.filter((l) => l.includes('passed only on retry'));

describe('posrig run --retry: no failure turns green', () => {
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('a scenario that failed with a firmware defect and passed on retry fails the run, one line each', () => {
    const run = posrig('--retry', '1');
    assert.match(run.output, /4 scenarios \(4 passed\)/, 'cucumber itself counts them passed');
    assert.equal(run.code, 1, run.output);
    assert.deepEqual(retried(run.lines), [
      'posrig run: Approved on the second try (flaky.feature:4) passed only on retry after a firmware defect: the terminal showed nothing',
      'posrig run: A word was wrong once (flaky.feature:16) passed only on retry after a scenario error: unknown card "alcie"',
    ]);
  });

  it('a scenario whose failed attempts were all rig faults passes on retry', () => {
    const run = posrig('--retry', '2', '--tags', 'not @firmware and not @words');
    assert.match(run.output, /2 scenarios \(2 passed\)/);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(retried(run.lines), []);
  });

  it('the same holds with parallel workers', () => {
    const run = posrig('--retry', '1', '--parallel', '2', '--tags', '@firmware or @rig');
    assert.match(run.output, /2 scenarios \(2 passed\)/);
    assert.equal(run.code, 1, run.output);
    assert.deepEqual(retried(run.lines), [
      'posrig run: Approved on the second try (flaky.feature:4) passed only on retry after a firmware defect: the terminal showed nothing',
    ]);
  });

  it('without --retry the failure is a plain failure', () => {
    const run = posrig('--tags', '@firmware');
    assert.match(run.output, /1 scenario \(1 failed\)/);
    assert.equal(run.code, 1);
    assert.deepEqual(retried(run.lines), []);
  });
});
