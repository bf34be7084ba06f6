// Allure results → an HTML report, through Allure 2's command line (the allure-commandline package; it needs Java).
// The report carries its history: the previous report's history/ is copied into the results first, so the trend
// charts grow run by run. Both forms are built: a folder to serve, and one self-contained HTML file to mail.
//   const built = await buildAllureReport({ results: ['reports/allure-results'], output: 'reports/allure-report' });
//   built → { report: 'reports/allure-report', singleFile: 'reports/allure-report-single/index.html' }
// Throws ReportError (one line) for missing results, a missing Java or a failed `allure generate`.

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Why no report was built: one line naming what was wrong and where. */
export class ReportError extends Error {
  override name = 'ReportError';
}

export interface ReportRequest {
  /** Allure results folders (several: one report over all of them, e.g. every rig of a nightly run). */
  readonly results: readonly string[];
  /** The report folder; the single-file report goes to `<output>-single/index.html`. */
  readonly output: string;
  /** The report's title (Allure's report name). */
  readonly name?: string;
}

export interface BuiltReport {
  readonly report: string;
  readonly singleFile: string;
}

export const JAVA_MISSING = 'Java 17 is needed by Allure (apt-get install openjdk-17-jre-headless)';

/** Builds both forms of the report, carrying the history of the one already at `output`. */
export async function buildAllureReport(request: ReportRequest): Promise<BuiltReport> {
  checkResults(request.results);
  checkJava();
  carryHistory(request.output, request.results[0] as string);
  const singleDir = `${request.output}-single`;
  const name = ['--report-name', request.name ?? 'posrig'];
  // Both at once: each only reads the results.
  await Promise.all([
    allure(['generate', '--clean', ...name, '-o', request.output, ...request.results]),
    allure(['generate', '--clean', '--single-file', ...name, '-o', singleDir, ...request.results]),
  ]);
  return { report: request.output, singleFile: path.join(singleDir, 'index.html') };
}

/** Every folder there, with at least one Allure result in it. */
function checkResults(results: readonly string[]): void {
  if (results.length === 0) throw new ReportError('no Allure results folder given');
  for (const folder of results) {
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      throw new ReportError(`no Allure results folder ${folder} (posrig run writes <reports>/allure-results)`);
    if (!readdirSync(folder).some((f) => f.endsWith('-result.json')))
      throw new ReportError(`${folder} holds no Allure results (did the run run any scenario?)`);
  }
}

/** The previous report's history/ into the results' history/: Allure adds this run to it. */
export function carryHistory(previousReport: string, results: string): boolean {
  const history = path.join(previousReport, 'history');
  if (!existsSync(history)) return false;
  cpSync(history, path.join(results, 'history'), { recursive: true });
  return true;
}

/** The java Allure's script runs: $JAVA_HOME/bin/java, else java on the PATH. */
function checkJava(): void {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const probe = spawnSync(java, ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new ReportError(JAVA_MISSING);
}

/** The allure command of the installed allure-commandline package. */
function allureBinary(): string {
  try {
    const manifest = createRequire(import.meta.url).resolve('allure-commandline/package.json');
    return path.join(path.dirname(manifest), 'dist', 'bin', process.platform === 'win32' ? 'allure.bat' : 'allure');
  } catch {
    throw new ReportError('the allure-commandline package is not installed (npm ci)');
  }
}

/** Runs allure with these arguments; its output is kept, and its last lines make the error when it fails. */
function allure(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // No analytics: a report handed to a lab (or opened offline) must not call out to Google's tag manager.
    const env = { ...process.env, ALLURE_NO_ANALYTICS: 'true' };
    const child = spawn(allureBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (error) => reject(new ReportError(`allure could not start: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve();
      const last = output.trim().split('\n').slice(-1)[0] ?? '';
      reject(new ReportError(`allure ${args[0]} failed (${signal ?? `exit ${code}`}): ${last.trim()}`));
    });
  });
}
