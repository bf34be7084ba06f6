// After a run, the Allure results get what allure-cucumberjs leaves out: a scenario whose Before or After hook failed
// (a rig that would not reset, a payment-truth or behaviour-monitor finding judged after the last step) gets that
// failure as its own status and message — allure-cucumberjs judges a scenario by its steps only, so it would show
// "passed" (or "skipped") — every scenario gets its feature as its suite, under the rig (parentSuite), and test case
// and history ids of its rig: merged, the same scenario on two rigs is two tests, not one test and its retry (Allure 2
// takes results with one test case id as attempts of one test); and a failure's status follows its culprit: a firmware
// defect "failed", a rig fault or scenario error "broken".
//   amendResults('reports/allure-results');  // once cucumber has finished writing them

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface StatusDetails {
  message?: string;
  trace?: string;
}

interface Fixture {
  status?: string;
  statusDetails?: StatusDetails;
}

interface Container {
  children?: string[];
  befores?: Fixture[];
  afters?: Fixture[];
}

interface Label {
  name: string;
  value: string;
}

interface TestResult {
  uuid: string;
  fullName?: string;
  testCaseId?: string;
  historyId?: string;
  parameters?: { name: string; value: string; excluded?: boolean }[];
  status?: string;
  statusDetails?: StatusDetails;
  labels?: Label[];
}

const FAILING = new Set(['failed', 'broken']);

/** Rewrites the test results of a results folder: hook failures become the scenario's status, the feature its suite. */
export function amendResults(resultsDir: string): void {
  const files = readdirSync(resultsDir);
  const hookFailures = failedFixturesByTest(resultsDir, files);
  for (const file of files.filter((f) => f.endsWith('-result.json'))) {
    const where = path.join(resultsDir, file);
    const result = JSON.parse(readFileSync(where, 'utf8')) as TestResult;
    const amended = withRigHistory(
      withSuite(withCulpritStatus(withHookFailure(result, hookFailures.get(result.uuid)))),
    );
    if (amended !== result) writeFileSync(where, JSON.stringify(amended));
  }
}

/** The first failed Before or After fixture of each test, by the test's uuid. */
function failedFixturesByTest(resultsDir: string, files: readonly string[]): Map<string, Fixture> {
  const failures = new Map<string, Fixture>();
  for (const file of files.filter((f) => f.endsWith('-container.json'))) {
    const container = JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8')) as Container;
    const failed = [...(container.befores ?? []), ...(container.afters ?? [])].find((f) => FAILING.has(f.status ?? ''));
    if (!failed) continue;
    for (const child of container.children ?? []) if (!failures.has(child)) failures.set(child, failed);
  }
  return failures;
}

/** A test its steps call passed or skipped takes its hook's failure; one whose step failed keeps that first failure. */
export function withHookFailure(result: TestResult, hook: Fixture | undefined): TestResult {
  if (!hook || FAILING.has(result.status ?? '')) return result;
  return { ...result, status: hook.status, statusDetails: { ...result.statusDetails, ...hook.statusDetails } };
}

/** Allure's two failing statuses by culprit: a firmware defect is a product defect ("failed", red); a rig fault or a
 * scenario error is a problem of the test itself ("broken", yellow). allure-js calls every non-assertion error broken. */
export function withCulpritStatus(result: TestResult): TestResult {
  if (!FAILING.has(result.status ?? '')) return result;
  const culprit = /^(firmware defect|rig fault|scenario error):/.exec(result.statusDetails?.message ?? '')?.[1];
  if (!culprit) return result;
  const status = culprit === 'firmware defect' ? 'failed' : 'broken';
  return status === result.status ? result : { ...result, status };
}

/** The feature as the suite (Allure's Suites tab: rig › feature › scenario), unless a suite is set already. */
export function withSuite(result: TestResult): TestResult {
  const labels = result.labels ?? [];
  const feature = labels.find((l) => l.name === 'feature');
  if (!feature || labels.some((l) => l.name === 'suite')) return result;
  return { ...result, labels: [...labels, { name: 'suite', value: feature.value }] };
}

/** Test case and history ids from the rig, the scenario (its full name) and its example row: the same on every run
 * of this rig (the trend follows them), others on another rig. Unchanged by a retry, which Allure shows as an attempt
 * of the scenario. */
export function withRigHistory(result: TestResult): TestResult {
  const rig = result.labels?.find((l) => l.name === 'rig')?.value;
  const scenario = result.fullName ?? result.testCaseId;
  if (rig === undefined || scenario === undefined) return result;
  const parameters = (result.parameters ?? []).filter((p) => !p.excluded).map((p) => [p.name, p.value]);
  return { ...result, testCaseId: md5([rig, scenario]), historyId: md5([rig, scenario, parameters]) };
}

function md5(value: unknown): string {
  return createHash('md5').update(JSON.stringify(value)).digest('hex');
}
