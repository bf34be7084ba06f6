// `posrig run` as a user meets it: a failing scenario quotes what the terminal did; a rig typo is one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cliEnvironment, posrig as runPosrig } from '../support/cli.ts';
import { shippedRig } from '../support/rigText.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-cli-'));

function posrig(...args: string[]) {
  return runPosrig(args, 60_000);
}

/** A copy of sim-serial whose simulated bank posts every reversal twice. */
/** Every text attachment of a run's cucumber.json, one after the other (they are stored base64). */
function textAttachments(reports: string): string {
  const features = JSON.parse(readFileSync(path.join(reports, 'cucumber.json'), 'utf8')) as Array<{
    elements?: Array<{ steps?: Array<{ embeddings?: Array<{ data: string; mime_type: string }> }> }>;
  }>;
  return features
    .flatMap((f) => (f.elements ?? []).flatMap((e) => (e.steps ?? []).flatMap((step) => step.embeddings ?? [])))
    .filter((e) => e.mime_type.startsWith('text/plain'))
    .map((e) => Buffer.from(e.data, 'base64').toString('utf8'))
    .join('\n');
}

function brokenBankRig(name: string): string {
  const rig = path.join(folder, name);
  const good = shippedRig('rigs/sim-serial.yaml');
  writeFileSync(
    rig,
    good.replace(
      'simulate: { ledger: ":memory:" }',
      'simulate: { ledger: ":memory:", defects: [double-post-reversal] }',
    ),
  );
  return rig;
}

describe('posrig run', () => {
  it('a failing scenario prints what the terminal showed, said and printed, with timestamps', () => {
    const reports = path.join(folder, 'reports');
    const run = posrig('run', '--reports', reports, '--', 'test/fixtures/features/failing.feature');
    assert.equal(run.code, 1);
    // The wording of the failure is the steps' (steps/support/verdicts.ts); what matters here is that it reaches stdout.
    assert.match(
      run.stdout,
      /(waited \d+ ms for|came without) the display to show "交易失败".*; the terminal did this:/,
    );
    assert.match(run.stdout, /\d\d:\d\d:\d\d\.\d{3} ← display {5}交易成功 \| 金额: ¥100\.00/);
    assert.match(run.stdout, /\d\d:\d\d:\d\d\.\d{3} ← voice {7}"交易成功"/);
    assert.match(run.stdout, /← print {7}cardholder copy: .*622848\*{9}0018/);
    assert.match(run.stdout, /unknown card "alcie".* \(\S*fixtures\/cards\.yaml has: alice, bob/);
    assert.doesNotMatch(run.stdout, /6228480402564890018/, 'no unmasked PAN in the output');
    assert.match(run.stdout, /→ input\.keys {2}• • • • • • ENTER/, 'the keys pressed are hidden');
    assert.match(readFileSync(path.join(reports, 'junit.xml'), 'utf8'), /Expecting a failure on an approved sale/);
  });

  it('a bank that posts a reversal twice fails the scenario on the payment-truth invariant, with a ledger diff', () => {
    const rig = brokenBankRig('broken-bank.yaml');
    const run = posrig(
      'run',
      '--rig',
      rig,
      '--reports',
      path.join(folder, 'broken'),
      '--',
      'test/fixtures/features/reversal-lost.feature',
    );
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.stdout,
      /^\s+rig fault: the simulated bank runs with seeded defects \(double-post-reversal\), so this is not the terminal's: payment-truth invariant violated:/m,
    );
    assert.match(run.stdout, /\[net-effect\] STAN \d{6} \(T0000001\)/);
    assert.match(run.stdout, /card:alice +500\.00 CNY +600\.00 CNY +\+100\.00 CNY/);
    assert.match(run.stdout, /merchant:898310048160001 +0\.00 CNY +-100\.00 CNY +-100\.00 CNY/);
    assert.match(run.stdout, /reversal +T0000001 +\d{6} +100\.00 CNY +00 +yes +\d+ +200\.00 CNY +622848\*{9}0018/);
    assert.match(run.stdout, /1 scenario \(1 failed\)/);
  });

  it('JUnit carries the first failure: a violation found after a failed step is attached, not thrown over it', () => {
    const rig = brokenBankRig('broken-bank-2.yaml');
    const feature = path.join(folder, 'reversal-lost-wrong.feature');
    writeFileSync(
      feature,
      readFileSync('test/fixtures/features/reversal-lost.feature', 'utf8').replace(
        'Then the terminal shows "交易失败"',
        'Then the terminal shows "交易失败"\n    And the terminal says "交易成功"',
      ),
    );
    const reports = path.join(folder, 'first-failure');
    const run = posrig('run', '--rig', rig, '--reports', reports, '--', feature);
    assert.equal(run.code, 1, run.stdout);
    const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    const failure = /<failure[^>]*message="([^"]*)"/.exec(junit)?.[1] ?? '';
    assert.match(
      failure,
      /^rig fault: the simulated bank runs with seeded defects \(double-post-reversal\), so this is not the terminal's: the transaction result came without the voice prompt &quot;交易成功&quot;/,
    );
    assert.doesNotMatch(failure, /payment-truth/);
    // attached to the scenario's report (its text attachments in cucumber.json), not printed over the first failure
    assert.match(
      textAttachments(reports),
      /payment-truth invariant violated:\n\s+- \[net-effect\]/,
      'the violation is kept',
    );
    assert.doesNotMatch(run.stdout, /payment-truth invariant violated/, 'the console shows the first failure only');
  });

  it('the same scenario on the clean bank passes the invariant', () => {
    const run = posrig(
      'run',
      '--reports',
      path.join(folder, 'clean'),
      '--',
      'test/fixtures/features/reversal-lost.feature',
    );
    assert.equal(run.code, 0, run.stdout);
    assert.doesNotMatch(run.stdout, /PaymentTruthError/);
  });

  it("--reports-only json writes cucumber.json alone, and an earlier run's other reports go", () => {
    const reports = path.join(folder, 'only-json');
    const feature = 'test/fixtures/features/reversal-lost.feature';
    assert.equal(posrig('run', '--reports', reports, '--', feature).code, 0);
    const written = () => readdirSync(reports).sort();
    assert.deepEqual(written(), ['allure-results', 'cucumber.html', 'cucumber.json', 'junit.xml']);
    const run = posrig('run', '--reports', reports, '--reports-only', 'json', '--', feature);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(written(), ['cucumber.json']);
    const [result] = JSON.parse(readFileSync(path.join(reports, 'cucumber.json'), 'utf8')) as Array<{ uri: string }>;
    assert.equal(result?.uri, feature);
  });

  it('a rig that cannot start fails BeforeAll: one line, and the Allure results keep it as a global error', () => {
    const reports = path.join(folder, 'no-start');
    // No socat on the PATH: the PTY pair of rigs/sim-pty.yaml cannot be made (node is all the PATH holds).
    const bin = path.join(folder, 'bin-without-socat');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const run = spawnSync(
      process.execPath,
      [
        'bin/posrig.js',
        'run',
        '--rig',
        'rigs/sim-pty.yaml',
        '--reports',
        reports,
        'features/purchase/approved.feature',
      ],
      { encoding: 'utf8', env: { ...cliEnvironment(), PATH: bin }, timeout: 60_000 },
    );
    assert.notEqual(run.status, 0);
    assert.match(
      run.stderr,
      /BeforeAll hook errored.*rig fault: the socat PTY pair did not start: socat is not installed/,
    );
    const results = path.join(reports, 'allure-results');
    const globals = readdirSync(results).filter((file) => file.endsWith('-globals.json'));
    assert.equal(globals.length, 1);
    assert.match(
      readFileSync(path.join(results, globals[0] ?? ''), 'utf8'),
      /BeforeAll hook failed: rig fault: the socat/,
    );
  });

  it('a rig file with a typo gets one line naming file, line, key and the allowed keys', () => {
    const rig = path.join(folder, 'typo.yaml');
    const good = shippedRig('rigs/sim-serial.yaml');
    writeFileSync(rig, good.replace('baudRate: 115200', 'baudrate: fast'));
    const run = posrig('run', '--rig', rig);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.deepEqual(run.stderr.trim().split('\n'), [
      `posrig run: ${rig}:8: terminal.link: unknown key "baudrate" (allowed: kind, path, baudRate)`,
    ]);
  });

  it('a rig file that does not exist is named', () => {
    const run = posrig('run', '--rig', 'rigs/nope.yaml');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^posrig run: rig file rigs\/nope\.yaml does not exist/);
  });
});
