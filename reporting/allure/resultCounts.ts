// How the scenarios of an Allure results folder ended, counted: for one line per rig of a nightly run.
//   countResults('reports/nightly/sim-serial/allure-results') → { passed: 41, failed: 1, skipped: 2 }
// Failed counts Allure's failed and broken; skipped its skipped and unknown. A retried scenario counts once, as its
// last attempt ended.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ResultCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

interface CountedResult {
  readonly historyId?: string;
  readonly uuid: string;
  readonly status?: string;
  readonly stop?: number;
}

/** The scenarios of a results folder by how they ended; all zero when there is no such folder. */
export function countResults(resultsDir: string): ResultCounts {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (!existsSync(resultsDir)) return counts;
  const last = new Map<string, CountedResult>();
  for (const file of readdirSync(resultsDir).filter((f) => f.endsWith('-result.json'))) {
    const result = JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8')) as CountedResult;
    const key = result.historyId ?? result.uuid;
    const earlier = last.get(key);
    if (!earlier || (earlier.stop ?? 0) <= (result.stop ?? 0)) last.set(key, result);
  }
  for (const { status } of last.values()) {
    if (status === 'passed') counts.passed += 1;
    else if (status === 'failed' || status === 'broken') counts.failed += 1;
    else counts.skipped += 1;
  }
  return counts;
}
