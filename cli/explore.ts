// `posrig explore`: model-based exploration of a terminal (rigs/explore). Random sequences of sales, PINs, cancels,
// reprints, paper, network faults, power cuts and top-ups, each judged by the model's expectations, the payment-truth
// invariant and the behaviour monitor. A failure is shrunk to its smallest form and written as a runnable .feature in
// <reports>/explore/ (<rig>-seed<S>.feature; seedm<N> for a negative seed -N), beside the failed run's merged timeline
// (.timeline.txt, as `posrig run` attaches it), with the command that replays the exploration exactly. The first line
// printed names the rig and the seed, so an interrupted exploration can be played again.
// Exit code 0: no failure; 1: a failure was found (written); 2: a usage or set-up error, one line `posrig explore: …`
// (a --path that replays no run of the seed too).
//   npx posrig explore --rig rigs/sim-serial.yaml --runs 200 --seed 1
//   npx posrig explore --defect double-print --runs 20 --seed 1 --language zh-CN
//   npx posrig explore --rig rigs/sim-serial.yaml --seed 1 --path "7:0:1@AAB"     # replays one run exactly

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { fastestClock } from '../rigs/clock/clockChoice.ts';
import { checkPath, type ExploreProgress, explore, PathMismatch } from '../rigs/explore/explore.ts';
import { featureText } from '../rigs/explore/featureWriter.ts';
import { FEATURE_LANGUAGES, type FeatureLanguage } from '../rigs/explore/stepWords.ts';
import { rigCopyText } from '../rigs/file/rigCopy.ts';
import { loadRigFile } from '../rigs/file/rigFile.ts';
import { startRig } from '../rigs/rig.ts';
import { closestWords } from '../rigs/verdict/closest.ts';
import { CONFORMANCE_DEFECTS, FEATURE_DEFECTS } from '../simulators/terminal/index.ts';
import { rigTimeline } from '../steps/support/scenarioTimeline.ts';
import { collect, positiveInteger } from './commandLine.ts';

interface ExploreCommandOptions {
  rig: string;
  runs: string;
  seed?: string;
  path?: string;
  language: string;
  defect: string[];
  reports: string;
  maxCommands: string;
  clock?: string;
  summary?: string;
}

/** Without a TTY, a progress line every this many runs. */
const PROGRESS_EVERY = 10;
const DEFAULT_RUNS = '100';

/** Adds the `explore` command. */
export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description('explore a terminal with random command sequences; a failure is shrunk and written as a .feature')
    .option('--rig <file>', 'rig file', 'rigs/sim-serial.yaml')
    .option('--runs <n>', 'random runs (command sequences)', DEFAULT_RUNS)
    .option('--seed <n>', "fast-check's seed (printed; the same seed plays the same runs)")
    .option('--path <path>', 'replay one run exactly: the path a failure printed (with --seed)')
    .option('--language <en|zh-CN>', 'language of the written .feature', 'en')
    .option('--defect <name>', 'a seeded defect to switch on in the simulated terminal (repeatable)', collect, [])
    .option('--reports <dir>', 'the .feature and the rig copy go to <dir>/explore', 'reports')
    .option('--max-commands <n>', 'commands per run at most', '15')
    .option(
      '--clock <real|virtual>',
      'the wall clock or simulated time (default: simulated time where the rig allows it)',
    )
    .option(
      '--summary <file>',
      'also write the outcome as JSON (runs, transactions, faults, the failure, the .feature)',
    )
    .showHelpAfterError(false)
    .configureOutput({
      outputError: (text, write) =>
        write(`posrig explore: ${oneLine(text.replace(/^error: /, ''))} (see posrig explore --help)\n`),
    })
    .action(async (options: ExploreCommandOptions) => {
      process.exitCode = await exploreReporting(options);
    });
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/** Explores; every error before or around the exploration is one line `posrig explore: …` and exit code 2. */
async function exploreReporting(options: ExploreCommandOptions): Promise<number> {
  try {
    return await exploreCommand(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`posrig explore: ${oneLine(message.split('\n')[0] ?? '')}`);
    return 2;
  }
}

async function exploreCommand(options: ExploreCommandOptions): Promise<number> {
  const runs = positiveInteger(options.runs, '--runs');
  const maxCommands = positiveInteger(options.maxCommands, '--max-commands');
  const seed = options.seed === undefined ? undefined : seedOf(options.seed);
  if (options.path !== undefined && seed === undefined) throw new Error('--path replays a run of a seed: give --seed');
  if (!(FEATURE_LANGUAGES as readonly string[]).includes(options.language))
    throw new Error(`--language takes ${FEATURE_LANGUAGES.join(' or ')}, got "${options.language}"`);
  const language = options.language as FeatureLanguage;
  const folder = path.join(options.reports, 'explore');
  const rigFile = options.defect.length > 0 ? defectiveRig(options.rig, options.defect, folder) : options.rig;
  const clock = fastestClock(rigFile, loadRigFile(rigFile), options.clock);
  const timeWord = clock === 'virtual' ? 'simulated time' : 'the wall clock';
  const shownSeed = seed ?? randomSeed();
  const notReplaying = (error: unknown) =>
    error instanceof PathMismatch
      ? new Error(
          `--path ${options.path} does not replay a run of seed ${shownSeed} (${error.message}; paths come from a failure's "replay it" line)`,
        )
      : error;
  try {
    if (options.path !== undefined) checkPath(options.path, runs);
  } catch (error) {
    throw notReplaying(error);
  }
  const rig = await startRig(rigFile, { clock });
  console.log(
    options.path === undefined
      ? `posrig explore: rig ${rig.name}, seed ${shownSeed}, ${count(runs, 'run')}, ${timeWord}`
      : `posrig explore: rig ${rig.name}, seed ${shownSeed}, replaying --path ${options.path}, ${timeWord}`,
  );
  const tty = process.stderr.isTTY === true;
  const onRun = (p: ExploreProgress) => {
    if (tty) process.stderr.write(`\r${progressLine(p)}`);
    else if ((p.runs + p.shrinkingRuns) % PROGRESS_EVERY === 0) console.error(progressLine(p));
  };
  let summary: Awaited<ReturnType<typeof explore>>;
  try {
    const explored = { runs, seed: shownSeed, path: options.path, maxCommands, onRun, evidence: rigTimeline };
    summary = await explore(rig, explored);
  } catch (error) {
    throw notReplaying(error);
  } finally {
    if (tty) process.stderr.write('\n');
    await rig.stop();
  }
  const { progress, failure } = summary;
  let written: string | undefined;
  const replay = [
    `npx posrig explore --rig ${rigFile} --seed ${summary.seed}`,
    ...(options.runs !== DEFAULT_RUNS ? [`--runs ${runs}`] : []),
    ...(options.language !== 'en' ? [`--language ${options.language}`] : []),
  ].join(' ');
  if (failure) {
    mkdirSync(folder, { recursive: true });
    const suffix = language === 'zh-CN' ? '.zh-CN' : '';
    const file = path.join(folder, `${rig.name}-${seedName(summary.seed)}${suffix}.feature`);
    written = file;
    const exact = `${replay} --path "${failure.path}"`;
    writeFileSync(
      file,
      featureText({
        steps: failure.steps,
        language,
        rig: rig.name,
        seed: summary.seed,
        replay: exact,
        failure: failure.message,
        failedAt: failure.failedAt,
      }),
    );
    console.log(failure.message);
    console.log('');
    console.log(`posrig explore: shrunk to ${failure.commands}`);
    console.log(`posrig explore: written ${file}`);
    if (failure.evidence) {
      const timeline = file.replace(/\.feature$/, '.timeline.txt');
      writeFileSync(timeline, failure.evidence);
      console.log(
        `posrig explore: its timeline (terminal, serial link, ISO 8583, network, faults, power): ${timeline}`,
      );
    }
    const runReports = path.join(folder, path.basename(file, '.feature'));
    console.log(`posrig explore: run it:     npx posrig run --rig ${rigFile} --reports ${runReports} ${file}`);
    console.log(`posrig explore: replay it:  ${exact}`);
  }
  console.log(`posrig explore: ${summaryLine(summary, runs, timeWord, options.path)}`);
  if (options.summary) {
    const outcome = {
      seed: summary.seed,
      budget: runs,
      runs: summary.runs,
      transactions: progress.transactions,
      faults: progress.faults,
      ...(failure ? { failure: failure.message.split('\n')[0], feature: written, path: failure.path } : {}),
    };
    writeFileSync(options.summary, `${JSON.stringify(outcome, null, 2)}\n`);
  }
  return failure ? 1 : 0;
}

/** The last line: what was played and found. `runs` counts the runs before the failure, shrinking runs apart. */
export function summaryLine(
  summary: Pick<Awaited<ReturnType<typeof explore>>, 'seed' | 'progress' | 'failure'>,
  budget: number,
  timeWord: string,
  path?: string,
): string {
  const { progress, failure } = summary;
  if (path !== undefined)
    return `replayed 1 run (seed ${summary.seed}, path ${path}): ${failure ? 'it failed' : 'no failure'}`;
  const played = [
    `${count(progress.runs, 'run')}${progress.runs < budget ? ` of ${budget}` : ''}`,
    ...(progress.shrinkingRuns > 0 ? [count(progress.shrinkingRuns, 'shrinking run')] : []),
  ].join(' + ');
  return `${played}, ${count(progress.transactions, 'transaction')}, ${count(progress.faults, 'fault')} injected, ${count(failure ? 1 : 0, 'failure')} (seed ${summary.seed}, ${timeWord})`;
}

/** "seed7", and "seedm7" for -7: a file name no tool reads as an option. */
export function seedName(seed: number): string {
  return seed < 0 ? `seedm${-seed}` : `seed${seed}`;
}

/** "1 run", "2 runs". */
export function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** A seed for fast-check when none is given, printed before exploring so an interrupted run keeps it. */
function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

function progressLine(p: ExploreProgress): string {
  const runs = [count(p.runs, 'run'), ...(p.shrinking ? [count(p.shrinkingRuns, 'shrinking run')] : [])].join(' + ');
  const what = p.shrinking ? 'shrinking a failure' : 'exploring';
  return `posrig explore: ${what}: ${runs}, ${count(p.transactions, 'transaction')}, ${count(p.faults, 'fault')}`;
}

function seedOf(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new Error(`--seed takes a whole number, got "${text}"`);
  return Number(text);
}

/** A copy of the rig file with the defects switched on in its simulated terminal, as `posrig selfcheck` makes. */
function defectiveRig(source: string, defects: readonly string[], folder: string): string {
  checkDefects(defects);
  const rig = loadRigFile(source);
  if (!rig.terminal.simulate) throw new Error(`${source}: --defect needs a simulated terminal (terminal.simulate)`);
  const name = `${rig.name}-${[...new Set(defects)].join('-')}`;
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.rig.yaml`);
  const header = `# A copy of ${source} made by posrig explore with the defects on: ${[...new Set(defects)].join(', ')}\n`;
  writeFileSync(file, header + rigCopyText(source, { name, defects: [...new Set(defects)] }));
  return file;
}

/** Each defect a feature step can provoke; a link-only one and a typo each say what to do instead. */
export function checkDefects(defects: readonly string[]): void {
  const linkOnly = defects.filter((d) => (CONFORMANCE_DEFECTS as readonly string[]).includes(d));
  if (linkOnly.length > 0)
    throw new Error(`defect ${linkOnly.join(', ')}: no feature step provokes it; posrig conformance catches it`);
  const unknown = defects.filter((d) => !(FEATURE_DEFECTS as readonly string[]).includes(d));
  if (unknown.length === 0) return;
  const [first] = unknown;
  const near = closestWords(first as string, FEATURE_DEFECTS);
  throw new Error(
    near.length > 0
      ? `unknown defect ${first}: did you mean ${near.join(' or ')}?`
      : `unknown defect ${unknown.join(', ')} (known: ${FEATURE_DEFECTS.join(', ')})`,
  );
}
