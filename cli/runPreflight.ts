// Before `posrig run` runs anything: nothing green by accident. Every path matches a feature file, every file:line a
// scenario, the feature files pass the lint and parse, the selection has scenarios, and every step is defined once.
// Each problem is one line `file:line: …`; an undefined step names the closest defined ones, never a code snippet.
//   const support = await preflight(runConfiguration, selection);  // throws RunProblems

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  type IRunConfiguration,
  type IRunEnvironment,
  type ISupportCodeLibrary,
  loadSources,
  loadSupport,
  runCucumber,
} from '@cucumber/cucumber/api';
import type { Envelope, GherkinDocument, Step } from '@cucumber/messages';
import { glob } from 'glob';
import { closestSteps, punctuationHint, readablePattern, type StepPattern, stepScorer } from './closestSteps.ts';
import { lintFeature } from './featureLint.ts';
import { describeSelection, type RunSelection } from './runOptions.ts';

/** Problems found before the run, one line each; exit code 2. */
export class RunProblems extends Error {
  override name = 'RunProblems';
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}

/** A loaded step definition, as the support code library holds it. */
interface StepDefinition extends StepPattern {
  readonly id: string;
  readonly uri: string;
  readonly line: number;
}

/** The step definitions of a loaded support code library. */
export function stepDefinitionsOf(support: ISupportCodeLibrary): readonly StepDefinition[] {
  return (support as unknown as { stepDefinitions: StepDefinition[] }).stepDefinitions;
}

const LINES = /(?::\d+)+$/;

/** Loads the steps and checks the features; returns the support code library for the run. */
export async function preflight(
  config: IRunConfiguration,
  selection: RunSelection,
  environment: IRunEnvironment,
): Promise<ISupportCodeLibrary> {
  const cwd = environment.cwd ?? process.cwd();
  const { files, problems } = await featureFiles(config.sources.paths, cwd);
  if (problems.length > 0) throw new RunProblems(problems);
  const support = await loadSupport({ sources: config.sources, support: config.support }, environment);
  const definitions = stepDefinitionsOf(support);
  await checkSources(config, files, definitions, { ...environment, cwd });
  await checkLines(config, environment);
  const dryRun = await dryRunMessages(config, support, environment);
  const stepProblems = undefinedOrAmbiguous(dryRun, definitions);
  if (stepProblems.length > 0) throw new RunProblems(stepProblems);
  if (!dryRun.some((m) => m.testCase)) {
    const all = await loadSources({ ...config.sources, names: [], tagExpression: '' }, environment);
    const what = describeSelection(selection, config.sources.paths);
    const total = all.plan.length;
    throw new RunProblems([
      `no scenario to run: ${what} ${total === 0 ? 'has no scenarios' : `selects none of the ${total} scenarios there`}`,
    ]);
  }
  return support;
}

/** Every feature file the paths name; a path or glob that matches none is a problem. */
async function featureFiles(paths: readonly string[], cwd: string): Promise<{ files: string[]; problems: string[] }> {
  const files = new Set<string>();
  const problems: string[] = [];
  for (const unexpanded of paths) {
    const pattern = unexpanded.replace(LINES, '');
    const found: string[] = [];
    for (const match of await glob(pattern, { cwd, absolute: true, windowsPathsNoEscape: true })) {
      if (path.extname(match) === '')
        found.push(...(await glob(`${match}/**/*.feature`, { cwd, absolute: true, windowsPathsNoEscape: true })));
      else if (match.endsWith('.feature')) found.push(match);
    }
    if (found.length === 0) problems.push(`${unexpanded} matches no feature file`);
    for (const file of found.sort()) files.add(path.relative(cwd, file));
  }
  return { files: [...files], problems };
}

/** The lint, then Gherkin's own parse errors (for files the lint passed). */
async function checkSources(
  config: IRunConfiguration,
  files: readonly string[],
  definitions: readonly StepPattern[],
  environment: IRunEnvironment,
): Promise<void> {
  const problems: string[] = [];
  const linted = new Set<string>();
  // The same wordings recur across features: each is scored against the definitions once.
  const stepScore = stepScorer(definitions);
  for (const file of files) {
    const text = readFileSync(path.resolve(environment.cwd ?? '.', file), 'utf8');
    for (const { line, message } of lintFeature(text, { stepScore })) {
      problems.push(`${file}:${line}: ${message}`);
      linted.add(path.normalize(file));
    }
  }
  const { errors } = await loadSources({ ...config.sources, names: [], tagExpression: '' }, environment);
  for (const error of errors) {
    if (linted.has(path.normalize(error.uri))) continue;
    const message = error.message.replace(/^\(\d+:\d+\):\s*/, '');
    problems.push(`${error.uri}:${error.location.line}: ${message}`);
  }
  if (problems.length > 0) throw new RunProblems(problems);
}

/** Every `file:line` given points at a scenario (or an example row, a rule, the feature). */
async function checkLines(config: IRunConfiguration, environment: IRunEnvironment): Promise<void> {
  const problems: string[] = [];
  for (const given of config.sources.paths) {
    const lines = LINES.exec(given)?.[0].slice(1).split(':') ?? [];
    const file = given.replace(LINES, '');
    for (const line of lines) {
      const sources = { ...config.sources, paths: [`${file}:${line}`], names: [], tagExpression: '' };
      if ((await loadSources(sources, environment)).plan.length > 0) continue;
      const all = await loadSources({ ...sources, paths: [file] }, environment);
      const starts = [...new Set(all.plan.map((p) => p.location.line))].slice(0, 12).join(', ');
      problems.push(
        `${file}:${line}: no scenario at line ${line}${starts ? ` (scenarios start at lines ${starts})` : ''}`,
      );
    }
  }
  if (problems.length > 0) throw new RunProblems(problems);
}

/** A dry run of the selection (tags, names, shard applied), writing nothing anywhere: its messages. */
async function dryRunMessages(
  config: IRunConfiguration,
  support: ISupportCodeLibrary,
  environment: IRunEnvironment,
): Promise<Envelope[]> {
  const nowhere = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });
  const messages: Envelope[] = [];
  await runCucumber(
    {
      ...config,
      support,
      runtime: { ...config.runtime, dryRun: true, parallel: 0, retry: 0, failFast: false },
      formats: { stdout: 'summary', files: {}, publish: false, options: {} },
      plugins: { specifiers: [], options: {} },
    },
    { ...environment, stdout: nowhere(), stderr: nowhere() },
    (message) => messages.push(message),
  );
  return messages;
}

/** `file:line: undefined step "…"; did you mean: …` and `file:line: ambiguous step "…" matches …`, once per line. */
function undefinedOrAmbiguous(messages: readonly Envelope[], definitions: readonly StepDefinition[]): string[] {
  const documents = new Map<string, GherkinDocument>();
  const pickles = new Map<string, { uri: string; steps: Map<string, { text: string; astNodeId: string }> }>();
  for (const { gherkinDocument, pickle } of messages) {
    if (gherkinDocument?.uri) documents.set(gherkinDocument.uri, gherkinDocument);
    if (pickle)
      pickles.set(pickle.id, {
        uri: pickle.uri,
        steps: new Map(pickle.steps.map((s) => [s.id, { text: s.text, astNodeId: s.astNodeIds[0] ?? '' }])),
      });
  }
  const byId = new Map(definitions.map((d) => [d.id, d]));
  const problems = new Map<string, { uri: string; line: number; text: string }>();
  for (const { testCase } of messages) {
    const pickle = testCase && pickles.get(testCase.pickleId);
    if (!testCase || !pickle) continue;
    const document = documents.get(pickle.uri);
    const language = document?.feature?.language ?? 'en';
    for (const testStep of testCase.testSteps) {
      const matches = testStep.stepDefinitionIds;
      const step = testStep.pickleStepId ? pickle.steps.get(testStep.pickleStepId) : undefined;
      if (!step || !matches || matches.length === 1) continue;
      const ast = document ? astStep(document, step.astNodeId) : undefined;
      const line = ast?.location.line ?? 0;
      const keyword = ast?.keyword ?? '';
      const where = `${pickle.uri}:${line}`;
      const key = `${where}\u0000${step.text}`;
      if (problems.has(key)) continue;
      let text: string;
      if (matches.length === 0) {
        const suggestions = closestSteps(step.text, definitions, language).map((s) => `${keyword}${s.text}`.trim());
        const hint = punctuationHint(step.text, suggestions[0]);
        text =
          `${where}: undefined step "${step.text}"` +
          (suggestions.length > 0 ? `; did you mean: ${suggestions.join(' | ')}` : '') +
          (hint ? ` (${hint})` : '');
      } else {
        const named = matches
          .map((id) => byId.get(id))
          .map((d) => (d ? `"${readablePattern(d.pattern)}" (${d.uri}:${d.line})` : 'a step definition'));
        text = `${where}: ambiguous step "${step.text}" matches ${named.join(' and ')}; one of the step definitions must change`;
      }
      problems.set(key, { uri: pickle.uri, line, text });
    }
  }
  return [...problems.values()].sort((a, b) => a.uri.localeCompare(b.uri) || a.line - b.line).map((p) => p.text);
}

/** The Gherkin step with this id, anywhere in the document (backgrounds, scenarios, rules). */
function astStep(document: GherkinDocument, id: string): Step | undefined {
  const children = [...(document.feature?.children ?? [])];
  for (const child of children) {
    if (child.rule) children.push(...child.rule.children);
    const step = (child.background?.steps ?? child.scenario?.steps ?? []).find((s) => s.id === id);
    if (step) return step;
  }
  return undefined;
}
