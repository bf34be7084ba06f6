// Feature lint: the mistakes Gherkin does not report, or reports badly, found before anything runs.
//   lintFeature(text, { stepScore }) → [{ line: 9, message: '"加入" looks like a mistyped step keyword …' }]
// - a description line (free text before a scenario's first step) that is a step with a mistyped keyword (加入 for
//   假如, Gven, Wen, Thne), with none, or with another dialect's (`Given …` in a zh-CN file), in English or Chinese:
//   Gherkin reads it as a description, so the step silently never runs;
// - a `# language:` Gherkin does not know (`zh-cn` for `zh-CN`): one line instead of a cascade of parse errors;
// - a mistyped section keyword (场影: for 场景:, Scenaro:) or one written with a full-width colon (场景：);
// - a step argument quoted with full-width “…” or ＂…＂ where the step needs ASCII "…";
// - Chinese keywords in a file without `# language: zh-CN`;
// - a `@req:` tag naming no requirement (rigs/certification; the closest id named), or a conformance check (verified
//   by `posrig conformance`, not by scenarios); a `@severity:` that is not Allure's, an `@area:` posrig does not have.
// Pure: keywords come from @cucumber/gherkin's dialects; how close free text is to a defined step, from the caller.

import { dialects } from '@cucumber/gherkin';
import { AREA_TAG, AREAS, REQ_TAG, SEVERITIES, SEVERITY_TAG } from '../reporting/matrix/tags.ts';
import { CONFORMANCE_PREFIX, SCENARIO_REQUIREMENT_IDS } from '../rigs/certification/requirements.ts';
import { editDistance } from '../rigs/verdict/closest.ts';

export interface LintProblem {
  readonly line: number;
  readonly message: string;
}

export interface LintOptions {
  /**
   * How far free text is from the nearest defined step in the language: 0 is a defined wording, 1 nothing alike
   * (`nearestScore` of closestSteps.ts). Without it, a line one typo from a keyword is taken for a step when the rest
   * has a quoted argument or a number and does not end like a sentence; a step without any keyword goes unnoticed.
   * The lint passes `atMost` when only a score up to it matters: above it, any number above it will do.
   */
  readonly stepScore?: (text: string, language: string, atMost?: number) => number;
  /** The ids a `@req:` tag may name (default: every requirement a scenario can verify, rigs/certification). */
  readonly requirementIds?: readonly string[];
}

/** Free text this close to a defined step (after a mistyped keyword; on its own or after a keyword) never runs. */
const STEP_LIKE = 0.34;
const STEP_WITHOUT_KEYWORD = 0.2;

type Dialect = (typeof dialects)[string];
type Kind = 'blank' | 'comment' | 'tag' | 'table' | 'docstring' | 'title' | 'step' | 'other';

const LANGUAGE = /^\s*#\s*language\s*:\s*([a-zA-Z\-_]+)\s*$/;
const TITLE_KINDS = ['feature', 'rule', 'background', 'scenario', 'scenarioOutline', 'examples'] as const;
const STEP_KINDS = ['given', 'when', 'then', 'and', 'but'] as const;
/** The languages steps are defined in: a description line may read like a step in either. */
const STEP_LANGUAGES = ['en', 'zh-CN'] as const;
/** Step keywords of every Gherkin dialect, longest first (`Given `, `假如`, `Étant donné que `…). */
const ANY_STEP_KEYWORDS = [...new Set(Object.values(dialects).flatMap((d) => STEP_KINDS.flatMap((k) => d[k])))].filter(
  (k) => k.trim() !== '*' && k.trim() !== '',
);
ANY_STEP_KEYWORDS.sort((a, b) => b.length - a.length);
const FULL_WIDTH_QUOTE = /[“”＂]/;
const SENTENCE_END = /[.。!！?？:：;；,，、]\s*$/;

/** The `# language:` a feature file declares in its header comments, if any. */
export function featureLanguage(source: string): string | undefined {
  for (const line of source.split(/\r?\n/)) {
    const language = LANGUAGE.exec(line)?.[1];
    if (language) return language;
    if (line.trim() !== '' && !line.trim().startsWith('#')) return undefined;
  }
  return undefined;
}

/** The problems in one feature file's text, by line (1-based). */
export function lintFeature(source: string, options: LintOptions = {}): LintProblem[] {
  const lines = source.split(/\r?\n/);
  const declared = featureLanguage(source);
  const language = declared ?? 'en';
  const dialect = dialects[language];
  if (!dialect) {
    // Gherkin says "Language not supported", then fails every following line: one line says it all.
    const line = lines.findIndex((l) => LANGUAGE.test(l)) + 1;
    return [{ line, message: `# language: ${language} is not a Gherkin language (${languageHint(language)})` }];
  }
  if (!declared) {
    const chinese = findChineseKeyword(lines);
    if (chinese)
      return [
        {
          line: chinese.line,
          message: `"${chinese.keyword}" is a zh-CN keyword, but the file does not start with "# language: zh-CN"`,
        },
      ];
  }
  const titles = TITLE_KINDS.flatMap((k) => dialect[k]);
  const steps = STEP_KINDS.flatMap((k) => dialect[k]).filter((k) => k.trim() !== '*');
  const kinds = classify(lines, titles, steps);
  const nextIsStep = (index: number): boolean => {
    for (let j = index + 1; j < lines.length; j += 1) {
      const kind = kinds[j];
      if (kind === 'blank' || kind === 'comment') continue;
      return kind === 'step' || kind === 'table';
    }
    return false;
  };
  const problems: LintProblem[] = [];
  let section: 'head' | 'description' | 'steps' = 'head';
  lines.forEach((raw, index) => {
    const kind = kinds[index];
    const text = raw.trim();
    const line = index + 1;
    if (kind === 'title') section = 'description';
    else if (kind === 'step') {
      section = 'steps';
      const quote = fullWidthQuote(text);
      if (quote) problems.push({ line, message: `step argument quoted with full-width ${quote}: write ASCII "…"` });
    } else if (kind === 'other') {
      // Free text before the first step is a description (silently ignored); elsewhere Gherkin rejects it anyway.
      const certain = section !== 'description' || nextIsStep(index);
      const title = titleProblem(text, titles);
      if (title) {
        if (certain) problems.push({ line, message: title });
      } else {
        const inDescription = section === 'description';
        const step =
          stepProblem(text, steps, language, inDescription, options.stepScore) ??
          (inDescription ? swallowedStep(text, steps, language, options.stepScore) : undefined);
        if (step) problems.push({ line, message: step });
      }
    } else if (kind === 'tag') {
      for (const message of tagProblems(text, options.requirementIds ?? SCENARIO_REQUIREMENT_IDS))
        problems.push({ line, message });
    }
  });
  return problems;
}

/** The `@req:`, `@severity:` and `@area:` tags of one tag line that name nothing posrig knows. */
export function tagProblems(tagLine: string, requirementIds: readonly string[]): string[] {
  const tags = tagLine
    .replace(/\s#.*$/, '')
    .split(/\s+/)
    .filter((t) => t.startsWith('@'));
  return tags.flatMap((tag): string[] => {
    if (tag.startsWith(REQ_TAG)) {
      const id = tag.slice(REQ_TAG.length);
      if (requirementIds.includes(id)) return [];
      if (id.startsWith(CONFORMANCE_PREFIX))
        return [`${tag}: conformance checks are verified by \`posrig conformance\`, not by scenarios`];
      return [`${tag} names no requirement${closestHint(id, requirementIds, REQ_TAG)} (npx posrig matrix lists them)`];
    }
    if (tag.startsWith(SEVERITY_TAG) && !(SEVERITIES as readonly string[]).includes(tag.slice(SEVERITY_TAG.length)))
      return [`${tag} is not a severity (${SEVERITIES.join(', ')})`];
    if (tag.startsWith(AREA_TAG) && !(AREAS as readonly string[]).includes(tag.slice(AREA_TAG.length)))
      return [`${tag} is not a feature area (${AREAS.join(', ')})`];
    return [];
  });
}

/** `: did you mean @req:copy-once?` — the known id nearest to what was written. */
function closestHint(written: string, known: readonly string[], prefix: string): string {
  const nearest = known
    .map((id) => ({ id, distance: editDistance(written.toLowerCase(), id.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance)[0];
  return nearest ? `: did you mean ${prefix}${nearest.id}?` : '';
}

function classify(lines: readonly string[], titles: readonly string[], steps: readonly string[]): Kind[] {
  let fence: string | undefined;
  return lines.map((raw): Kind => {
    const text = raw.trim();
    if (fence) {
      if (text.startsWith(fence)) fence = undefined;
      return 'docstring';
    }
    if (text.startsWith('"""') || text.startsWith('```')) {
      fence = text.slice(0, 3);
      return 'docstring';
    }
    if (text === '') return 'blank';
    if (text.startsWith('#')) return 'comment';
    if (text.startsWith('@')) return 'tag';
    if (text.startsWith('|')) return 'table';
    if (titles.some((k) => text.startsWith(`${k}:`))) return 'title';
    if (steps.some((k) => text.startsWith(k)) || text.startsWith('* ')) return 'step';
    return 'other';
  });
}

/** A zh-CN section or step keyword starting a line (in a file read as English). */
function findChineseKeyword(lines: readonly string[]): { line: number; keyword: string } | undefined {
  const zh = dialects['zh-CN'] as Dialect;
  const titles = TITLE_KINDS.flatMap((k) => zh[k]).filter((k) => /[\u4e00-\u9fff]/.test(k));
  const steps = STEP_KINDS.flatMap((k) => zh[k]).filter((k) => /[\u4e00-\u9fff]/.test(k));
  for (const [index, raw] of lines.entries()) {
    const text = raw.trim();
    const title = titles.find((k) => text.startsWith(`${k}:`) || text.startsWith(`${k}：`));
    if (title) return { line: index + 1, keyword: `${title}:` };
    const step = steps.find((k) => text.startsWith(k) && /^[\u4e00-\u9fff"]/.test(text.slice(k.length)));
    if (step) return { line: index + 1, keyword: step };
  }
  return undefined;
}

/** `场景：` (full-width colon), `场影:` or `Scenaro:` (close to a section keyword), `scenario:` (wrong case). */
function titleProblem(text: string, titles: readonly string[]): string | undefined {
  const head = /^([^:：]{1,30}?)\s*([:：])/.exec(text);
  if (!head) return undefined;
  const [, written = '', colon] = head;
  const exact = titles.find((k) => k === written);
  if (exact) return colon === '：' ? `"${exact}：" has a full-width colon: Gherkin needs "${exact}:"` : undefined;
  const close = titles
    .map((keyword) => ({ keyword, distance: editDistance(written.toLowerCase(), keyword.toLowerCase()) }))
    .filter(({ keyword, distance }) => distance <= allowedTypos(keyword) && [...written].length >= 2)
    .sort((a, b) => a.distance - b.distance)[0];
  if (!close) return undefined;
  const fullWidth = colon === '：' ? ' (with an ASCII colon)' : '';
  return `"${written}${colon}" looks like a mistyped "${close.keyword}:"${fullWidth}`;
}

/**
 * A line that is a step with a mistyped keyword (`加入` for `假如`, `Gven`, `Wen`, `Thne`). In a description this is
 * only said when the rest reads like a step; after a step, Gherkin rejects the line anyway.
 */
function stepProblem(
  text: string,
  keywords: readonly string[],
  language: string,
  inDescription: boolean,
  stepScore: LintOptions['stepScore'],
): string | undefined {
  const consequence = inDescription ? 'the line is read as a description and never runs' : 'Gherkin cannot read it';
  // A sentence is prose however close its words come to a step; a step never ends in a full stop.
  if (inDescription && SENTENCE_END.test(text)) return undefined;
  // Only a score within STEP_LIKE tells, but after a step the typos are ranked by their exact scores. The whole line
  // is scored only when a typo reads like a step, and only to see whether it is closer still.
  const atMost = inDescription ? STEP_LIKE : undefined;
  let whole: number | undefined;
  const wholeScore = (): number => {
    whole ??= stepScore?.(text, language, STEP_LIKE) ?? 1;
    return whole;
  };
  const typos = keywordTypos(text, keywords)
    .map((t) => ({ ...t, score: stepScore?.(t.rest, language, atMost) ?? (looksLikeArguments(t.rest) ? 0 : 1) }))
    .filter((t) => {
      const readsLikeStep =
        t.score <= STEP_LIKE && t.score < wholeScore() && (stepScore !== undefined || t.distance <= 1);
      return readsLikeStep || (!inDescription && t.distance <= 1);
    })
    .sort((a, b) => a.score - b.score || a.distance - b.distance);
  const typo = typos[0];
  if (typo) return `"${typo.written}" looks like a mistyped step keyword "${typo.keyword}": ${consequence}`;
  return undefined;
}

/**
 * A description line that reads like a defined step in English or Chinese, on its own or after a step keyword of any
 * dialect (`Given the bank declines …` in a zh-CN file, `银行以应答码"05"拒绝下一笔消费` in an English one).
 */
function swallowedStep(
  text: string,
  keywords: readonly string[],
  language: string,
  stepScore: LintOptions['stepScore'],
): string | undefined {
  if (!stepScore || SENTENCE_END.test(text)) return undefined;
  const readings = [
    { keyword: '', rest: text },
    ...ANY_STEP_KEYWORDS.filter((k) => text.startsWith(k) && text.length > k.length).map((k) => ({
      keyword: k.trim(),
      rest: text.slice(k.length).trim(),
    })),
  ];
  let best: { keyword: string; score: number } | undefined;
  for (const { keyword, rest } of readings)
    for (const stepLanguage of STEP_LANGUAGES) {
      const score = stepScore(rest, stepLanguage, STEP_WITHOUT_KEYWORD);
      if (score <= STEP_WITHOUT_KEYWORD && (!best || score < best.score)) best = { keyword, score };
    }
  if (!best) return undefined;
  const own = [...new Set(keywords.map((k) => k.trim()))].join(', ');
  const why = best.keyword
    ? `"${best.keyword}" is not a step keyword in a # language: ${language} feature (${own})`
    : `it has no step keyword (${own})`;
  return `"${text}" reads like a step but Gherkin takes it as description: ${why}, so it never runs`;
}

/** `did you mean zh-CN?` for zh-cn or zh, a close name for a typo, else where posrig's own features stand. */
function languageHint(language: string): string {
  const names = Object.keys(dialects);
  const lower = language.toLowerCase();
  const same = names.filter((n) => n.toLowerCase() === lower || n.toLowerCase().startsWith(`${lower}-`));
  const close = names
    .map((name) => ({ name, distance: editDistance(name.toLowerCase(), lower) }))
    .filter(({ name, distance }) => distance <= (Math.min(name.length, lower.length) <= 3 ? 1 : 2))
    .sort((a, b) => a.distance - b.distance)
    .map(({ name }) => name);
  const guesses = (same.length > 0 ? same : close).slice(0, 3);
  return guesses.length > 0 ? `did you mean ${guesses.join(' or ')}?` : "posrig's features are en or zh-CN";
}

/** Without defined steps to compare with: text with a quoted argument or a number, not ending like a sentence. */
function looksLikeArguments(text: string): boolean {
  return /"[^"]*"|“[^”]*”|\d/.test(text) && !SENTENCE_END.test(text);
}

/** Keywords the line's start could be a typo of: its first word (space-separated languages) or a same-length prefix. */
function keywordTypos(
  text: string,
  keywords: readonly string[],
): Array<{ written: string; keyword: string; rest: string; distance: number }> {
  return keywords.flatMap((keyword) => {
    const bare = keyword.trim();
    const length = [...bare].length;
    if (keyword.endsWith(' ')) {
      // `given` is not a keyword either: Gherkin keywords are case-sensitive.
      const [written = '', rest = ''] = text.split(/\s+(.*)/s);
      const distance = editDistance(written.toLowerCase(), bare.toLowerCase());
      return written !== bare && rest && written.length >= 2 && distance <= 1
        ? [{ written, keyword: bare, rest, distance }]
        : [];
    }
    // Languages without spaces (zh-CN: 假如卡"alice"…): a prefix as long as the keyword; 加入 and 假如 sound alike.
    if (length < 2) return [];
    const written = [...text].slice(0, length).join('');
    const rest = text.slice(written.length);
    const distance = editDistance(written, bare);
    return written !== bare && rest ? [{ written, keyword: bare, rest, distance }] : [];
  });
}

/** One typo in a short keyword (场景, Rule, Feature), two in a long one (Scenario Outline). */
function allowedTypos(keyword: string): number {
  return [...keyword].length <= 8 ? 1 : 2;
}

/** The full-width quote in a step's text outside ASCII-quoted arguments, if any. */
function fullWidthQuote(step: string): string | undefined {
  const outside = step.replace(/"[^"]*"/g, '""');
  return FULL_WIDTH_QUOTE.exec(outside)?.[0];
}
