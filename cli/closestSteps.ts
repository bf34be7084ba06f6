// "Did you mean": the defined steps closest to an undefined step's text, shown the way docs/steps.md writes them.
//   closestSteps('the merchant start a sale of 100.00 CNY', definitions, 'en')
//     → [{ text: 'the merchant starts a sale of <amount>', … }]
// Pure: step definitions come in as their patterns (cucumber expressions or regexes); nothing is loaded here.

import { editDistance } from '../rigs/verdict/closest.ts';

import { NUMBER_TYPES, type Part, render, segmentsOf, variants } from './stepPatterns.ts';

export { readablePattern } from './stepPatterns.ts';

/** A step definition as far as suggestions care: its cucumber expression or regex. */
export interface StepPattern {
  readonly pattern: string | RegExp;
}

export interface Suggestion {
  /** Readable: `the merchant starts a sale of <amount>`, `the card "<text>" holds <amount>`. */
  readonly text: string;
  /** Cost of turning the step into this one, per token: 0 is the same wording, 1 nothing alike. */
  readonly score: number;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** True when a pattern or step is written in Chinese (or another CJK language). */
export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

/** A file's language writes its steps in CJK characters (zh-CN ↔ patterns with Chinese characters). */
export function isCjkLanguage(language: string): boolean {
  return /^(zh|ja|ko)/i.test(language);
}

function patternSource(pattern: string | RegExp): string {
  return typeof pattern === 'string' ? pattern : pattern.source;
}

/** Up to `max` defined steps closest to `text`, in the file's language; the closest always, others if near. */
export function closestSteps(
  text: string,
  definitions: readonly StepPattern[],
  language: string,
  max = 3,
): Suggestion[] {
  const cjk = isCjkLanguage(language);
  const sameLanguage = definitions.filter((d) => hasCjk(patternSource(d.pattern)) === cjk);
  const pool = sameLanguage.length > 0 ? sameLanguage : definitions;
  const steps = tokenize(text);
  const scored = new Map<string, { text: string; cost: number; score: number }>();
  for (const definition of pool) {
    let best: { text: string; cost: number; score: number } | undefined;
    for (const { text: wording, tokens } of wordingsOf(definition.pattern)) {
      const cost = distance(steps, tokens);
      const score = cost / Math.max(steps.length, tokens.length, 1);
      if (!best || cost < best.cost) best = { text: wording, cost, score };
    }
    if (best && !scored.has(best.text)) scored.set(best.text, best);
  }
  const ranked = [...scored.values()].sort((a, b) => a.cost - b.cost || a.score - b.score);
  const [first, ...rest] = ranked;
  if (!first) return [];
  const near = rest.filter((s) => s.score <= 0.5 && s.cost <= first.cost * 2 + 0.75);
  return [first, ...near].slice(0, max).map(({ text: t, score }) => ({ text: t, score }));
}

/** A definition's wordings (one per optional part and alternative), readable and as tokens. */
interface Wording {
  readonly text: string;
  readonly tokens: readonly string[];
}

// A run scores every unmatched line of every feature against every definition: each pattern is taken apart once.
const wordings = new Map<string | RegExp, readonly Wording[]>();

function wordingsOf(pattern: string | RegExp): readonly Wording[] {
  let known = wordings.get(pattern);
  if (!known) {
    known = variants(segmentsOf(pattern)).map((variant) => ({
      text: render(variant),
      tokens: variant.flatMap(patternTokens),
    }));
    wordings.set(pattern, known);
  }
  return known;
}

/** How close `text` is to the nearest defined step in its language (0 = a defined wording), for the feature lint. */
export function nearestScore(text: string, definitions: readonly StepPattern[], language: string): number {
  return closestSteps(text, definitions, language, 1)[0]?.score ?? 1;
}

/** Why a step with full-width punctuation may not match, or '' when that is not the trouble. */
export function punctuationHint(text: string, closest: string | undefined): string {
  const hints: string[] = [];
  const outside = closest ?? '';
  if (/[“”＂]/.test(text) && !/[“”＂]/.test(outside))
    hints.push('it quotes with full-width “ ” or ＂: step arguments need ASCII "…"');
  if (text.includes('：') && !outside.includes('：')) hints.push('it has a full-width colon ： the step does not have');
  if (text.includes('，') && !outside.includes('，')) hints.push('it has a full-width comma ， the step does not have');
  if (!text.includes('，') && text.includes(',') && outside.includes('，'))
    hints.push('it has an ASCII comma where the step writes a full-width ，');
  return hints.join('; ');
}

// Tokens: a quoted argument, an amount and a number each count as one token (so "alice" and "bob" are alike);
// a Latin word is a token, a CJK character is a token, punctuation is a token. Wildcards match any run of tokens.
const QUOTED = '\u0001"';
const AMOUNT = '\u0001$';
const NUMBER = '\u0001#';
const ANY = '\u0001*';
const TOKEN =
  /"[^"]*"|“[^”]*”|＂[^＂]*＂|'[^']*'|\d+(?:\.\d+)? ?[A-Z]{3}\b|\d+(?:\.\d+)?\s?元|[¥￥]\s?\d+(?:\.\d+)?|-?\d+(?:\.\d+)?|[A-Za-z][A-Za-z'’-]*|\S/gu;

function normalize(text: string): string {
  return text.replace(/，/g, ',').replace(/：/g, ':').replace(/’/g, "'");
}

function tokenize(text: string): string[] {
  return [...normalize(text).matchAll(TOKEN)].map(([t]) => {
    if (/^["“＂']/.test(t)) return QUOTED;
    if (/^[¥￥]|[A-Z]{3}$|元$/.test(t)) return AMOUNT;
    if (/^-?\d/.test(t)) return NUMBER;
    return t.toLowerCase();
  });
}

function patternTokens(part: Part): string[] {
  if (part.kind === 'text') return tokenize(part.text);
  if (part.name === 'string') return [QUOTED];
  if (part.name === 'money') return [AMOUNT];
  if (NUMBER_TYPES.has(part.name)) return [NUMBER];
  return [ANY];
}

/** A parameter such as `{word}` takes a few tokens for free (a Chinese word is several characters), more at a cost. */
const FREE_RUN = 3;

/** Edit distance over tokens; two words differ by their spelling distance (0..1); ANY takes a run of tokens. */
function distance(step: readonly string[], pattern: readonly string[]): number {
  const rows = step.length + 1;
  const cols = pattern.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] as number;
  for (let j = 0; j < cols; j += 1) {
    for (let i = 0; i < rows; i += 1) {
      if (i === 0 && j === 0) continue;
      const p = pattern[j - 1];
      let best = Number.POSITIVE_INFINITY;
      if (p === ANY) {
        for (let run = 0; run <= i; run += 1) best = Math.min(best, at(i - run, j - 1) + runCost(run));
      } else {
        if (i > 0) best = at(i - 1, j) + 1;
        if (j > 0) best = Math.min(best, at(i, j - 1) + 1);
        if (i > 0 && j > 0) best = Math.min(best, at(i - 1, j - 1) + substitution(step[i - 1] as string, p as string));
      }
      d[i * cols + j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

function runCost(run: number): number {
  return run === 0 ? 0.5 : Math.max(0, run - FREE_RUN);
}

// Word pairs recur across lines and definitions: each pair's spelling distance is worked out once.
const spellings = new Map<string, number>();

function substitution(a: string, b: string): number {
  if (a === b) return 0;
  if (a.startsWith('\u0001') || b.startsWith('\u0001') || a.length === 1 || b.length === 1) return 1;
  const pair = `${a}\u0000${b}`;
  let cost = spellings.get(pair);
  if (cost === undefined) {
    cost = editDistance(a, b) / Math.max(a.length, b.length);
    spellings.set(pair, cost);
  }
  return cost;
}
