// A run's results, read from its reports folder: each scenario's status from cucumber.json (by uri:line, as run), and
// the conformance checks' from conformance.json when the folder has one (`posrig conformance --format json`).
//   readRigRun('reports/nightly/sim-pty') → { rig: 'sim-pty', scenarios: Map { 'features/…/approved.feature:10' → 'passed' } }
// The rig is named as `posrig run` recorded it (`rig = …` in allure-results/environment.properties), else by the folder.
// A scenario's status: failed when a step or hook failed (or was undefined, ambiguous, pending), skipped when a step
// was skipped (a need the rig lacks), else passed. A retried scenario counts by its last attempt.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scenarioKey } from './compute.ts';
import { MatrixInputError } from './errors.ts';
import type { RigRun, RunStatus } from './types.ts';

interface CucumberElement {
  readonly type?: string;
  readonly line: number;
  readonly steps?: ReadonlyArray<{ readonly result?: { readonly status?: string } }>;
}
interface CucumberFeature {
  readonly uri: string;
  readonly elements?: readonly CucumberElement[];
}

const FAILED = new Set(['failed', 'undefined', 'ambiguous', 'pending']);

/** One scenario's status from its steps' (and hooks') results. */
export function elementStatus(element: CucumberElement): RunStatus {
  const statuses = (element.steps ?? []).map((s) => s.result?.status ?? 'unknown');
  if (statuses.some((s) => FAILED.has(s))) return 'failed';
  if (statuses.length === 0 || statuses.some((s) => s !== 'passed')) return 'skipped';
  return 'passed';
}

/** Scenario status by `uri:line` from cucumber.json's text; `file` names it in errors. */
export function scenarioStatuses(json: string, file: string): Map<string, RunStatus> {
  let features: unknown;
  try {
    features = JSON.parse(json);
  } catch (error) {
    throw new MatrixInputError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(features))
    throw new MatrixInputError(`${file}: not cucumber JSON (expected an array of features)`);
  const statuses = new Map<string, RunStatus>();
  for (const feature of features as CucumberFeature[]) {
    if (typeof feature?.uri !== 'string')
      throw new MatrixInputError(`${file}: not cucumber JSON (a feature has no uri)`);
    for (const element of feature.elements ?? [])
      if (element.type !== 'background') statuses.set(scenarioKey(feature.uri, element.line), elementStatus(element));
  }
  return statuses;
}

/** The feature files a run's cucumber.json names (relative to the working folder, as cucumber records them). */
export function featuresRun(json: string): string[] {
  try {
    const features = JSON.parse(json) as unknown;
    if (!Array.isArray(features)) return [];
    return features.flatMap((f: CucumberFeature) => (typeof f?.uri === 'string' ? [f.uri] : []));
  } catch {
    return []; // a broken cucumber.json is reported by the statuses' reading
  }
}

/** Check status by id from `posrig conformance --format json` output. */
export function conformanceStatuses(json: string, file: string): Map<string, RunStatus> {
  let report: { checks?: Array<{ id?: unknown; pass?: unknown }> };
  try {
    report = JSON.parse(json);
  } catch (error) {
    throw new MatrixInputError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(report?.checks))
    throw new MatrixInputError(
      `${file}: not a conformance report (expected "checks", from posrig conformance --format json)`,
    );
  return new Map(report.checks.map((c) => [String(c.id), c.pass === true ? 'passed' : 'failed']));
}

/** The rig a reports folder's run was on: `rig = sim-pty` in allure-results/environment.properties, else the folder's name. */
export function rigNameOf(folder: string): string {
  const environment = path.join(folder, 'allure-results', 'environment.properties');
  const recorded = existsSync(environment)
    ? /^rig\s*=\s*(.+?)\s*$/m.exec(readFileSync(environment, 'utf8'))?.[1]
    : undefined;
  return recorded ?? path.basename(path.resolve(folder));
}

/** The results in one reports folder: its cucumber.json, and its conformance.json if any. */
export function readRigRun(folder: string): RigRun {
  const cucumber = path.join(folder, 'cucumber.json');
  if (!existsSync(cucumber))
    throw new MatrixInputError(`${folder}: no cucumber.json (run posrig run --reports ${folder})`);
  const conformance = path.join(folder, 'conformance.json');
  return {
    rig: rigNameOf(folder),
    scenarios: scenarioStatuses(readFileSync(cucumber, 'utf8'), cucumber),
    ...(existsSync(conformance)
      ? { conformance: conformanceStatuses(readFileSync(conformance, 'utf8'), conformance) }
      : {}),
  };
}

/** The results of several reports folders, one per rig; a rig named twice is named by its folder as given. */
export function readRigRuns(folders: readonly string[]): RigRun[] {
  const runs = folders.map(readRigRun);
  const names = runs.map((r) => r.rig);
  return runs.map((run, i) =>
    names.indexOf(run.rig) === names.lastIndexOf(run.rig) ? run : { ...run, rig: folders[i] as string },
  );
}
