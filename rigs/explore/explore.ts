// `posrig explore`'s engine: fast-check's model-based testing over a started rig. Each run resets the rig, plays a
// random sequence of commands (commands.ts) with the model's expectations as steps, then judges the payment-truth
// invariant and the behaviour monitor as after every scenario. A failing sequence is shrunk by fast-check to its
// smallest form and written as a .feature (featureWriter.ts) with the seed and path that replay it exactly; a path
// that names no run of the seed throws PathMismatch.
//   const summary = await explore(rig, { runs: 200, seed: 1, maxCommands: 8, evidence: rigTimeline, onRun: (t) => … });

import fc from 'fast-check';
import type { Rig } from '../rig.ts';
import { RigFault, verdictMessage } from '../verdict/culprit.ts';
import { closingSteps, type ExploreCommand, exploreCommands, stepsOf } from './commands.ts';
import { newModel, type RigFacts } from './model.ts';
import { rigFacts } from './rigFacts.ts';
import type { ScenarioStep } from './scenarioStep.ts';
import { ExploreSession, failedStep, type RunSpan, type Tally } from './session.ts';

export interface ExploreOptions {
  readonly runs: number;
  /** fast-check's seed; a random one when undefined. */
  readonly seed?: number | undefined;
  /** Replays one run exactly: fast-check's path and the commands' replay path, as `replayPath()` prints them. */
  readonly path?: string | undefined;
  readonly maxCommands: number;
  /** The evidence of a failed run, gathered before the next run resets the rig (e.g. its merged timeline). */
  readonly evidence?: (rig: Rig, span: RunSpan) => string;
  /** Called after every run (shrinking runs too), for the progress line. */
  readonly onRun?: (progress: ExploreProgress) => void;
}

export interface ExploreProgress extends Tally {
  /** Exploring runs played, the first failing one included. */
  runs: number;
  /** Runs fast-check played shrinking the failure. */
  shrinkingRuns: number;
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
  /** What `evidence` gathered on the shrunk run. */
  readonly evidence: string | undefined;
}

export interface ExploreSummary {
  readonly seed: number;
  /** True when `path` replayed one run (exactly one run was played). */
  readonly replayed: boolean;
  /** Runs before the first failure (all of them when none failed). */
  readonly runs: number;
  readonly progress: ExploreProgress;
  readonly failure: ExploreFailure | undefined;
}

/** A `--path` that names no run of the seed: malformed, from another seed, or from more runs than asked for. */
export class PathMismatch extends Error {}

/** Explores the rig; the rig must be started (and is left running). With `path`, plays that one run only. */
export async function explore(rig: Rig, options: ExploreOptions): Promise<ExploreSummary> {
  const facts = rigFacts(rig);
  const progress: ExploreProgress = { runs: 0, shrinkingRuns: 0, transactions: 0, faults: 0, shrinking: false };
  if (options.path !== undefined) checkPath(options.path, options.runs);
  const [path, replayPath] = splitPath(options.path);
  const commands = fc.commands(exploreCommands(facts), {
    maxCommands: options.maxCommands,
    size: 'max',
    ...(replayPath ? { replayPath } : {}),
  });
  let broken: RigFault | undefined;
  // fast-check's counterexample is the last run that failed: its evidence is the last gathered
  let evidence: string | undefined;
  const property = fc.asyncProperty(commands, async (sequence) => {
    // A broken rig tells nothing about the firmware: the run that broke it is the one reported.
    if (broken) return;
    // fast-check goes on down the path's shrink stream after it: a replay is the one run the path names.
    if (path && progress.runs > 0) return;
    if (progress.shrinking) progress.shrinkingRuns++;
    else progress.runs++;
    let session: ExploreSession | undefined;
    try {
      session = await ExploreSession.begin(rig, progress);
      const model = newModel(facts);
      await fc.asyncModelRun(() => ({ model, real: session }), sequence);
      await session.play(closingSteps(model));
      await session.judge();
    } catch (error) {
      progress.shrinking = true;
      if (rig.fault) broken = rig.fault;
      if (session && options.evidence) evidence = options.evidence(rig, session.timelineSpan());
      throw error;
    } finally {
      options.onRun?.(progress);
    }
  });
  const details = await checkOrMismatch(property, {
    numRuns: options.runs,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(path ? { path, endOnFailure: true } : {}),
  });
  if (path && progress.runs === 0) throw new PathMismatch('it names no run');
  const failure = details.failed
    ? { ...failureOf(details as fc.RunDetails<[Iterable<unknown>]>, facts), evidence }
    : undefined;
  const runs = path ? progress.runs : details.failed ? details.numRuns : options.runs;
  return { seed: details.seed, replayed: path !== undefined, runs, progress, failure };
}

/** fc.check, its replay errors ("Unable to replay, got wrong path=…", "Too short replayPath") as a PathMismatch. */
async function checkOrMismatch<T>(
  property: fc.IAsyncProperty<T>,
  parameters: fc.Parameters<T>,
): Promise<fc.RunDetails<T>> {
  try {
    return await fc.check(property, parameters);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/Unable to replay|replayPath/.test(message)) throw new PathMismatch('its steps lead to no run of this seed');
    throw error;
  }
}

/** A path as a failure prints it: "run:shrink:…" then "@counts:changes"; its run is one of the `runs` played. */
export function checkPath(text: string, runs: number): void {
  const shape = /^(\d+)(?::\d+)*(?:@[A-Za-z0-9+/]+:[A-Za-z0-9+/]*)?$/.exec(text);
  if (!shape) throw new PathMismatch('a path is numbers joined by ":", then "@" and the commands\' replay');
  const run = Number(shape[1]);
  if (run >= runs)
    throw new PathMismatch(`its run ${run} is past the ${runs} runs asked for: give the exploration's --runs`);
}

/** The shrunk counterexample: its steps on a fresh model, its message, and the path that replays it. */
function failureOf(details: fc.RunDetails<[Iterable<unknown>]>, facts: RigFacts): Omit<ExploreFailure, 'evidence'> {
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
