// The report thread writes the run's reports from cucumber's messages alone: a scenario's results in every report,
// a failed BeforeAll hook as Allure's global error, and a report it cannot write named in the error.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { type Envelope, IdGenerator } from '@cucumber/messages';
import { ReportThread, ReportWriteError } from '../../reporting/reportThread/reportThread.ts';

const at = (seconds: number) => ({ seconds, nanos: 0 });
const FEATURE = 'Feature: Purchase\n\n  Scenario: Approved\n    When the merchant starts a sale of 1.00 CNY\n';

/** One scenario of one step, passed, with the messages cucumber would emit for it (and a BeforeAll hook that ran). */
function passedRun(): Envelope[] {
  const newId = IdGenerator.incrementing();
  const uri = 'features/purchase.feature';
  const document = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(FEATURE);
  const [pickle] = compile(document, uri, newId);
  assert.ok(pickle?.steps[0]);
  const step = pickle.steps[0];
  const sourceReference = { uri: 'steps/sale.steps.ts', location: { line: 85 } };
  return [
    { source: { uri, data: FEATURE, mediaType: 'text/x.cucumber.gherkin+plain' } },
    { gherkinDocument: { ...document, uri } },
    { pickle },
    {
      stepDefinition: {
        id: 'def-1',
        pattern: { source: 'the merchant starts a sale of {money}', type: 'CUCUMBER_EXPRESSION' },
        sourceReference,
      },
    },
    { hook: { id: 'hook-1', type: 'BEFORE_TEST_RUN', sourceReference } },
    { testRunStarted: { timestamp: at(1), id: 'run-1' } },
    { testRunHookStarted: { id: 'hr-1', testRunStartedId: 'run-1', hookId: 'hook-1', timestamp: at(1) } },
    {
      testRunHookFinished: {
        testRunHookStartedId: 'hr-1',
        result: { status: 'PASSED', duration: at(0) },
        timestamp: at(1),
      },
    },
    {
      testCase: {
        id: 'tc-1',
        pickleId: pickle.id,
        testRunStartedId: 'run-1',
        testSteps: [{ id: 'ts-1', pickleStepId: step.id, stepDefinitionIds: ['def-1'], stepMatchArgumentsLists: [] }],
      },
    },
    { testCaseStarted: { id: 'tcs-1', testCaseId: 'tc-1', attempt: 0, timestamp: at(2) } },
    { testStepStarted: { testCaseStartedId: 'tcs-1', testStepId: 'ts-1', timestamp: at(2) } },
    {
      testStepFinished: {
        testCaseStartedId: 'tcs-1',
        testStepId: 'ts-1',
        testStepResult: { status: 'PASSED', duration: at(1) },
        timestamp: at(3),
      },
    },
    { testCaseFinished: { testCaseStartedId: 'tcs-1', willBeRetried: false, timestamp: at(3) } },
    { testRunFinished: { success: true, timestamp: at(4), testRunStartedId: 'run-1' } },
  ] as Envelope[];
}

function plan(folder: string) {
  return {
    cwd: process.cwd(),
    html: path.join(folder, 'cucumber.html'),
    junit: { file: path.join(folder, 'junit.xml'), suiteName: 'posrig sim-test' },
    json: path.join(folder, 'cucumber.json'),
    allure: { resultsDir: path.join(folder, 'allure-results'), rigName: 'sim-test' },
  };
}

async function write(folder: string, envelopes: readonly Envelope[]): Promise<void> {
  const reports = ReportThread.open();
  try {
    reports.begin(plan(folder));
    for (const envelope of envelopes) reports.post(envelope);
    await reports.finished();
  } finally {
    await reports.close();
  }
}

describe('report thread', () => {
  it('writes the scenario into cucumber.json, junit.xml, cucumber.html and the Allure results', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'posrig-report-thread-'));
    await write(folder, passedRun());
    const [feature] = JSON.parse(readFileSync(path.join(folder, 'cucumber.json'), 'utf8'));
    assert.equal(feature.name, 'Purchase');
    assert.equal(feature.elements[0].name, 'Approved');
    // The step definition's place comes from its message: cucumber.json's "match" as cucumber's formatter writes it.
    assert.deepEqual(feature.elements[0].steps[0].match, { location: 'steps/sale.steps.ts:85' });
    assert.equal(feature.elements[0].steps[0].result.status, 'passed');
    const junit = readFileSync(path.join(folder, 'junit.xml'), 'utf8');
    assert.match(
      junit,
      /<testsuite name="posrig sim-test" time="[\d.]+" tests="1" skipped="0" failures="0" errors="0"/,
    );
    assert.match(junit, /<testcase classname="Purchase" name="Approved"/);
    assert.match(readFileSync(path.join(folder, 'cucumber.html'), 'utf8'), /the merchant starts a sale of 1\.00 CNY/);
    const results = readdirSync(path.join(folder, 'allure-results')).filter((f) => f.endsWith('-result.json'));
    assert.equal(results.length, 1);
    const result = JSON.parse(readFileSync(path.join(folder, 'allure-results', results[0] ?? ''), 'utf8'));
    assert.equal(result.name, 'Approved');
    assert.equal(result.status, 'passed');
    const label = (name: string) => result.labels.find((l: { name: string }) => l.name === name)?.value;
    assert.equal(label('parentSuite'), 'sim-test');
    // The thread the scenario ran in (the run's own), not the report thread.
    assert.equal(label('thread'), `pid-${process.pid}-worker-main`);
  });

  it('a BeforeAll hook that failed is a global error in the Allure results, named as allure-cucumberjs names it', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'posrig-report-thread-'));
    const failed = passedRun()
      .filter(
        (e) => !e.testCase && !e.testCaseStarted && !e.testStepStarted && !e.testStepFinished && !e.testCaseFinished,
      )
      .map((e) =>
        e.testRunHookFinished
          ? ({
              testRunHookFinished: {
                ...e.testRunHookFinished,
                result: {
                  status: 'FAILED',
                  duration: at(0),
                  message: 'rig fault: the terminal did not answer',
                  exception: {
                    type: 'Error',
                    message: 'rig fault: the terminal did not answer',
                    stackTrace: 'at rigLease.ts:78',
                  },
                },
              },
            } as Envelope)
          : e,
      );
    await write(folder, failed);
    const globals = readdirSync(path.join(folder, 'allure-results')).filter((f) => f.endsWith('-globals.json'));
    assert.equal(globals.length, 1);
    const text = readFileSync(path.join(folder, 'allure-results', globals[0] ?? ''), 'utf8');
    assert.match(text, /BeforeAll hook/);
    assert.match(text, /rig fault: the terminal did not answer/);
  });

  it("deletes the folders it is told to discard (an earlier run's results, set aside)", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'posrig-report-thread-'));
    const aside = path.join(folder, 'allure-results.discarded-1-2');
    mkdirSync(path.join(aside, 'deep'), { recursive: true });
    const reports = ReportThread.open();
    reports.begin({ ...plan(folder), discard: [aside] });
    for (const envelope of passedRun()) reports.post(envelope);
    await reports.finished();
    await reports.close();
    assert.deepEqual(readdirSync(folder).sort(), ['allure-results', 'cucumber.html', 'cucumber.json', 'junit.xml']);
  });

  it('a folder it cannot delete is left for the next run; the reports are written all the same', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'posrig-report-thread-'));
    const reports = ReportThread.open();
    try {
      reports.begin({ ...plan(folder), discard: ['/dev/null/allure-results.discarded-1-2'] }); // ENOTDIR
      for (const envelope of passedRun()) reports.post(envelope);
      await reports.finished();
      assert.equal(reports.usable, true);
    } finally {
      await reports.close();
    }
    assert.equal(JSON.parse(readFileSync(path.join(folder, 'cucumber.json'), 'utf8'))[0].name, 'Purchase');
  });

  it('one thread writes run after run, each into its own reports, also after a run whose report failed', async () => {
    const [first, broken, third] = [1, 2, 3].map(() => mkdtempSync(path.join(tmpdir(), 'posrig-report-thread-')));
    mkdirSync(path.join(broken ?? '', 'cucumber.json'));
    const reports = ReportThread.open();
    try {
      for (const folder of [first ?? '', broken ?? '', third ?? '']) {
        reports.begin(plan(folder));
        for (const envelope of passedRun()) reports.post(envelope);
        const written = await reports.finished().then(
          () => 'written',
          (error: Error) => error.message,
        );
        if (folder === broken) {
          assert.match(written, /cucumber\.json: EISDIR/);
        } else {
          assert.equal(written, 'written');
          assert.equal(JSON.parse(readFileSync(path.join(folder, 'cucumber.json'), 'utf8'))[0].name, 'Purchase');
        }
      }
      assert.equal(reports.usable, true);
    } finally {
      await reports.close();
    }
    assert.equal(reports.usable, false);
  });

  it('a report it cannot write is a ReportWriteError naming the file', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'posrig-report-thread-'));
    mkdirSync(path.join(folder, 'cucumber.json')); // a folder where the file should go
    await assert.rejects(
      write(folder, passedRun()),
      (error: unknown) =>
        error instanceof ReportWriteError && error.message.includes(path.join(folder, 'cucumber.json')),
    );
  });
});
