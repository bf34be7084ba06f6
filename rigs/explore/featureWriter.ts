// A failure found by `posrig explore`, written as a runnable .feature: one Scenario whose steps are exactly the shrunk
// commands' steps, in the chosen language, with the tags `posrig run` needs (@needs-… for what the rig must have,
// @area:, @severity:, @req: the rule the failure broke when it names one) and the replay in a comment.
//   const text = featureText({ steps, language: 'en', rig: 'sim-serial', seed: 1, path: '3:0', failure });

import { SCENARIO_REQUIREMENT_IDS } from '../certification/requirements.ts';
import { roleOf, type ScenarioStep } from './scenarioStep.ts';
import { type FeatureLanguage, KEYWORDS, stepWords } from './stepWords.ts';

export interface FoundFailure {
  readonly steps: readonly ScenarioStep[];
  readonly language: FeatureLanguage;
  /** The rig's name (its file's `name`). */
  readonly rig: string;
  /** The exploration's seed (in the Feature's name, so that two found failures read apart). */
  readonly seed?: number | undefined;
  /** The command that replays the run exactly. */
  readonly replay: string;
  /** The failure's message, its first line naming the culprit ("firmware defect: …"). */
  readonly failure: string;
  /** The step that failed; undefined when the invariant or the monitor found it after the last step. */
  readonly failedAt?: ScenarioStep | undefined;
}

const TITLES: Record<
  FeatureLanguage,
  { feature: string; on: string; seed: string; scenario: string; after: string; keywords: [string, string] }
> = {
  en: {
    feature: 'Found by posrig explore',
    on: ' on ',
    seed: 'seed',
    scenario: 'shortest sequence',
    after: 'after the last step',
    keywords: ['Feature', 'Scenario'],
  },
  'zh-CN': {
    feature: 'posrig explore 发现的缺陷',
    on: '，设备 ',
    seed: '种子',
    scenario: '最短步骤',
    after: '最后一步之后',
    keywords: ['功能', '场景'],
  },
};

/** The .feature text of a failure. */
export function featureText(found: FoundFailure): string {
  const { language, steps } = found;
  const titles = TITLES[language];
  const [feature, scenario] = titles.keywords;
  const head = language === 'zh-CN' ? ['# language: zh-CN'] : [];
  const comments = [
    `# Written by posrig explore on rig ${found.rig}. Replay the exploration exactly:`,
    `#   ${found.replay}`,
    `# It failed ${found.failedAt ? `at "${stepWords(found.failedAt, language)}" ` : 'after its last step '}with:`,
    ...quoted(found.failure).map((line) => `#   ${line}`),
  ];
  const rule = brokenRule(found.failure) ?? requirementOf(found.failedAt);
  const seed = found.seed === undefined ? '' : ` (${titles.seed} ${found.seed})`;
  const what = found.failedAt
    ? stepWords(found.failedAt, language)
    : (rule ?? (quoted(found.failure)[0] || titles.after));
  const tags = [...needsOf(steps), `@area:${areaOf(steps)}`, '@severity:critical', ...(rule ? [`@req:${rule}`] : [])];
  return [
    ...head,
    ...comments,
    tags.join(' '),
    `${feature}: ${titles.feature}${titles.on}${found.rig}${seed}`,
    '',
    `  ${scenario}: ${oneLine(what, 120)} — ${titles.scenario}`,
    ...stepLines(steps, language).map((line) => `    ${line}`),
    '',
  ].join('\n');
}

/** Each step with its keyword: Given / When / Then by its role, And when the role repeats. */
export function stepLines(steps: readonly ScenarioStep[], language: FeatureLanguage): string[] {
  const keywords = KEYWORDS[language];
  let last: string | undefined;
  return steps.map((step) => {
    const role = roleOf(step);
    const keyword = role === last ? keywords.repeat : keywords[role];
    last = role;
    // Chinese keywords take no space after them (假如卡"alice"余额为500.00元)
    return `${keyword}${language === 'zh-CN' ? '' : ' '}${stepWords(step, language)}`;
  });
}

/** The @needs-… tags the steps call for (docs/steps.md "What a feature needs"). */
export function needsOf(steps: readonly ScenarioStep[]): string[] {
  const needs = new Set<string>(['@needs-bank-control']);
  for (const s of steps) {
    if (s.kind === 'present')
      needs.add(s.method === 'swipe' ? '@needs-swipe' : s.method === 'chip' ? '@needs-chip' : '@needs-contactless');
    if (s.kind === 'pin') needs.add('@needs-pin');
    if (['receipt', 'markedReceipt', 'paperOut', 'loadPaper', 'reprint'].includes(s.kind)) needs.add('@needs-printer');
    if (s.kind === 'says') needs.add('@needs-voice');
    if (s.kind === 'fault' || s.kind === 'recovers' || s.kind === 'reverses' || s.kind === 'noRequest')
      needs.add('@needs-faults');
    if (s.kind === 'fault' && s.fault.startsWith('cut-power')) needs.add('@needs-power');
    if (s.kind === 'powerBack') needs.add('@needs-power');
    if (s.kind === 'linkFault') needs.add('@needs-serial-link');
    if (s.kind === 'fault' && s.fault === 'refuse-primary') needs.add('@needs-backup-host');
  }
  return [...needs].sort();
}

/** The feature area the scenario belongs to, by what it does. */
export function areaOf(steps: readonly ScenarioStep[]): string {
  const has = (p: (s: ScenarioStep) => boolean) => steps.some(p);
  if (has((s) => s.kind === 'powerBack')) return 'power';
  if (has((s) => s.kind === 'fault' || s.kind === 'linkFault')) return 'resilience';
  if (has((s) => s.kind === 'reprint' || s.kind === 'paperOut')) return 'receipts';
  if (has((s) => s.kind === 'shows' && s.text.startsWith('密码错误'))) return 'pin';
  return 'purchase';
}

/** The first requirement id the failure names in brackets ("[copy-once]"), when posrig knows it. */
export function brokenRule(failure: string): string | undefined {
  const ids = [...failure.matchAll(/\[([a-z0-9]+(?:-[a-z0-9]+)+)\]/g)].map((m) => m[1] as string);
  return ids.find((id) => SCENARIO_REQUIREMENT_IDS.includes(id));
}

/** The requirement a failed step checks: the success signal it looks at, or the rule behind it. */
const STEP_REQUIREMENTS: Partial<Record<ScenarioStep['kind'], string>> = {
  shows: 'signal-display',
  doesNotShow: 'outcome-agree',
  says: 'signal-voice',
  outcome: 'outcome-agree',
  receipt: 'signal-receipt',
  markedReceipt: 'copy-once',
  noReceipt: 'outcome-agree',
  balance: 'signal-balances',
  reverses: 'pending-reversal',
  noRequest: 'reversal-before-next-request',
};

/** The requirement of the step that failed, when posrig knows it. */
export function requirementOf(step: ScenarioStep | undefined): string | undefined {
  const id = step && STEP_REQUIREMENTS[step.kind];
  return id && SCENARIO_REQUIREMENT_IDS.includes(id) ? id : undefined;
}

/** The failure's first line, cut clean of a clause that announces what follows ("…; the terminal did this:"). */
export function quoted(failure: string): string[] {
  const first = oneLine(failure.split('\n')[0] ?? '', 200);
  if (!first.endsWith(':')) return [first];
  const clause = first.lastIndexOf('; ');
  return [clause > 0 ? first.slice(0, clause) : first.slice(0, -1)];
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
