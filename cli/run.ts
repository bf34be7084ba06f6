// `posrig run`: runs the feature suite on a rig through cucumber-js's API, then scans the reports it wrote for unmasked
// card numbers. The reports (cucumber.html, junit.xml, cucumber.json, Allure results in <reports>/allure-results,
// emptied first; --reports-only chooses) are written from the run's messages in a worker thread
// (reporting/reportThread/); the Allure results carry the rig's environment. Tells the steps which scenarios keep
// pictures (--evidence).
// Exit code 0: every scenario passed; 1: a scenario failed, passed only on a retry after a failure that was not the
// rig's, a report leaks a card number or could not be written; 2: the run was called or configured wrongly (one line each
// `posrig run: …`), and nothing ran.
//   npx posrig run                                          # rigs/sim-serial.yaml, every feature, reports/
//   npx posrig run --rig rigs/sim-pty.yaml --reports reports/sim-pty --tags @smoke features/purchase
//   npx posrig run --dry-run                                # every step defined, once: how CI checks wording
//   npx posrig run --evidence all                           # pictures of screen and receipt for every scenario
// Many runs in one process (posrig selfcheck's workers): `registerRun(program, session)` with one RunSession, which
// loads and checks the steps on the first run and hands them to every later run (cucumber's support code library).

import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  type IRunConfiguration,
  type IRunEnvironment,
  type ISupportCodeLibrary,
  loadConfiguration,
  runCucumber,
} from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import type { Command } from 'commander';
import { runFacts, writeEnvironment } from '../reporting/allure/environment.ts';
import { executorInfo, writeExecutor } from '../reporting/allure/executor.ts';
import { amendResults } from '../reporting/allure/hookVerdicts.ts';
import { scanFilesForPans, scanForPans } from '../reporting/panScan.ts';
import { type ReportPlan, ReportThread } from '../reporting/reportThread/reportThread.ts';
import { virtualClockProblem, virtualClockRefusal } from '../rigs/clock/clockChoice.ts';
import { loadCardBook } from '../rigs/file/cardBook.ts';
import { checkRigDevices } from '../rigs/file/rigDevices.ts';
import { loadRigFile, type RigFile, terminalsOf } from '../rigs/file/rigFile.ts';
import { ConfigFileError } from '../rigs/file/yamlFile.ts';
import { rigTiming } from '../rigs/timing.ts';
import { culpritIn } from '../rigs/verdict/culprit.ts';
import { collect } from './commandLine.ts';
import { LONGEST_FIRST, scenarioDurations } from './longestFirst.ts';
import {
  REPORT_KINDS,
  type ReportKind,
  type RunCommandOptions,
  type RunSelection,
  runSelection,
  UsageError,
} from './runOptions.ts';
import { preflight, RunProblems } from './runPreflight.ts';

/** Adds the `run` command; with a session, its runs share the steps it loaded once (see RunSession). */
export function registerRun(program: Command, session?: RunSession): void {
  program
    .command('run')
    .description('run the feature suite on a rig; exit 0 all passed, 1 a scenario failed, 2 a usage or set-up error')
    .option('--rig <file>', 'rig file', 'rigs/sim-serial.yaml')
    .option('--reports <dir>', 'where cucumber.html, junit.xml, cucumber.json and allure-results/ go', 'reports')
    .option('--tags <expression>', 'only scenarios whose tags match, e.g. "@smoke and not @slow" (repeatable)', collect)
    .option('--name <regex>', 'only scenarios whose name matches (repeatable: any)', collect)
    .option('--dry-run', 'run nothing: check every step is defined, once')
    .option('--parallel <n>', 'workers, each leasing its own rig')
    .option('--shard <i/n>', 'only shard i of n of the selected scenarios (1-based)')
    .option('--retry <n>', 'run a failing scenario again, up to n times')
    .option('--format <format>', 'another formatter, e.g. pretty or message:reports/run.ndjson (repeatable)', collect)
    .option(
      '--reports-only <reports>',
      'write only these of the reports: html, junit, json, allure, comma-separated (default: all four)',
      collect,
    )
    .option('--clock <real|virtual>', "the wall clock or simulated time (default: the rig file's clock, else real)")
    .option(
      '--evidence <failed|all|none>',
      "pictures of screen and receipt for the failed scenarios, for all, or none (default: the rig file's evidence.pictures, else failed)",
    )
    .option(
      '--no-monitor',
      "don't judge the behaviour monitor's rules (docs/monitor.md), e.g. to measure what it costs",
    )
    .argument('[paths...]', 'feature files, folders, globs or file:line (default: features/**/*.feature)')
    .showHelpAfterError(false)
    .configureOutput({
      outputError: (text, write) =>
        write(`posrig run: ${oneLine(text.replace(/^error: /, ''))} (see posrig run --help)\n`),
    })
    .action(async (paths: string[], options: RunCommandOptions) => {
      process.exitCode = await runReporting(paths, options, session);
    });
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/** Runs, turning every problem found before the run into one line per problem and exit code 2. */
async function runReporting(paths: string[], options: RunCommandOptions, session?: RunSession): Promise<number> {
  try {
    return await runFeatures(paths, options, session);
  } catch (error) {
    for (const line of problemLines(error)) console.error(`posrig run: ${line}`);
    return 2;
  }
}

function problemLines(error: unknown): readonly string[] {
  if (error instanceof RunProblems) return error.lines;
  if (error instanceof ConfigFileError) return error.problems;
  let message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  // Cucumber's wrapping ("Cucumber errored when trying to do a "pickles:filter" transform") says where, not what.
  if (cause) message = message.startsWith('Cucumber errored') ? cause : `${message}: ${cause}`;
  return [message.split('\n')[0] ?? ''];
}

/** More workers than a pool has terminals: the others could lease none, unless they may wait for one. */
function checkPoolSize(rig: RigFile, parallel: number): void {
  const link = rig.terminal.link;
  const pool = terminalsOf(rig);
  const waits = link.kind === 'mqtt' && typeof link.lease === 'object' && (link.lease.waitMs ?? 0) > 0;
  if (link.kind !== 'mqtt' || !link.terminals || parallel <= pool.length || waits) return;
  throw new UsageError(
    `--parallel ${parallel}: the pool of rig ${rig.name} has ${pool.length} terminal${pool.length === 1 ? '' : 's'}: run at most ${pool.length} workers, or let the others wait for a free one (terminal.link.lease.waitMs)`,
  );
}

async function runFeatures(paths: string[], options: RunCommandOptions, session?: RunSession): Promise<number> {
  const selection = runSelection(options, paths);
  // The rig file and its cards before cucumber starts: a typo is one clear line, not a stack trace.
  if (!existsSync(options.rig)) throw new UsageError(`rig file ${options.rig} does not exist (see rigs/*.yaml)`);
  const rig = loadRigFile(options.rig);
  // The clock: the command line, else the rig file; simulated time only where every part is simulated in-process.
  const clockKind = selection.clock ?? rig.clock;
  const clockProblem = clockKind === 'virtual' ? virtualClockProblem(rig) : undefined;
  if (clockProblem) throw new UsageError(virtualClockRefusal(options.rig, clockProblem));
  checkRigDevices(rig);
  loadCardBook(rig.cards);
  checkPoolSize(rig, selection.parallel);
  checkWritable(options.reports, `reports folder ${options.reports}`);
  // Steps read these in this process (serial runs) and in cucumber's worker processes (--parallel), which also
  // need tsx to load the TypeScript steps.
  process.env.POSRIG_RIG = options.rig;
  process.env.POSRIG_REPORTS = options.reports;
  process.env.POSRIG_MONITOR = selection.monitor ? 'on' : 'off';
  // Which scenarios get pictures of screen and receipt: the command line, else the rig file (default failed).
  process.env.POSRIG_EVIDENCE = selection.evidence ?? rig.evidence.pictures;
  process.env.POSRIG_CLOCK = clockKind;
  // Whether the steps add the terminal to the Allure environment (steps/support/allure.ts).
  process.env.POSRIG_ALLURE = selection.reports.includes('allure') ? 'on' : 'off';
  const nodeOptions = process.env.NODE_OPTIONS ?? '';
  // What the user had, for the commands a rig runs (a power relay): they must not inherit posrig's own loader.
  process.env.POSRIG_USER_NODE_OPTIONS ??= nodeOptions;
  if (!/--import[= ]tsx\b/.test(nodeOptions)) process.env.NODE_OPTIONS = `${nodeOptions} --import tsx`.trim();
  const environment: IRunEnvironment = {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  };
  const config = await configuration(selection, environment);
  // Workers take the scenarios longest first, by how long each took in the run that left this folder's cucumber.json.
  if (selection.parallel > 1) {
    const longestFirst = scenarioDurations(path.join(options.reports, REPORT_FILES.json));
    config.plugins = { specifiers: [LONGEST_FIRST], options: { longestFirst } };
  }
  for (const file of Object.keys(config.formats.files)) checkWritable(path.dirname(file), `report ${file}`);
  const check = () => preflight(config, selection, environment);
  const support = session ? await session.support(sessionKey(config, rig), check) : await check();
  const allure = selection.reports.includes('allure');
  // A report this run does not write must not be read as this run's: an earlier run's copy goes.
  for (const kind of REPORT_KINDS.filter((k) => !selection.reports.includes(k)))
    rmSync(path.join(options.reports, REPORT_FILES[kind]), { recursive: true, force: true });
  const allureResults = allure ? startAllureResults(options.reports, rig, clockKind) : undefined;
  const plan = {
    ...reportPlan(selection.reports, options.reports, rig.name, environment.cwd ?? process.cwd()),
    discard: discarded(options.reports),
  };
  // A session's runs share one report thread; a run of its own opens one and closes it after.
  const reports = session ? session.reportThread() : ReportThread.open();
  reports.begin(plan);
  console.error(
    `posrig run: rig ${options.rig}, reports in ${options.reports}/${clockKind === 'virtual' ? ', on simulated time' : ''}${selection.dryRun ? ' (dry run)' : ''}`,
  );
  const retries = new RetryWatch();
  let success: boolean;
  try {
    ({ success } = await runCucumber({ ...config, support }, environment, (envelope) => {
      retries.onMessage(envelope);
      reports.post(envelope);
    }));
  } catch (error) {
    // A BeforeAll or AfterAll hook that failed ends the run here: what the thread was given is still written (the
    // Allure global error, the last scenarios' results) before the error goes on.
    await reports.finished().catch(() => {});
    if (!session) await reports.close();
    throw error;
  }
  const unwritten = await reports.finished().then(
    () => undefined,
    (error: Error) => error.message,
  );
  if (!session) await reports.close();
  if (unwritten) console.error(`posrig run: a report could not be written: ${unwritten}`);
  for (const line of retries.lines) console.error(`posrig run: ${line}`);
  if (allureResults) amendResults(allureResults);
  // Exactly what this run wrote: the reports and every --format name:file, wherever it is; nothing else.
  // … and every file of the Allure results (results, attachments, environment).
  const leaks = [
    ...scanFilesForPans([plan.html, plan.junit?.file, plan.json].filter((file) => file !== undefined)),
    ...scanFilesForPans(Object.keys(config.formats.files)),
    ...(allureResults && existsSync(allureResults) ? scanForPans(allureResults) : []),
  ];
  for (const leak of leaks) console.error(`posrig run: unmasked card number ${leak.masked} in ${leak.file}`);
  return success && !unwritten && retries.lines.length === 0 && leaks.length === 0 ? 0 : 1;
}

/** The reports a run writes, where: html, junit, json and Allure as chosen (--reports-only), in the report thread. */
function reportPlan(kinds: readonly ReportKind[], reports: string, rigName: string, cwd: string): ReportPlan {
  const file = (kind: ReportKind) => path.join(reports, REPORT_FILES[kind]);
  return {
    cwd,
    ...(kinds.includes('html') ? { html: file('html') } : {}),
    // The rig in the suite name tells runs apart once CI merges their JUnit results.
    ...(kinds.includes('junit') ? { junit: { file: file('junit'), suiteName: `posrig ${rigName}` } } : {}),
    ...(kinds.includes('json') ? { json: file('json') } : {}),
    ...(kinds.includes('allure') ? { allure: { resultsDir: file('allure'), rigName } } : {}),
  };
}

/**
 * Runs of `posrig run` in one process, one after the other, sharing the steps: Node imports a module once per
 * process, so a second `loadSupport` would find no step definitions; the first run loads them (and runs the
 * preflight), every later run of the same selection reuses that support code library (cucumber-js's API allows it).
 * The steps read their rig file, reports folder, clock and evidence mode from the environment each run sets, in
 * BeforeAll and later; only the step timeout is fixed when they load (the rig's timing), so every run of a session
 * must have the rig timing and the selection of its first (else it is refused: run it in a process of its own).
 * The after-all hooks of SESSION_LONG files (the picture renderer's Chromium, which cannot start again once closed)
 * run once, at close(), not after every run.
 *   const session = new RunSession();
 *   registerRun(program, session); await program.parseAsync([...]);   // as many times as needed
 *   await session.close();
 */
export class RunSession {
  #loaded: { key: string; support: ISupportCodeLibrary; atClose: readonly TestRunHook[] } | undefined;
  #reports: ReportThread | undefined;

  /** The session's report thread: started by its first run, kept for the next (a new one after a failed one). */
  reportThread(): ReportThread {
    if (!this.#reports?.usable) this.#reports = ReportThread.open();
    return this.#reports;
  }

  /** The support code library of this session: loaded and checked by `load` on the first run. */
  async support(key: string, load: () => Promise<ISupportCodeLibrary>): Promise<ISupportCodeLibrary> {
    if (this.#loaded) {
      if (this.#loaded.key !== key)
        throw new UsageError(
          'this process loaded the steps for another selection or rig timing: run this one in a process of its own',
        );
      return this.#loaded.support;
    }
    const loaded = await load();
    const afterAll = (loaded as unknown as { afterTestRunHookDefinitions: readonly TestRunHook[] })
      .afterTestRunHookDefinitions;
    const sessionLong = (hook: TestRunHook) => SESSION_LONG.some((file) => hook.uri.endsWith(file));
    const support = {
      ...loaded,
      afterTestRunHookDefinitions: afterAll.filter((hook) => !sessionLong(hook)),
    } as ISupportCodeLibrary;
    this.#loaded = { key, support, atClose: afterAll.filter(sessionLong) };
    return support;
  }

  /** Runs the after-all hooks kept for the end of the session (closes Chromium); the session is then done. */
  async close(): Promise<void> {
    const hooks = this.#loaded?.atClose ?? [];
    this.#loaded = undefined;
    await this.#reports?.close();
    this.#reports = undefined;
    for (const hook of hooks) await hook.code.call(null);
  }
}

/** Support files whose after-all hook ends something a process starts once and keeps (steps/support/stepPictures.ts:
 * its module-level picture renderer, closed for good by that hook). */
const SESSION_LONG = ['steps/support/stepPictures.ts'];

/** An after-all hook as cucumber's support code library holds it. */
interface TestRunHook {
  readonly uri: string;
  readonly code: (this: null) => unknown;
}

/** What a session's runs must share: the selection (sources, support files) and the rig timing the steps load with. */
function sessionKey(config: IRunConfiguration, rig: RigFile): string {
  return JSON.stringify({ sources: config.sources, support: config.support, timing: rigTiming(rig) });
}

/**
 * Under --retry, a scenario passes only if every attempt that failed was a rig fault (the culprit of the first failed
 * step or hook of the attempt): one that passed on a retry after a firmware defect (or a scenario error, or a failure
 * naming no culprit) is a line, and the run fails. Fed cucumber's message envelopes as they come.
 */
export class RetryWatch {
  /** `<scenario name> (<uri>:<line>) passed only on retry after a firmware defect: <first line>`, one per scenario. */
  readonly lines: string[] = [];
  private readonly scenarios = new Map<string, string>(); // pickle id → "name (uri:line)"
  private readonly pickleOf = new Map<string, string>(); // test case id → pickle id
  private readonly running = new Map<string, { pickleId: string; failure?: string }>(); // by testCaseStarted id
  private readonly notTheRig = new Map<string, string>(); // pickle id → first line of its first such failure

  readonly onMessage = (envelope: Envelope): void => {
    const { pickle, testCase, testCaseStarted, testStepFinished, testCaseFinished } = envelope;
    if (pickle) this.scenarios.set(pickle.id, `${pickle.name} (${pickle.uri}:${pickle.location?.line ?? 0})`);
    if (testCase) this.pickleOf.set(testCase.id, testCase.pickleId);
    if (testCaseStarted)
      this.running.set(testCaseStarted.id, { pickleId: this.pickleOf.get(testCaseStarted.testCaseId) ?? '' });
    if (testStepFinished) {
      const attempt = this.running.get(testStepFinished.testCaseStartedId);
      const { status, message } = testStepFinished.testStepResult;
      if (attempt && attempt.failure === undefined && status !== 'PASSED' && status !== 'SKIPPED')
        attempt.failure = firstLine(message ?? '') || `the step was ${status.toLowerCase()}`;
    }
    if (testCaseFinished) this.finished(testCaseFinished.testCaseStartedId, testCaseFinished.willBeRetried);
  };

  private finished(attemptId: string, willBeRetried: boolean): void {
    const attempt = this.running.get(attemptId);
    this.running.delete(attemptId);
    if (!attempt) return;
    const { pickleId, failure } = attempt;
    if (failure !== undefined) {
      // A last attempt that failed fails the run anyway.
      if (willBeRetried && culpritIn(failure) !== 'rig fault' && !this.notTheRig.has(pickleId))
        this.notTheRig.set(pickleId, failure);
      return;
    }
    const earlier = this.notTheRig.get(pickleId);
    if (earlier === undefined) return;
    // "… after a firmware defect: the terminal …": the failure's first line names its culprit.
    const what = culpritIn(earlier) ? earlier : `failure: ${earlier}`;
    this.lines.push(`${this.scenarios.get(pickleId) ?? pickleId} passed only on retry after a ${what}`);
  }
}

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .find((line) => line.trim() !== '')
      ?.trim() ?? ''
  );
}

/** The Allure results folder of a run, emptied (nothing of an earlier run mixes in; nothing else in <reports> goes),
 * with the environment known before the rig starts (the steps add the terminal's once it answered) and the executor. */
function startAllureResults(reports: string, rig: RigFile, clockKind: string): string {
  const folder = path.join(reports, ALLURE_RESULTS);
  if (existsSync(folder)) renameSync(folder, `${folder}${DISCARDED}${process.pid}-${Date.now()}`);
  makeFolder(folder);
  writeEnvironment(folder, { ...runFacts(), rig: rig.name, rigFile: rig.file, clock: clockKind });
  writeExecutor(folder, executorInfo(rig.name, new Date(), process.env));
  return folder;
}

/** Where a run's Allure results go, under --reports; the steps find it through POSRIG_REPORTS. */
const ALLURE_RESULTS = 'allure-results';
/** An earlier run's Allure results, moved aside by one rename and deleted by the report thread while the run goes
 * (deleting a thousand files here held up the start of the run): `allure-results.discarded-<pid>-<ms>`. */
const DISCARDED = '.discarded-';

/** Folders under --reports set aside by this run or an earlier one that stopped before deleting them. */
function discarded(reports: string): string[] {
  const prefix = `${ALLURE_RESULTS}${DISCARDED}`;
  return existsSync(reports)
    ? readdirSync(reports)
        .filter((name) => name.startsWith(prefix))
        .map((name) => path.join(reports, name))
    : [];
}
/** Each report's file (or folder) under --reports. */
const REPORT_FILES: Record<ReportKind, string> = {
  html: 'cucumber.html',
  junit: 'junit.xml',
  json: 'cucumber.json',
  allure: ALLURE_RESULTS,
};

/** cucumber.js (where the steps are) plus this run: selection, progress output and extra formats. The reports
 * themselves are the report thread's (reportPlan). */
async function configuration(selection: RunSelection, environment: IRunEnvironment) {
  // Plain progress where nobody watches a bar redraw: CI logs and pipes. A --format for stdout replaces it.
  const plain = Boolean(process.env.CI) || !process.stdout.isTTY;
  const { runConfiguration } = await loadConfiguration(
    {
      provided: {
        format: [plain ? 'progress' : 'progress-bar', ...selection.formats],
        // The terminal shows each failure's message (it quotes what the terminal did); the evidence attached stays
        // in the reports.
        formatOptions: { printAttachments: false },
        name: selection.names,
        ...(selection.tags ? { tags: selection.tags } : {}),
        ...(selection.shard ? { shard: selection.shard } : {}),
        dryRun: selection.dryRun,
        parallel: selection.parallel,
        retry: selection.retry,
      },
    },
    environment,
  );
  // Paths given on the command line replace the configured ones (cucumber would add them together).
  if (selection.paths.length > 0) runConfiguration.sources.paths = selection.paths;
  return runConfiguration;
}

/** Creates the folder and writes a probe file in it: a report folder that cannot be written fails before the run. */
function checkWritable(folder: string, what: string): void {
  const probe = path.join(folder, `.posrig-probe-${process.pid}`);
  try {
    makeFolder(folder);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`${what} cannot be written (${reason})`);
  }
}

/** mkdir -p without `recursive: true`, which never returns for a folder under /proc (Node 20). */
function makeFolder(folder: string): void {
  const missing: string[] = [];
  for (let at = path.resolve(folder); !existsSync(at); at = path.dirname(at)) {
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const dir of missing) mkdirSync(dir);
}
