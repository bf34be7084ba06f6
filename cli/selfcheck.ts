// `posrig selfcheck`: proves the suite can certify. Runs the features once on clean simulated firmware and once per
// seeded firmware defect, several runs at a time, and prints which scenarios caught each defect. A defect is caught
// only by a scenario that fails with a firmware-defect verdict (the first line of its first failure starts with
// "firmware defect: ") and found the rule meant to catch it broken (cli/selfcheckIntent.ts); rig faults, scenario errors and failures naming no culprit are listed as problems and never
// count. Every defect must be caught and the clean firmware must pass everything; otherwise the exit code is 1.
// Each of the --jobs lanes keeps one worker process (cli/selfcheckWorkers.ts) that runs `posrig run` and
// `posrig explore` for firmware after firmware in itself, with each run's own folder, rig copy, reports and log: the
// steps load once per worker, not once per run. A worker whose run ended in anything but passes and firmware-defect
// verdicts (a rig fault, a scenario error, no results, a crash) is replaced by a fresh process for the next run.
//   npm run selfcheck
//   npx posrig selfcheck --rig rigs/sim-serial.yaml --defect stan-reused --defect double-print --jobs 2

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { fastestClock } from '../rigs/clock/clockChoice.ts';
import { ledgerInFile, rigCopyText } from '../rigs/file/rigCopy.ts';
import { loadRigFile } from '../rigs/file/rigFile.ts';
import {
  CONFORMANCE_DEFECTS,
  DEFECT_DESCRIPTIONS,
  FEATURE_DEFECTS,
  type FeatureDefect,
} from '../simulators/terminal/index.ts';
import { collect } from './commandLine.ts';
import { EVIDENCE, type Evidence } from './runOptions.ts';
import { intendedRule } from './selfcheckIntent.ts';
import { inParallel } from './selfcheckPool.ts';
import { type ExploreOutcome, type RunOutcome, selfcheckReport } from './selfcheckReport.ts';
import { readCucumberJson, trimmed } from './selfcheckVerdicts.ts';
import { SelfcheckWorkers } from './selfcheckWorkers.ts';

interface SelfcheckOptions {
  rig: string;
  defect: string[];
  reports: string;
  jobs: string;
  clock?: string;
  explore?: string;
  evidence: string;
}

/** posrig explore runs against each firmware on simulated time, by default. */
const DEFAULT_EXPLORE_RUNS = 200;

/** Runs at a time by default: one per CPU the process may use, at most this many. */
const MAX_DEFAULT_JOBS = 4;

/** Adds the `selfcheck` command. */
export function registerSelfcheck(program: Command): void {
  program
    .command('selfcheck')
    .description('run the features on clean firmware and once per seeded defect; every defect must be caught')
    .option('--rig <file>', 'a rig with a simulated terminal', 'rigs/sim-serial.yaml')
    .option('--defect <name>', 'only this defect (repeatable); all by default', collect, [])
    .option('--reports <dir>', 'where each run reports (one folder per run)', 'reports/selfcheck')
    .option('--jobs <n>', 'runs at a time', String(defaultJobs()))
    .option(
      '--clock <real|virtual>',
      'the wall clock or simulated time (default: simulated time where the rig allows it)',
    )
    .option(
      '--evidence <none|failed|all>',
      "pictures of screen and receipt in each run's reports (default none: the text evidence counts a catch, and each run writes only its cucumber.json)",
      'none',
    )
    .option(
      '--explore <runs>',
      'posrig explore runs against each firmware, for the second column (0: none; default 200 on simulated time, 0 on the wall clock)',
    )
    .action(async (options: SelfcheckOptions) => {
      process.exitCode = await selfcheck(options);
    });
}

/** One run per CPU this process may use, at most MAX_DEFAULT_JOBS. */
export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_JOBS));
}

/** --evidence as posrig run takes it; anything else is refused in one line. */
export function parseEvidence(text: string): Evidence {
  if ((EVIDENCE as readonly string[]).includes(text)) return text as Evidence;
  throw new Error(`--evidence takes ${EVIDENCE.join(', ')} (pictures in each run's reports), got "${text}"`);
}

/** "--jobs 3" → 3; anything but a whole number ≥ 1 is refused. */
export function parseJobs(text: string): number {
  const jobs = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(jobs) || jobs < 1)
    throw new Error(`--jobs must be a whole number of runs at a time (1 or more), got "${text}"`);
  return jobs;
}

async function selfcheck(options: SelfcheckOptions): Promise<number> {
  const jobs = parseJobs(options.jobs);
  parseEvidence(options.evidence);
  const linkOnly = options.defect.filter((d) => (CONFORMANCE_DEFECTS as readonly string[]).includes(d));
  if (linkOnly.length > 0)
    throw new Error(`defect ${linkOnly.join(', ')}: no feature provokes it; \`posrig conformance\` catches it`);
  const unknown = options.defect.filter((d) => !(FEATURE_DEFECTS as readonly string[]).includes(d));
  if (unknown.length > 0)
    throw new Error(`unknown defect ${unknown.join(', ')} (known: ${FEATURE_DEFECTS.join(', ')})`);
  const rig = loadRigFile(options.rig);
  if (!rig.terminal.simulate)
    throw new Error(`${options.rig}: selfcheck needs a simulated terminal (terminal.simulate)`);
  const clockKind = fastestClock(options.rig, rig, options.clock);
  const exploreRuns = exploreBudget(options.explore, clockKind);
  const defects = (options.defect.length > 0 ? [...new Set(options.defect)] : [...FEATURE_DEFECTS]) as FeatureDefect[];
  // One language is enough to catch a firmware defect; the Chinese files run the same steps.
  const features = readdirSync('features', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.feature') && !f.endsWith('.zh-CN.feature'))
    .map((f) => path.join('features', f))
    .sort();
  const plan: Array<FeatureDefect | undefined> = [undefined, ...defects];
  const width = Math.min(jobs, plan.length);
  console.error(
    `posrig selfcheck: ${plan.length} runs of ${features.length} features, ${width} at a time, on ${clockKind === 'virtual' ? 'simulated time' : 'the wall clock'}`,
  );
  const started = Date.now();
  const workers = new SelfcheckWorkers();
  const runs = await inParallel(plan, jobs, async (defect) => {
    const begun = Date.now();
    const worker = workers.take();
    let run: RunOutcome | undefined;
    try {
      run = await runWith(
        { ...options, clock: clockKind, explore: String(exploreRuns) },
        defect,
        features,
        jobs > 1,
        (args, log) => worker.posrig(args, log),
      );
    } finally {
      workers.giveBack(worker, { fresh: run === undefined || !soundAfter(run) });
    }
    const failed = run.results?.failed ?? [];
    const firmware = failed.filter((f) => f.culprit === 'firmware defect').length;
    const outcome = run.results
      ? `${failed.length} of ${run.results.total} scenarios failed, ${firmware} with a firmware-defect verdict`
      : `no results (${run.reportError})`;
    const found = run.explored
      ? `; explore: ${run.explored.error ? 'could not run' : run.explored.failure ? `found after ${run.explored.runs} run${run.explored.runs === 1 ? '' : 's'}` : `nothing in ${run.explored.runs} runs`}`
      : '';
    console.error(
      `posrig selfcheck: ${defect ?? 'clean firmware'}: ${outcome}${found} (${seconds(Date.now() - begun)})`,
    );
    return run;
  }).finally(() => workers.close());
  const report = selfcheckReport(runs);
  console.error(`posrig selfcheck: ${plan.length} runs in ${seconds(Date.now() - started)}`);
  // The last line ("selfcheck: N passed, N failed") is the one a CI log reader understands.
  console.log(report.text);
  return report.failed === 0 ? 0 : 1;
}

/** A worker may take the next run after one whose scenarios all passed or failed as firmware defects (and whose
 * explore could run): nothing of the rig broke, nothing was left half done. Anything else gets a fresh process. */
export function soundAfter(run: RunOutcome): boolean {
  const failed = run.results?.failed;
  if (!failed || run.exitCode > 1 || (run.exitCode === 1 && failed.length === 0)) return false;
  if (run.explored?.error !== undefined) return false;
  return failed.every((f) => f.culprit === 'firmware defect');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs `posrig …args` with its output in `log` (in a selfcheck worker process); resolves with its exit code. */
type Posrig = (args: string[], log: string) => Promise<number>;

/**
 * One `posrig run` of the features with `defect` seeded (none: clean firmware). Each run has its own folder
 * (reports, rig copy, output log) and its own rig name, so its scratch folders under .posrig/ are its own too; in
 * parallel, a fixed fault-proxy port or ledger file of the rig would be shared, so the copy gets its own.
 */
async function runWith(
  options: SelfcheckOptions,
  defect: FeatureDefect | undefined,
  features: string[],
  parallel: boolean,
  posrig: Posrig,
): Promise<RunOutcome> {
  const name = defect ?? 'clean';
  const folder = path.join(options.reports, name);
  mkdirSync(folder, { recursive: true });
  const rigFile = path.join(folder, 'rig.yaml');
  // A ledger file of its own, outside the reports (whose every file is scanned for card numbers); removed after.
  const scratch = ledgerInFile(options.rig) ? mkdtempSync(path.join(tmpdir(), `posrig-selfcheck-${name}-`)) : undefined;
  const rigName = `${String(loadRigFile(options.rig).name)}-${name}`;
  const copy = { name: rigName, defects: defect ? [defect] : [], ledgerFolder: scratch, ephemeralFaults: parallel };
  writeFileSync(rigFile, rigCopyText(options.rig, copy));
  const cucumberJson = path.join(folder, 'cucumber.json');
  rmSync(cucumberJson, { force: true }); // never read a previous run's results
  const log = path.join(folder, 'run.log');
  // No pictures by default: the failing scenarios of 29 seeded firmwares would draw hundreds, and the text evidence
  // (timeline, receipts, findings) is what counts a catch; --evidence failed keeps a picture of each catch.
  const clockArgs = options.clock ? ['--clock', options.clock] : [];
  const evidence = ['--evidence', options.evidence];
  // The selfcheck reads cucumber.json, which holds the text evidence too; pictures are for looking at: with them,
  // every report (html, junit, Allure). Writing the three others cost a quarter of a selfcheck on simulated time.
  const reports = options.evidence === 'none' ? ['--reports-only', 'json'] : [];
  const args = ['run', '--rig', rigFile, '--reports', folder, ...evidence, ...reports, ...clockArgs, '--', ...features];
  let explored: ExploreOutcome | undefined;
  const exitCode = await posrig(args, log)
    .then(async (code) => {
      // The second column: the same firmware, no hand-written scenario — does posrig explore find what is wrong?
      const runs = Number(options.explore ?? 0);
      if (runs > 0) explored = await exploreFirmware(rigFile, folder, runs, clockArgs, posrig);
      return code;
    })
    .finally(() => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });
  const description = defect ? DEFECT_DESCRIPTIONS[defect] : undefined;
  const intended = defect ? { intendedRule: intendedRule(defect) } : {};
  const base = {
    ...{ defect, exitCode, log, ...(description ? { description } : {}), ...intended },
    ...(explored ? { explored } : {}),
  };
  try {
    const results = readCucumberJson(cucumberJson);
    const telling = exitCode !== 0 && results.failed.length === 0 ? tellingLine(log) : undefined;
    return { ...base, results, ...(telling ? { logExcerpt: telling } : {}) };
  } catch (error) {
    const telling = tellingLine(log);
    return {
      ...base,
      results: undefined,
      reportError: error instanceof Error ? error.message : String(error),
      ...(telling ? { logExcerpt: telling } : {}),
    };
  }
}

/** `--explore` as given, else 200 runs on simulated time (seconds) and none on the wall clock (minutes per firmware). */
function exploreBudget(given: string | undefined, clockKind: string): number {
  if (given === undefined) return clockKind === 'virtual' ? DEFAULT_EXPLORE_RUNS : 0;
  if (!/^\s*\d+\s*$/.test(given)) throw new Error(`--explore takes a number of runs (0 for none), got "${given}"`);
  return Number(given);
}

/** `posrig explore --seed 1` against the run's rig copy (its defect switched on); what it found, from its summary. */
async function exploreFirmware(
  rigFile: string,
  folder: string,
  runs: number,
  clockArgs: string[],
  posrig: Posrig,
): Promise<ExploreOutcome> {
  const summary = path.join(folder, 'explore.json');
  const log = path.join(folder, 'explore.log');
  rmSync(summary, { force: true });
  const args = ['explore', '--rig', rigFile, '--runs', String(runs), '--seed', '1', '--reports', folder];
  const code = await posrig([...args, '--summary', summary, ...clockArgs], log);
  try {
    const outcome = JSON.parse(readFileSync(summary, 'utf8')) as Omit<ExploreOutcome, 'budget'> & { budget: number };
    return outcome;
  } catch {
    return { budget: runs, runs: 0, transactions: 0, faults: 0, error: `exit ${code}: ${tellingLine(log) ?? '-'}` };
  }
}

/** The line of a run's output that best says what went wrong: posrig's own complaint, else an error, else the last. */
function tellingLine(log: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const line =
    [...lines].reverse().find((l) => /^posrig[\w ]*:/.test(l) && !/^posrig run: rig .*, reports in /.test(l)) ??
    lines.find((l) => /\b\w*Error\b/.test(l)) ??
    lines.at(-1);
  return line === undefined ? undefined : trimmed(line, 160);
}
