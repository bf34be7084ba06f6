// The Allure pieces that need no run: the environment text, the executor, the tag → label patterns as
// allure-cucumberjs applies them, the culprit categories as Allure 2 matches them, a hook failure becoming the
// scenario's status, the counts per rig and the history carried from one report to the next.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { carryHistory } from '../../reporting/allure/allureReport.ts';
import { environmentProperties, runFacts, writeEnvironment } from '../../reporting/allure/environment.ts';
import { executorInfo } from '../../reporting/allure/executor.ts';
import { CATEGORIES, TAG_LABELS } from '../../reporting/allure/formatterOptions.ts';
import {
  amendResults,
  withCulpritStatus,
  withHookFailure,
  withRigHistory,
  withSuite,
} from '../../reporting/allure/hookVerdicts.ts';
import { countResults } from '../../reporting/allure/resultCounts.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-allure-unit-'));

const FACTS = {
  rig: 'sim-serial',
  rigFile: 'rigs/sim-serial.yaml',
  terminal: { model: 'posrig-sim', serial: 'SIM-T0000001', firmware: '2.4.1', protocol: '1' },
  posrigVersion: '0.1.0',
  gitRevision: 'd8be64d-dirty',
  clock: 'real',
  nodeVersion: 'v20.20.2',
};

/** The label allure-cucumberjs gives a tag: the first rule whose pattern matches, the value after `@key:`. */
function labelOf(tag: string): { name: string; value: string } | undefined {
  const rule = TAG_LABELS.find((r) => r.pattern.some((p) => p.test(tag)));
  return rule && { name: rule.name, value: tag.replace(/^@\S+:/, '') };
}

/** The category Allure 2 files a failure message under: the first whose regex matches the whole message. */
function categoryOf(message: string): string | undefined {
  const whole = (regex: string) => new RegExp(`^(?:${regex.replace(/^\(\?s\)/, '')})$`, 's');
  return CATEGORIES.find((c) => c.messageRegex !== undefined && whole(c.messageRegex).test(message))?.name;
}

describe('Allure environment and executor', () => {
  it('lists rig, clock, terminal and posrig, one key per line, in a fixed order', () => {
    assert.equal(
      environmentProperties(FACTS),
      [
        'rig = sim-serial',
        'rig.file = rigs/sim-serial.yaml',
        'clock = real (the wall clock)',
        'terminal.model = posrig-sim',
        'terminal.serial = SIM-T0000001',
        'terminal.firmware = 2.4.1',
        'terminal.protocol = 1',
        'posrig.version = 0.1.0',
        'git.revision = d8be64d-dirty',
        'node.version = v20.20.2',
        '',
      ].join('\n'),
    );
  });

  it('says the terminal is not known before one answered, and escapes what Java properties cannot hold', () => {
    const text = environmentProperties({ ...FACTS, terminal: undefined, rigFile: 'C:\\rigs\\柜台.yaml\nx' });
    assert.match(text, /^terminal\.model = not known \(no terminal answered\)$/m);
    assert.match(text, /^terminal\.firmware = not known$/m);
    assert.match(text, /^rig\.file = C:\\\\rigs\\\\\\u67dc\\u53f0\.yaml x$/m);
  });

  it('writes environment.properties into the results folder, creating it', () => {
    const results = path.join(folder, 'env', 'allure-results');
    writeEnvironment(results, FACTS);
    assert.equal(readFileSync(path.join(results, 'environment.properties'), 'utf8'), environmentProperties(FACTS));
  });

  it('knows posrig version, git revision and Node of this checkout', () => {
    const facts = runFacts();
    assert.equal(facts.posrigVersion, JSON.parse(readFileSync('package.json', 'utf8')).version);
    assert.match(facts.gitRevision, /^(?:[0-9a-f]{7,}(?:-dirty)?|unknown)$/);
    assert.equal(facts.nodeVersion, process.version);
  });

  it('names the build by rig and UTC day, and links the CI run of GitHub Actions or GitLab CI', () => {
    const at = new Date('2026-12-02T23:30:00-05:00');
    assert.deepEqual(executorInfo('sim-pty', at, {}), {
      name: 'posrig',
      type: 'posrig',
      buildName: 'sim-pty 2026-12-03',
    });
    const github = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'lab/posrig', GITHUB_RUN_ID: '42' };
    assert.equal(executorInfo('x', at, github).buildUrl, 'https://github.com/lab/posrig/actions/runs/42');
    const gitlab = { CI_JOB_URL: 'https://gitlab.example/lab/posrig/-/jobs/7' };
    assert.equal(executorInfo('x', at, gitlab).buildUrl, 'https://gitlab.example/lab/posrig/-/jobs/7');
  });
});

describe('Allure labels and categories', () => {
  it('maps @area to epic, @severity to severity, @req to story, and leaves other tags alone', () => {
    assert.deepEqual(labelOf('@area:receipts'), { name: 'epic', value: 'receipts' });
    assert.deepEqual(labelOf('@severity:blocker'), { name: 'severity', value: 'blocker' });
    assert.deepEqual(labelOf('@req:copy-once'), { name: 'story', value: 'copy-once' });
    assert.equal(labelOf('@severity:urgent'), undefined);
    assert.equal(labelOf('@needs-pin'), undefined);
    assert.equal(labelOf('@req:a:b'), undefined); // its value would lose "a:"
  });

  it('files a failure under the culprit its message starts with, anything else under other failures', () => {
    assert.equal(categoryOf('firmware defect: the terminal never showed "交易成功"\n  timeline …'), 'Firmware defects');
    assert.equal(categoryOf('rig fault: the simulated terminal process exited'), 'Rig faults');
    assert.equal(categoryOf('scenario error: unknown card "zed"'), 'Scenario errors');
    assert.equal(categoryOf('TypeError: x is undefined'), 'Other failures');
    for (const category of CATEGORIES) assert.deepEqual(category.matchedStatuses, ['failed', 'broken']);
  });
});

describe('Allure results amended after a run', () => {
  const passed = { uuid: 't1', status: 'passed', labels: [{ name: 'feature', value: 'Approved purchase' }] };
  const monitor = { status: 'broken', statusDetails: { message: 'firmware defect: behaviour monitor: …' } };

  it("gives a scenario its hook's failure when its steps passed or were skipped, never over a step's own", () => {
    assert.deepEqual(withHookFailure(passed, monitor), { ...passed, ...monitor });
    assert.equal(withHookFailure({ ...passed, status: 'skipped' }, monitor).status, 'broken');
    const stepFailed = { ...passed, status: 'failed', statusDetails: { message: 'firmware defect: first' } };
    assert.equal(withHookFailure(stepFailed, monitor), stepFailed);
    assert.equal(withHookFailure(passed, undefined), passed);
  });

  it('marks a firmware defect failed, a rig fault or a scenario error broken, anything else as it was', () => {
    const failing = (status: string, message: string) => ({ ...passed, status, statusDetails: { message } });
    assert.equal(withCulpritStatus(failing('broken', 'firmware defect: no receipt')).status, 'failed');
    assert.equal(withCulpritStatus(failing('failed', 'rig fault: the serial port closed')).status, 'broken');
    assert.equal(withCulpritStatus(failing('failed', 'scenario error: unknown card "zed"')).status, 'broken');
    assert.equal(withCulpritStatus(failing('broken', 'TypeError: x')).status, 'broken');
    assert.equal(withCulpritStatus(passed), passed);
  });

  it('puts each scenario in its feature as suite, unless it has one', () => {
    assert.deepEqual(withSuite(passed).labels?.at(-1), { name: 'suite', value: 'Approved purchase' });
    const suited = { ...passed, labels: [{ name: 'suite', value: 'mine' }] };
    assert.equal(withSuite(suited), suited);
  });

  it('gives the same scenario other ids on another rig, the same on every run and retry of one rig', () => {
    const onRig = (rig: string, row = '1') => ({
      uuid: 'u',
      fullName: 'posrig:features/purchase/approved.feature#Swiped card with PIN is approved',
      testCaseId: 'c0ffee',
      historyId: 'from-the-formatter',
      parameters: [{ name: 'amount', value: row }],
      labels: [{ name: 'rig', value: rig }],
    });
    const serial = withRigHistory(onRig('sim-serial'));
    assert.match(serial.historyId ?? '', /^[0-9a-f]{32}$/);
    assert.match(serial.testCaseId ?? '', /^[0-9a-f]{32}$/);
    assert.deepEqual(withRigHistory(onRig('sim-serial')), serial);
    assert.deepEqual(withRigHistory(serial), serial); // amending twice changes nothing
    const pty = withRigHistory(onRig('sim-pty'));
    assert.notEqual(pty.historyId, serial.historyId);
    assert.notEqual(pty.testCaseId, serial.testCaseId);
    const row2 = withRigHistory(onRig('sim-serial', '2')); // another example row: another history, the same case
    assert.notEqual(row2.historyId, serial.historyId);
    assert.equal(row2.testCaseId, serial.testCaseId);
    const noRig = { uuid: 'u', testCaseId: 'c0ffee', historyId: 'h' };
    assert.equal(withRigHistory(noRig), noRig);
  });

  it('rewrites the result files of a folder from their containers, and counts how they ended', () => {
    const results = path.join(folder, 'amend');
    mkdirSync(results);
    const write = (name: string, value: unknown) => writeFileSync(path.join(results, name), JSON.stringify(value));
    write('t1-result.json', { ...passed, historyId: 'h1', stop: 1 });
    write('t2-result.json', { uuid: 't2', historyId: 'h2', status: 'passed', stop: 1 });
    write('t3-result.json', { uuid: 't3', historyId: 'h3', status: 'skipped', stop: 1 });
    write('c1-container.json', { children: ['t1'], befores: [], afters: [monitor] });
    write('c2-container.json', { children: ['t2'], befores: [{ status: 'passed' }], afters: [] });
    amendResults(results);
    const t1 = JSON.parse(readFileSync(path.join(results, 't1-result.json'), 'utf8'));
    assert.equal(t1.status, 'failed', "the hook's firmware defect, failed (a product defect) not broken");
    assert.equal(t1.statusDetails.message, 'firmware defect: behaviour monitor: …');
    assert.deepEqual(countResults(results), { passed: 1, failed: 1, skipped: 1 });
    // a retried scenario counts once, as its last attempt ended
    write('t4-result.json', { uuid: 't4', historyId: 'h1', status: 'passed', stop: 2 });
    assert.deepEqual(countResults(results), { passed: 2, failed: 0, skipped: 1 });
    assert.deepEqual(countResults(path.join(folder, 'nowhere')), { passed: 0, failed: 0, skipped: 0 });
  });
});

describe('Allure history', () => {
  it("copies the previous report's history into the results, and nothing when there was no report", () => {
    const report = path.join(folder, 'report');
    mkdirSync(path.join(report, 'history'), { recursive: true });
    writeFileSync(path.join(report, 'history', 'history-trend.json'), '[{"data":{"passed":3}}]');
    const results = path.join(folder, 'results');
    mkdirSync(results);
    assert.equal(carryHistory(report, results), true);
    assert.equal(readFileSync(path.join(results, 'history', 'history-trend.json'), 'utf8'), '[{"data":{"passed":3}}]');
    assert.equal(carryHistory(path.join(folder, 'no-report'), results), false);
  });
});
