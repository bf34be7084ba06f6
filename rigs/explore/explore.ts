// `posrig explore`'s engine: fast-check's model-based testing over a started rig. Each run resets the rig, plays a
// random sequence of commands (commands.ts) with the model's expectations as steps, then judges the payment-truth
// invariant and the behaviour monitor as after every scenario. A failing sequence is shrunk by fast-check to its
// smallest form and written as a .feature (featureWriter.ts) with the seed and path that replay it exactly.
//   const summary = await explore(rig, { runs: 200, seed: 1, maxCommands: 8, language: 'en', onRun: (t) => … });

import fc from 'fast-check';
import type { Rig } from '../rig.ts';
import { RigFault, verdictMessage } from '../verdict/culprit.ts';
import { closingSteps, type ExploreCommand, exploreCommands, stepsOf } from './commands.ts';
import { newModel, type RigFacts } from './model.ts';
import { rigFacts } from './rigFacts.ts';
import type { ScenarioStep } from './scenarioStep.ts';
import { ExploreSession, failedStep, type Tally } from './session.ts';

export interface ExploreOptions {
  readonly runs: number;
  /** fast-check's seed; a random one when undefined. */
  readonly seed?: number | undefined;
  /** Replays one run exactly: fast-check's path and the commands' replay path, as `replayPath()` prints them. */
  readonly path?: string | undefined;
  readonly maxCommands: number;
  /** Called after every run (shrinking runs too), for the progress line. */
  readonly onRun?: (progress: ExploreProgress) => void;
}

export interface ExploreProgress extends Tally {
  /** Runs played, shrinking runs included. */
  runs: number;
  /** True once a failure was found: the runs since are fast-check shrinking it. */
  shrinking: boolean;
}

export interface ExploreFailure {
  /** The shrunk run's steps: what the written scenario says. */
  readonly steps: readonly ScenarioStep[];
  /** The shrunk run's commands, as fast-check names them. */
  readonly commands: string;
  /** The failure, its first line naming the culprit ("firmware defect: …"). */
  readonly message: string;
  /** The step that failed; undefined when the invariant or the monitor found it after the last step. */
  readonly failedAt: ScenarioStep | undefined;
  /** `--path` that replays the shrunk run with the same seed. */
  readonly path: string;
}

export interface ExploreSummary {
  readonly seed: number;
  /** Runs before the first failure (all of them when none failed). */
  readonly runs: number;
  readonly progress: ExploreProgress;
  readonly failure: ExploreFailure | undefined;
}

/** Explores the rig; the rig must be started (and is left running). */
export async function explore(rig: Rig, options: ExploreOptions): Promise<ExploreSummary> {
  const facts = rigFacts(rig);
  const progress: ExploreProgress = { runs: 0, transactions: 0, faults: 0, shrinking: false };
  const [path, replayPath] = splitPath(options.path);
  const commands = fc.commands(exploreCommands(facts), {
    maxCommands: options.maxCommands,
    size: 'max',
    ...(replayPath ? { replayPath } : {}),
  });
  let broken: RigFault | undefined;
  const property = fc.asyncProperty(commands, async (sequence) => {
    // A broken rig tells nothing about the firmware: the run that broke it is the one reported.
    if (broken) return;
    progress.runs++;
    try {
      const session = await ExploreSession.begin(rig, progress);
      const model = newModel(facts);
      await fc.asyncModelRun(() => ({ model, real: session }), sequence);
      await session.play(closingSteps(model));
      await session.judge();
    } catch (error) {
      progress.shrinking = true;
      if (rig.fault) broken = rig.fault;
      throw error;
    } finally {
      options.onRun?.(progress);
    }
  });
  const details = await fc.check(property, {
    numRuns: options.runs,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(path ? { path, endOnFailure: true } : {}),
  });
  const failure = details.failed ? failureOf(details as fc.RunDetails<[Iterable<unknown>]>, facts) : undefined;
  const runs = details.failed ? details.numRuns : options.runs;
  return { seed: details.seed, runs, progress, failure };
}

/** The shrunk counterexample: its steps on a fresh model, its message, and the path that replays it. */
function failureOf(details: fc.RunDetails<[Iterable<unknown>]>, facts: RigFacts): ExploreFailure {
  const sequence = details.counterexample?.[0] as Iterable<ExploreCommand> | undefined;
  const ran = sequence ? ranCommands(sequence) : [];
  const replayPath = /replayPath="([^"]*)"/.exec(String(sequence))?.[1];
  const error = details.errorInstance;
  return {
    steps: stepsOf(ran, newModel(facts)),
    commands: ran.map(String).join(', '),
    failedAt: failedStep(error),
    message: verdictMessage(error ?? new RigFault('fast-check reported a failure without an error')),
    path: `${details.counterexamplePath ?? ''}${replayPath ? `@${replayPath}` : ''}`,
  };
}

/** The commands fast-check ran (it wraps each, noting whether it ran). */
function ranCommands(sequence: Iterable<ExploreCommand>): ExploreCommand[] {
  const ran: ExploreCommand[] = [];
  for (const item of sequence) {
    const wrapped = item as unknown as { cmd?: ExploreCommand; hasRan?: boolean };
    if (wrapped.cmd === undefined) ran.push(item);
    else if (wrapped.hasRan) ran.push(wrapped.cmd);
  }
  return ran;
}

/** "12:0:3@AAB" → fast-check's path and the commands' replay path. */
export function splitPath(text: string | undefined): [string | undefined, string | undefined] {
  if (!text) return [undefined, undefined];
  const at = text.indexOf('@');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
