// The verdicts of one `posrig run`, read from its cucumber.json (cucumber's JSON formatter): every scenario that failed,
// with the culprit its first failure names. A scenario's verdict is the first line of the error of its FIRST failed
// step or hook (Before hooks, steps, After hooks, in the order they ran): "firmware defect: …", "rig fault: …" or
// "scenario error: …" (rigs/verdict/culprit.ts). An undefined, ambiguous or pending step is the scenario's words.
//   const results = readCucumberJson('reports/selfcheck/double-print/cucumber.json');
//   results.failed.filter((f) => f.culprit === 'firmware defect')  // the scenarios that caught the defect

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type Culprit, culpritIn } from '../rigs/verdict/culprit.ts';
import { rulesIn } from './selfcheckIntent.ts';

/** A failed scenario and why: the step or hook that failed first, and the first line of its message. */
export interface FailedScenario {
  /** "Feature › Scenario". */
  readonly scenario: string;
  /** "features/purchase/approved.feature:12" (the file as cucumber names it). */
  readonly location: string;
  /** The culprit the first failure names; undefined when its message names none. */
  readonly culprit: Culprit | undefined;
  /** The failing step as written ("And the terminal prints …"), or "After hook (steps/hooks.ts:40)". */
  readonly step: string;
  /** The first line of the failure's message, at most MESSAGE_LENGTH characters. */
  readonly message: string;
  /** Every rule the scenario found broken: named in its failures, or in the behaviour monitor's and payment-truth
   * findings it attached ("[copy-once]" → 'copy-once'). */
  readonly rules: readonly string[];
}

export interface RunResults {
  /** Scenarios in the report (each example of an outline is one). */
  readonly total: number;
  /** The scenarios that failed, in report order. */
  readonly failed: readonly FailedScenario[];
}

/** How much of a failure's first line is kept. */
export const MESSAGE_LENGTH = 160;

const ResultSchema = z.object({ status: z.string(), error_message: z.string().optional() });
const EmbeddingSchema = z.object({ data: z.string(), mime_type: z.string().optional() });
const StepSchema = z.object({
  embeddings: z.array(EmbeddingSchema).optional(),
  keyword: z.string().optional(),
  name: z.string().optional(),
  hidden: z.boolean().optional(),
  match: z.object({ location: z.string().optional() }).optional(),
  result: ResultSchema,
});
const ElementSchema = z.object({
  name: z.string().default(''),
  type: z.string().optional(),
  line: z.number().optional(),
  before: z.array(StepSchema).optional(),
  steps: z.array(StepSchema).default([]),
  after: z.array(StepSchema).optional(),
});
const FeatureSchema = z.object({
  name: z.string().default(''),
  uri: z.string().default(''),
  elements: z.array(ElementSchema).default([]),
});
const ReportSchema = z.array(FeatureSchema);

type Step = z.output<typeof StepSchema>;
type Element = z.output<typeof ElementSchema>;

/** A cucumber.json that is missing, not JSON or not cucumber's shape. */
export class CucumberJsonError extends Error {
  override name = 'CucumberJsonError';
}

/** Reads a run's cucumber.json; CucumberJsonError when there is none or it cannot be read. */
export function readCucumberJson(file: string): RunResults {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CucumberJsonError(`${file} was not written`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CucumberJsonError(`${file} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return runResults(json, file);
}

/** The results in a parsed cucumber.json report (an array of features). */
export function runResults(json: unknown, file = 'cucumber.json'): RunResults {
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || '(top)' : '(top)';
    throw new CucumberJsonError(
      `${file} is not a cucumber JSON report (at ${where}: ${issue?.message ?? 'unexpected shape'})`,
    );
  }
  let total = 0;
  const failed: FailedScenario[] = [];
  for (const feature of parsed.data) {
    for (const element of feature.elements) {
      if (element.type !== undefined && element.type !== 'scenario') continue; // a background, in some formatters
      total += 1;
      const failure = firstFailure(element);
      if (!failure) continue;
      failed.push({
        scenario: `${feature.name} › ${element.name}`,
        location: element.line === undefined ? feature.uri : `${feature.uri}:${element.line}`,
        ...failure,
        rules: rulesFound(element),
      });
    }
  }
  return { total, failed };
}

/** Findings are attached as text starting with one of these (steps/support/hooks.ts). */
const FINDINGS = /^(behaviour monitor:|payment-truth invariant violated)/;

/** The rules named in a scenario's failures and in the findings it attached. */
function rulesFound(element: Element): string[] {
  const ran = [...(element.before ?? []), ...element.steps, ...(element.after ?? [])];
  const texts = ran.flatMap((step) => [
    step.result.error_message ?? '',
    ...(step.embeddings ?? [])
      .filter((e) => e.mime_type === undefined || e.mime_type.startsWith('text/'))
      .map((e) => Buffer.from(e.data, 'base64').toString('utf8'))
      .filter((text) => FINDINGS.test(text)),
  ]);
  return rulesIn(texts.join('\n'));
}

/** The verdict of a scenario's first failed step or hook; undefined when nothing failed. */
function firstFailure(element: Element): Pick<FailedScenario, 'culprit' | 'step' | 'message'> | undefined {
  const ran = [...(element.before ?? []), ...element.steps, ...(element.after ?? [])];
  for (const step of ran) {
    const { status, error_message: error } = step.result;
    if (status === 'passed' || status === 'skipped') continue;
    const text = stepText(step);
    if (status === 'undefined')
      return { culprit: 'scenario error', step: text, message: `scenario error: no step definition matches "${text}"` };
    if (status === 'pending')
      return { culprit: 'scenario error', step: text, message: `scenario error: the step "${text}" is pending` };
    const message = error ? firstLine(error) : '';
    if (status === 'ambiguous')
      return { culprit: 'scenario error', step: text, message: message || `scenario error: "${text}" is ambiguous` };
    // failed (or a status this reader does not know): the culprit is whatever the message's first line names.
    return { culprit: culpritIn(message), step: text, message: message || `(${status}, no error message)` };
  }
  return undefined;
}

/** "And the terminal prints …" for a step; "After hook (steps/hooks.ts:40)" for a hook. */
function stepText(step: Step): string {
  const keyword = (step.keyword ?? '').trim();
  const isHook = step.hidden === true || ((keyword === 'Before' || keyword === 'After') && !step.name);
  if (isHook) {
    const where = step.match?.location;
    return `${keyword || 'hook'} hook${where ? ` (${where})` : ''}`;
  }
  return [keyword, step.name ?? ''].filter(Boolean).join(' ');
}

/** The first non-empty line, trimmed to MESSAGE_LENGTH characters. */
export function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return trimmed(line.trim(), MESSAGE_LENGTH);
}

export function trimmed(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
