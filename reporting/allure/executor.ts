// The Executor widget of an Allure report: `executor.json` in the results folder says who ran it — posrig, which rig
// on which day, and the CI run it came from (GitHub Actions or GitLab CI) when there was one.
//   writeExecutor('reports/allure-results', executorInfo('sim-serial', new Date(), process.env));
//   executorInfo('sim-serial', new Date('2026-12-02T03:00:00Z'), {}) → { name: 'posrig', type: 'posrig',
//     buildName: 'sim-serial 2026-12-02' }

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ExecutorInfo {
  readonly name: string;
  readonly type: string;
  readonly buildName: string;
  readonly buildUrl?: string;
}

/** Who ran the run: posrig, the rig and the UTC day; the CI run's page from its environment variables. */
export function executorInfo(rigName: string, at: Date, env: NodeJS.ProcessEnv): ExecutorInfo {
  const buildName = `${rigName} ${at.toISOString().slice(0, 10)}`;
  const buildUrl = ciRunUrl(env);
  return { name: 'posrig', type: 'posrig', buildName, ...(buildUrl ? { buildUrl } : {}) };
}

/** GitHub Actions: server/repository/actions/runs/id; GitLab CI: CI_JOB_URL. */
function ciRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, CI_JOB_URL } = env;
  if (GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID)
    return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
  return CI_JOB_URL || undefined;
}

/** Writes executor.json into the results folder (created if missing). */
export function writeExecutor(resultsDir: string, info: ExecutorInfo): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, 'executor.json'), `${JSON.stringify(info, null, 2)}\n`);
}
