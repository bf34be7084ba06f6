// `posrig explore`: model-based exploration of a terminal (rigs/explore). Random sequences of sales, PINs, cancels,
// reprints, paper, network faults, power cuts and top-ups, each judged by the model's expectations, the payment-truth
// invariant and the behaviour monitor. A failure is shrunk to its smallest form and written as a runnable .feature in
// <reports>/explore/, with the command that replays the exploration exactly.
// Exit code 0: no failure; 1: a failure was found (written); 2: a usage or set-up error.
//   npx posrig explore --rig rigs/sim-serial.yaml --runs 200 --seed 1
//   npx posrig explore --defect double-print --runs 20 --seed 1 --language zh-CN
//   npx posrig explore --rig rigs/sim-serial.yaml --seed 1 --path "7:0:1@AAB"     # replays one run exactly

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { fastestClock } from '../rigs/clock/clockChoice.ts';
import { type ExploreProgress, explore } from '../rigs/explore/explore.ts';
import { featureText } from '../rigs/explore/featureWriter.ts';
import { FEATURE_LANGUAGES, type FeatureLanguage } from '../rigs/explore/stepWords.ts';
import { rigCopyText } from '../rigs/file/rigCopy.ts';
import { loadRigFile } from '../rigs/file/rigFile.ts';
import { startRig } from '../rigs/rig.ts';
import { FEATURE_DEFECTS } from '../simulators/terminal/index.ts';
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

/** Adds the `explore` command. */
export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description('explore a terminal with random command sequences; a failure is shrunk and written as a .feature')
    .option('--rig <file>', 'rig file', 'rigs/sim-serial.yaml')
    .option('--runs <n>', 'random runs (command sequences)', '100')
    .option('--seed <n>', "fast-check's seed (printed; the same seed plays the same runs)")
    .option('--path <path>', 'replay one run exactly: the path a failure printed (with --seed)')
    .option('--language <en|zh-CN>', 'language of the written .feature', 'en')
    .option('--defect <name>', 'a seeded defect to switch on in the simulated terminal (repeatable)', collect, [])
    .option('--reports <dir>', 'the .feature and the rig copy go to <dir>/explore', 'reports')
    .option('--max-commands <n>', 'commands per run at most', '10')
    .option(
      '--clock <real|virtual>',
      'the wall clock or simulated time (default: simulated time where the rig allows it)',
    )
    .option(
      '--summary <file>',
      'also write the outcome as JSON (runs, transactions, faults, the failure, the .feature)',
    )
    .action(async (options: ExploreCommandOptions) => {
      process.exitCode = await exploreCommand(options);
    });
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
  const rig = await startRig(rigFile, { clock });
  const tty = process.stderr.isTTY === true;
  const onRun = (p: ExploreProgress) => {
    if (tty) process.stderr.write(`\r${progressLine(p)}`);
    else if (p.runs % PROGRESS_EVERY === 0) console.error(progressLine(p));
  };
  let summary: Awaited<ReturnType<typeof explore>>;
  try {
    summary = await explore(rig, { runs, seed, path: options.path, maxCommands, onRun });
  } finally {
    if (tty) process.stderr.write('\n');
    await rig.stop();
  }
  const { progress, failure } = summary;
  let written: string | undefined;
  const replay = [
    `npx posrig explore --rig ${rigFile} --seed ${summary.seed}`,
    ...(options.language !== 'en' ? [`--language ${options.language}`] : []),
  ].join(' ');
  if (failure) {
    mkdirSync(folder, { recursive: true });
    const suffix = language === 'zh-CN' ? '.zh-CN' : '';
    const file = path.join(folder, `${rig.name}-seed${summary.seed}${suffix}.feature`);
    written = file;
    const exact = `${replay} --path "${failure.path}"`;
    writeFileSync(
      file,
      featureText({
        steps: failure.steps,
        language,
        rig: rig.name,
        replay: exact,
        failure: failure.message,
        failedAt: failure.failedAt,
      }),
    );
    console.log(failure.message.split('\n').slice(0, 12).join('\n'));
    console.log('');
    console.log(`posrig explore: shrunk to ${failure.commands}`);
    console.log(`posrig explore: written ${file}`);
    console.log(`posrig explore: run it:     npx posrig run --rig ${rigFile} ${file}`);
    console.log(`posrig explore: replay it:  ${exact}`);
  }
  console.log(
    `posrig explore: ${summary.runs} runs, ${progress.transactions} transactions, ${progress.faults} faults injected, ${failure ? 1 : 0} failures (seed ${summary.seed}, ${progress.runs} runs played with shrinking, ${clock === 'virtual' ? 'simulated time' : 'the wall clock'})`,
  );
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

function progressLine(p: ExploreProgress): string {
  const what = p.shrinking ? 'shrinking a failure' : 'exploring';
  return `posrig explore: ${what}: ${p.runs} runs, ${p.transactions} transactions, ${p.faults} faults`;
}

function seedOf(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new Error(`--seed takes a whole number, got "${text}"`);
  return Number(text);
}

/** A copy of the rig file with the defects switched on in its simulated terminal, as `posrig selfcheck` makes. */
function defectiveRig(source: string, defects: readonly string[], folder: string): string {
  const unknown = defects.filter((d) => !(FEATURE_DEFECTS as readonly string[]).includes(d));
  if (unknown.length > 0)
    throw new Error(`unknown defect ${unknown.join(', ')} (known: ${FEATURE_DEFECTS.join(', ')})`);
  const rig = loadRigFile(source);
  if (!rig.terminal.simulate) throw new Error(`${source}: --defect needs a simulated terminal (terminal.simulate)`);
  const name = `${rig.name}-${[...new Set(defects)].join('-')}`;
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.rig.yaml`);
  writeFileSync(file, rigCopyText(source, { name, defects: [...new Set(defects)] }));
  return file;
}
