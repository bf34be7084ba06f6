// The selfcheck's reader of cucumber.json: a scenario's verdict is the culprit named by the first line of its first
// failed step or hook. Fixtures are shaped like cucumber-js's JSON formatter output (hooks are hidden entries of steps[]).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  CucumberJsonError,
  firstLine,
  MESSAGE_LENGTH,
  readCucumberJson,
  runResults,
} from '../../cli/selfcheckVerdicts.ts';

type Status = 'passed' | 'failed' | 'skipped' | 'undefined' | 'ambiguous' | 'pending';

function step(keyword: string, name: string, status: Status, error?: string) {
  return {
    arguments: [],
    keyword,
    line: 5,
    name,
    match: { location: 'steps/terminal.steps.ts:40' },
    result: { status, duration: 1000, ...(error === undefined ? {} : { error_message: error }) },
  };
}

function hook(keyword: 'Before' | 'After', status: Status, error?: string) {
  return {
    keyword,
    hidden: true,
    match: { location: 'steps/hooks.ts:30' },
    result: { status, duration: 1000, ...(error === undefined ? {} : { error_message: error }) },
  };
}

function scenario(name: string, line: number, steps: unknown[]) {
  return { id: name, keyword: 'Scenario', line, name, tags: [], type: 'scenario', steps };
}

function feature(name: string, uri: string, elements: unknown[]) {
  return { description: '', elements, id: name, line: 1, keyword: 'Feature', name, tags: [], uri };
}

const given = () => step('Given ', 'the card "alice" holds 500.00 CNY', 'passed');

const firmwareCatch = scenario('Swiped card with PIN is approved', 7, [
  hook('Before', 'passed'),
  given(),
  step(
    'And ',
    'the terminal prints a cardholder receipt for 100.00 CNY',
    'failed',
    'firmware defect: the terminal printed 2 cardholder receipts for 100.00 CNY, expected 1\n    + expected - actual\n\n    at PosWorld.printsReceipt (steps/terminal.steps.ts:43:10)',
  ),
  step('And ', 'the card "alice" is debited 100.00 CNY', 'skipped'),
  // A later failure never changes the verdict: the first one decides.
  hook('After', 'failed', 'rig fault: the rig could not reset'),
]);

const rigFault = scenario('Power cut while online', 12, [
  hook('Before', 'passed'),
  given(),
  step(
    'When ',
    'the power is cut',
    'failed',
    'rig fault: rig sim-serial: the simulated terminal process exited (signal SIGKILL)\n    at x (rigs/rig.ts:1:1)',
  ),
  step('Then ', 'the terminal shows "交易失败"', 'skipped'),
  hook('After', 'passed'),
]);

const scenarioError = scenario('Unknown card', 20, [
  hook('Before', 'passed'),
  step(
    'Given ',
    'the card "alcie" holds 500.00 CNY',
    'failed',
    'scenario error: unknown card "alcie" (fixtures/cards.yaml has: alice, bob)',
  ),
  hook('After', 'passed'),
]);

const afterHookFailure = scenario('The response is lost after the host approved: the terminal reverses', 30, [
  hook('Before', 'passed'),
  given(),
  step('Then ', 'the terminal shows "交易失败"', 'passed'),
  hook(
    'After',
    'failed',
    'firmware defect: payment-truth invariant violated: [net-effect] STAN 000012 (T0000001)\n  card:alice  500.00 CNY  400.00 CNY',
  ),
]);

const undefinedStep = scenario('A typo in a step', 40, [
  hook('Before', 'passed'),
  given(),
  step('When ', 'the cardholder swipez the card "alice"', 'undefined'),
  step('Then ', 'the terminal shows "交易成功"', 'skipped'),
  hook('After', 'passed'),
]);

const unprefixed = scenario('Chip card with PIN is approved', 50, [
  hook('Before', 'passed'),
  step(
    'And ',
    'the terminal prints a cardholder receipt for 88.80 CNY',
    'failed',
    'AssertionError [ERR_ASSERTION]\n    + expected - actual\n\n    -2\n    +1',
  ),
]);

const passing = scenario('Contactless tap under the no-PIN limit is approved without a PIN', 60, [
  hook('Before', 'passed'),
  given(),
  step('Then ', 'the terminal shows "交易成功"', 'passed'),
  hook('After', 'passed'),
]);

const report = [
  feature('Approved purchase', 'features/purchase/approved.feature', [firmwareCatch, unprefixed, passing]),
  feature('Power cut', 'features/faults/power.feature', [rigFault, afterHookFailure]),
  feature('Scenario words', 'features/words.feature', [scenarioError, undefinedStep]),
];

function failureOf(name: string) {
  const found = runResults(report).failed.find((f) => f.scenario.endsWith(` › ${name}`));
  assert.ok(found, `no failure for ${name}`);
  return found;
}

describe('selfcheck: the verdicts in cucumber.json', () => {
  it('counts every scenario and lists the failed ones in report order', () => {
    const results = runResults(report);
    assert.equal(results.total, 7);
    assert.deepEqual(
      results.failed.map((f) => f.location),
      [
        'features/purchase/approved.feature:7',
        'features/purchase/approved.feature:50',
        'features/faults/power.feature:12',
        'features/faults/power.feature:30',
        'features/words.feature:20',
        'features/words.feature:40',
      ],
    );
  });

  it('a firmware-defect failure is a catch: its step and the first line of its message, not the After hook after it', () => {
    assert.deepEqual(failureOf('Swiped card with PIN is approved'), {
      scenario: 'Approved purchase › Swiped card with PIN is approved',
      location: 'features/purchase/approved.feature:7',
      culprit: 'firmware defect',
      step: 'And the terminal prints a cardholder receipt for 100.00 CNY',
      message: 'firmware defect: the terminal printed 2 cardholder receipts for 100.00 CNY, expected 1',
      rules: [],
    });
  });

  it("a scenario's rules: those its failures name and those in the monitor's and truth's attached findings", () => {
    const attach = (text: string) => ({ data: Buffer.from(text).toString('base64'), mime_type: 'text/plain' });
    const after = {
      ...hook('After', 'passed'),
      embeddings: [
        attach('    12:00:00.000 ← display     [not-a-finding] 交易成功'),
        attach(
          'behaviour monitor: 2 rules of docs/protocol.md broken\n  - [copy-once] §15.4: …\n  - [result-last] §10.1: …',
        ),
        attach('payment-truth invariant violated:\n  - [failed-not-zero] STAN 000001 …'),
      ],
    };
    const failing = scenario('Reprint', 9, [
      step(
        'Then ',
        'the terminal prints a duplicate',
        'failed',
        'firmware defect: [pan-masked] docs/protocol.md §6: …',
      ),
      after,
    ]);
    const { failed } = runResults([feature('Receipts', 'features/receipts/reprint.feature', [failing])]);
    assert.deepEqual(failed[0]?.rules, ['pan-masked', 'copy-once', 'result-last', 'failed-not-zero']);
  });

  it('a rig fault is a rig fault, whatever the defect', () => {
    const failure = failureOf('Power cut while online');
    assert.equal(failure.culprit, 'rig fault');
    assert.equal(failure.step, 'When the power is cut');
    assert.equal(failure.message, 'rig fault: rig sim-serial: the simulated terminal process exited (signal SIGKILL)');
  });

  it('a scenario error is the words', () => {
    const failure = failureOf('Unknown card');
    assert.equal(failure.culprit, 'scenario error');
    assert.equal(failure.step, 'Given the card "alcie" holds 500.00 CNY');
    assert.match(failure.message, /^scenario error: unknown card "alcie"/);
  });

  it('an After hook failing after passed steps gives the verdict, named as the hook', () => {
    const failure = failureOf('The response is lost after the host approved: the terminal reverses');
    assert.equal(failure.culprit, 'firmware defect');
    assert.equal(failure.step, 'After hook (steps/hooks.ts:30)');
    assert.equal(
      failure.message,
      'firmware defect: payment-truth invariant violated: [net-effect] STAN 000012 (T0000001)',
    );
  });

  it('an undefined step is a scenario error, with no error message needed', () => {
    const failure = failureOf('A typo in a step');
    assert.equal(failure.culprit, 'scenario error');
    assert.equal(failure.step, 'When the cardholder swipez the card "alice"');
    assert.equal(
      failure.message,
      'scenario error: no step definition matches "When the cardholder swipez the card "alice""',
    );
  });

  it('a failure whose first line names no culprit has none (never a catch)', () => {
    const failure = failureOf('Chip card with PIN is approved');
    assert.equal(failure.culprit, undefined);
    assert.equal(failure.message, 'AssertionError [ERR_ASSERTION]');
  });

  it('a culprit named after the first line does not count', () => {
    const late = scenario('Late prefix', 1, [step('Then ', 'x', 'failed', 'Error: boom\nfirmware defect: too late')]);
    const [failure] = runResults([feature('F', 'f.feature', [late])]).failed;
    assert.equal(failure?.culprit, undefined);
    assert.equal(failure?.message, 'Error: boom');
  });

  it('a bare culprit without ": " names none (the diff formatter cuts "firmware defect: expected …" there)', () => {
    const cut = scenario('Cut by the diff', 1, [
      step(
        'And ',
        'the terminal prints a cardholder receipt for 100.00 CNY',
        'failed',
        'firmware defect\n    + expected - actual\n\n    -2\n    +1\n',
      ),
    ]);
    const [failure] = runResults([feature('F', 'f.feature', [cut])]).failed;
    assert.equal(failure?.culprit, undefined);
    assert.equal(failure?.message, 'firmware defect');
  });

  it('reads hooks from before[] and after[] too (other JSON formatters), in the order they ran', () => {
    const separate = {
      name: 'Hooks apart',
      type: 'scenario',
      line: 3,
      before: [hook('Before', 'passed')],
      steps: [given()],
      after: [hook('After', 'failed', 'firmware defect: payment-truth invariant violated: [no-double-charge]')],
    };
    const beforeFails = {
      ...separate,
      name: 'Before fails',
      before: [hook('Before', 'failed', 'rig fault: port closed')],
      steps: [step('Given ', 'x', 'skipped')],
    };
    const results = runResults([feature('F', 'f.feature', [separate, beforeFails])]);
    assert.deepEqual(
      results.failed.map((f) => [f.step, f.culprit]),
      [
        ['After hook (steps/hooks.ts:30)', 'firmware defect'],
        ['Before hook (steps/hooks.ts:30)', 'rig fault'],
      ],
    );
  });

  it('pending and ambiguous steps are scenario errors; skipped-only scenarios did not fail', () => {
    const pending = scenario('P', 1, [step('When ', 'something new', 'pending')]);
    const ambiguous = scenario('A', 2, [
      step('When ', 'two matches', 'ambiguous', 'Multiple step definitions match:\n  a\n  b'),
    ]);
    const skipped = scenario('S', 3, [step('When ', 'skipped', 'skipped')]);
    const results = runResults([feature('F', 'f.feature', [pending, ambiguous, skipped])]);
    assert.equal(results.total, 3);
    assert.deepEqual(
      results.failed.map((f) => [f.culprit, f.message]),
      [
        ['scenario error', 'scenario error: the step "When something new" is pending'],
        ['scenario error', 'Multiple step definitions match:'],
      ],
    );
  });

  it('keeps at most MESSAGE_LENGTH characters of the first line', () => {
    const long = `firmware defect: ${'x'.repeat(400)}`;
    const line = firstLine(`${long}\nmore`);
    assert.equal(line.length, MESSAGE_LENGTH);
    assert.ok(line.endsWith('…'));
    assert.ok(line.startsWith('firmware defect: xxx'));
  });

  it('an empty report has no scenarios; a missing, broken or foreign file is a CucumberJsonError', () => {
    assert.deepEqual(runResults([]), { total: 0, failed: [] });
    const folder = mkdtempSync(path.join(tmpdir(), 'posrig-selfcheck-json-'));
    assert.throws(() => readCucumberJson(path.join(folder, 'none.json')), CucumberJsonError);
    const broken = path.join(folder, 'broken.json');
    writeFileSync(broken, '[{"name": "half');
    assert.throws(() => readCucumberJson(broken), /is not JSON/);
    const foreign = path.join(folder, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ stats: { passes: 3 } }));
    assert.throws(() => readCucumberJson(foreign), /is not a cucumber JSON report/);
    const good = path.join(folder, 'cucumber.json');
    writeFileSync(good, JSON.stringify(report));
    assert.equal(readCucumberJson(good).failed.length, 6);
  });
});
