// What the selfcheck concludes from its runs: only a firmware-defect verdict catches a defect; everything else is a
// problem; clean firmware must be green. And its runs go several at a time, reported in plan order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rulesIn } from '../../cli/selfcheckIntent.ts';
import { inParallel } from '../../cli/selfcheckPool.ts';
import { judge, type RunOutcome, selfcheckReport } from '../../cli/selfcheckReport.ts';
import type { FailedScenario } from '../../cli/selfcheckVerdicts.ts';

function failure(culprit: FailedScenario['culprit'], scenario: string, message: string): FailedScenario {
  return {
    scenario: `Feature › ${scenario}`,
    location: 'features/x.feature:7',
    culprit,
    step: 'Then the terminal shows "交易失败"',
    message,
    rules: rulesIn(message),
  };
}

const clean: RunOutcome = { defect: undefined, exitCode: 0, results: { total: 24, failed: [] } };
const caught: RunOutcome = {
  defect: 'double-print',
  description: 'the cardholder copy is printed twice',
  exitCode: 1,
  results: {
    total: 24,
    failed: [
      failure('firmware defect', 'Swiped card', 'firmware defect: printed 2 receipts, expected 1'),
      failure('rig fault', 'Power cut', 'rig fault: the serial port closed'),
    ],
  },
};
const onlyRigFaults: RunOutcome = {
  defect: 'stan-reused',
  exitCode: 1,
  results: {
    total: 24,
    failed: [
      failure('rig fault', 'Power cut', 'rig fault: socat exited'),
      failure('scenario error', 'Typo', 'scenario error: unknown card "alcie"'),
      failure(undefined, 'Unprefixed', 'AssertionError [ERR_ASSERTION]'),
    ],
  },
};
const noReport: RunOutcome = {
  defect: 'late-response-accepted',
  exitCode: 1,
  results: undefined,
  reportError: 'reports/selfcheck/late-response-accepted/cucumber.json was not written',
  log: 'reports/selfcheck/late-response-accepted/run.log',
  logExcerpt: "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/work/main/rigs/file/rigChecks.ts'",
};

describe('selfcheck: judging the runs', () => {
  it('a defect is caught only by a firmware-defect verdict; the rest of its failures are problems', () => {
    const judged = judge(caught);
    assert.equal(judged.passed, true);
    assert.deepEqual(
      judged.firmware.map((f) => f.scenario),
      ['Feature › Swiped card'],
    );
    assert.deepEqual(
      judged.problems.map((p) => p.failure?.culprit),
      ['rig fault'],
    );
  });

  it('with an intended rule, only a firmware-defect failure that names it catches the defect', () => {
    const byRule = failure(
      'firmware defect',
      'Reprint',
      'firmware defect: behaviour monitor: a rule of docs/protocol.md broken, first [copy-once] (§15.4)',
    );
    const sideEffect = failure('firmware defect', 'Swiped card', 'firmware defect: [event-valid] docs/protocol.md …');
    const results = { total: 24, failed: [sideEffect, byRule] };
    const run: RunOutcome = { defect: 'double-print', intendedRule: 'copy-once', exitCode: 1, results };
    const judged = judge(run);
    assert.equal(judged.passed, true);
    assert.deepEqual(
      judged.byRule.map((f) => f.scenario),
      ['Feature › Reprint'],
    );
    const missed = judge({ ...run, results: { total: 24, failed: [sideEffect] } });
    assert.equal(missed.passed, false, 'a catch by a side effect is no catch');
    const { text } = selfcheckReport([
      clean,
      run,
      { ...run, defect: 'unmarked-reprint', results: { total: 24, failed: [sideEffect] } },
    ]);
    assert.match(text, /double-print: caught \[copy-once\] by 1 of 24 scenarios/);
    assert.match(
      text,
      /unmarked-reprint: NOT CAUGHT by its rule \[copy-once\]: 1 scenario\(s\) failed as firmware defects by side effects \(\[event-valid\]\)/,
    );
    assert.match(text, /\| double-print +\| copy-once +\| yes +\| 1 of 24 +\|/);
    assert.match(text, /\| unmarked-reprint +\| copy-once +\| NO +\| 0 of 24 +\|/);
    assert.match(text, /selfcheck: 2 passed, 1 failed$/);
  });

  it('rig faults, scenario errors and unnamed culprits never catch a defect', () => {
    const judged = judge(onlyRigFaults);
    assert.equal(judged.passed, false);
    assert.equal(judged.firmware.length, 0);
    assert.equal(judged.problems.length, 3);
  });

  it('clean firmware passes only when every scenario passed, cucumber exited 0 and something ran', () => {
    assert.equal(judge(clean).passed, true);
    const rigFault = {
      ...clean,
      exitCode: 1,
      results: { total: 24, failed: [failure('rig fault', 'P', 'rig fault: x')] },
    };
    assert.equal(judge(rigFault).passed, false);
    assert.equal(judge(rigFault).problems.length, 1);
    const falseAlarm = {
      ...clean,
      exitCode: 1,
      results: { total: 24, failed: [failure('firmware defect', 'P', 'firmware defect: x')] },
    };
    assert.equal(judge(falseAlarm).passed, false);
    assert.equal(judge(falseAlarm).firmware.length, 1);
    const leak = { ...clean, exitCode: 1, logExcerpt: 'posrig run: unmasked card number 622848*********0018 in x' };
    assert.equal(judge(leak).passed, false);
    assert.match(judge(leak).problems[0]?.text ?? '', /exited with code 1 though every scenario passed/);
    assert.equal(judge({ ...clean, results: { total: 0, failed: [] } }).passed, false);
    assert.equal(judge({ ...clean, results: undefined, reportError: 'none' }).passed, false);
    assert.match(
      selfcheckReport([{ ...clean, exitCode: 2, results: undefined, reportError: 'none' }]).text,
      /^\(clean firmware\): FAILED: no scenario results \(see problems\)$/m,
    );
  });

  it('a run without a report is a problem naming why, where its output went and its telling line', () => {
    const judged = judge(noReport);
    assert.equal(judged.passed, false);
    assert.match(
      judged.problems[0]?.text ?? '',
      /cucumber\.json was not written \(posrig run exited with code 1; its output is in .*run\.log\)/,
    );
    assert.match(judged.problems[0]?.detail ?? '', /ERR_MODULE_NOT_FOUND/);
  });
});

describe('selfcheck: the report', () => {
  const report = selfcheckReport([clean, caught, onlyRigFaults, noReport]);
  const lines = report.text.split('\n');

  it('ends with one "selfcheck: N passed, N failed" line, a run each', () => {
    assert.equal(lines.at(-1), 'selfcheck: 2 passed, 2 failed');
    assert.deepEqual([report.passed, report.failed], [2, 2]);
    assert.equal(selfcheckReport([clean, caught]).text.split('\n').at(-1), 'selfcheck: 2 passed, 0 failed');
  });

  it('names, per defect, the scenarios that caught it with the failing step and the first line of its message', () => {
    assert.ok(lines.includes('(clean firmware): all 24 scenarios pass'));
    const at = lines.indexOf('double-print (the cardholder copy is printed twice): caught by 1 of 24 scenarios');
    assert.ok(at >= 0, report.text);
    assert.deepEqual(lines.slice(at + 1, at + 4), [
      '  Feature › Swiped card  features/x.feature:7',
      '      Then the terminal shows "交易失败"',
      '      firmware defect: printed 2 receipts, expected 1',
    ]);
    assert.ok(
      lines.includes('stan-reused: NOT CAUGHT: no scenario failed with a firmware-defect verdict (3 problem(s) below)'),
    );
  });

  it('lists the failures that are not firmware defects separately, as problems', () => {
    const at = lines.findIndex((l) => l.startsWith('problems: 5, failures'));
    assert.ok(at >= 0, report.text);
    const problems = lines.slice(at + 1, -1).join('\n');
    assert.match(
      problems,
      /double-print: Feature › Power cut {2}features\/x\.feature:7\n.*\n {6}rig fault: the serial port closed/,
    );
    assert.match(problems, /stan-reused: Feature › Typo[^\n]*\n.*\n {6}scenario error: unknown card "alcie"/);
    assert.match(problems, /\(no culprit named\) AssertionError \[ERR_ASSERTION\]/);
    assert.match(problems, /late-response-accepted: no results: .*cucumber\.json was not written/);
    assert.doesNotMatch(problems, /firmware defect: printed 2 receipts/);
  });

  it('clean firmware failing says how, and fails the selfcheck', () => {
    const red = { ...clean, exitCode: 1, results: { total: 24, failed: [failure('rig fault', 'P', 'rig fault: x')] } };
    const text = selfcheckReport([red, caught]).text;
    assert.match(text, /^\(clean firmware\): FAILED: 1 of 24 scenarios failed \(1 in problems\)$/m);
    assert.match(text, /selfcheck: 1 passed, 1 failed$/);
  });
});

describe('selfcheck: a catch whose step failed first', () => {
  it('says the intended rule was found in the attachments, so it does not read as a side effect', () => {
    const step = {
      ...failure('firmware defect', 'Wrong PIN, then the right PIN', 'firmware defect: waited 8000 ms for "交易成功"'),
      rules: ['stan-new'],
    };
    const run: RunOutcome = {
      defect: 'stan-reused',
      intendedRule: 'stan-new',
      exitCode: 1,
      results: { total: 24, failed: [step] },
    };
    assert.match(
      selfcheckReport([run]).text,
      /firmware defect: waited 8000 ms for "交易成功" \(and the monitor's finding \[stan-new\], attached\)$/m,
    );
  });
});

describe('selfcheck: the second column, posrig explore', () => {
  const found = { budget: 200, runs: 22, transactions: 43, faults: 16 };
  it('says after how many runs explore found each defect, or that it did not in its budget', () => {
    const withExplore = [
      { ...clean, explored: { ...found, runs: 200, transactions: 358 } },
      { ...caught, explored: { ...found, failure: 'firmware defect: printed 2 receipts', feature: 'x.feature' } },
      { ...onlyRigFaults, explored: { ...found, runs: 200 } },
    ];
    const { text, failed } = selfcheckReport(withExplore);
    assert.match(text, /\| defect +\| intended rule +\| caught by it +\| scenarios +\| explore finds it \|/);
    assert.match(text, /\| double-print +\|.*\| after 22 runs +\|/);
    assert.match(text, /\| stan-reused +\|.*\| not in 200 +\|/);
    assert.match(
      text,
      /double-print: explore: found after 22 runs \(43 transactions, 16 faults\), written to x\.feature/,
    );
    assert.match(text, /\(clean firmware\): explore: no failure in 200 runs \(358 transactions, 16 faults\)/);
    // Explore not finding a defect is information; the suite not catching it (stan-reused here) is the failure.
    assert.equal(failed, 1);
  });

  it('explore failing clean firmware is a false alarm: the clean run fails, naming it', () => {
    const alarm = { ...clean, explored: { ...found, failure: 'firmware defect: [copy-once] …', feature: 'f.feature' } };
    const judged = judge(alarm);
    assert.equal(judged.passed, false);
    assert.deepEqual(
      judged.problems.map((p) => [p.text, p.detail]),
      [['posrig explore failed clean firmware: firmware defect: [copy-once] …', 'f.feature']],
    );
  });

  it('explore that could not run is a problem, never a silent blank', () => {
    const broken = { ...caught, explored: { budget: 200, runs: 0, transactions: 0, faults: 0, error: 'exit 2: x' } };
    const judged = judge(broken);
    assert.ok(judged.problems.some((p) => p.text === 'posrig explore could not run: exit 2: x'));
    assert.match(selfcheckReport([broken]).text, /\| double-print +\|.*\| could not run +\|/);
  });
});

describe('selfcheck: runs at a time', () => {
  it('never runs more than `jobs` at once, and returns results in item order', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const results = await inParallel([30, 5, 20, 1, 10, 2], 3, async (ms, index) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running -= 1;
      done.push(index);
      return `run ${index}`;
    });
    assert.equal(most, 3);
    assert.deepEqual(results, ['run 0', 'run 1', 'run 2', 'run 3', 'run 4', 'run 5']);
    assert.notDeepEqual(done, [0, 1, 2, 3, 4, 5], 'they did overlap');
  });

  it('one at a time with jobs 1; refuses jobs below 1', async () => {
    const order: string[] = [];
    await inParallel(['a', 'b', 'c'], 1, async (item) => {
      order.push(`start ${item}`);
      await new Promise((resolve) => setImmediate(resolve));
      order.push(`end ${item}`);
    });
    assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    await assert.rejects(
      inParallel(['a'], 0, async () => 1),
      RangeError,
    );
  });
});
