// "Did you mean": the defined steps closest to an undefined step's text, shown the way docs/steps.md writes them.
//   closestSteps('the merchant start a sale of 100.00 CNY', definitions, 'en')
//     → [{ text: 'the merchant starts a sale of <amount>', … }]
//   stepScorer(definitions)('the merchant starts a sale of 1 CNY', 'en', 0.34)  // → 0: the lint's question, remembered
// Pure: step definitions come in as their patterns (cucumber expressions or regexes); nothing is loaded here.

import { distance, lowerBound, Substitutions, stepTokens, type WordingTokens, wordingTokens } from './stepDistance.ts';
import { render, segmentsOf, variants } from './stepPatterns.ts';

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
  // Only the closest, and those within twice its cost, can be shown: a wording beyond that is not worked out.
  const ranked = candidates(stepTokens(text), poolOf(definitions, language), (best) => best * 2 + 0.75).sort(
    (a, b) => a.cost - b.cost || a.score - b.score,
  );
  const [first, ...rest] = ranked;
  if (!first) return [];
  const near = rest.filter((s) => s.score <= 0.5 && s.cost <= first.cost * 2 + 0.75);
  return [first, ...near].slice(0, max).map(({ text: t, score }) => ({ text: t, score }));
}

/**
 * How close `text` is to the nearest defined step in its language (0 = a defined wording), for the feature lint.
 * Exact up to `atMost`; when it is farther, some number above `atMost` (so the lint's thresholds cost less).
 */
export function nearestScore(
  text: string,
  definitions: readonly StepPattern[],
  language: string,
  atMost = Number.POSITIVE_INFINITY,
): number {
  const pool = poolOf(definitions, language);
  // A score within atMost is a cost within atMost × the longer of step and wording: a costlier closest is too far.
  const step = stepTokens(text);
  const within = atMost < 1 ? atMost * Math.max(step.length, pool.longest, 1) : Number.POSITIVE_INFINITY;
  let first: Candidate | undefined;
  for (const candidate of candidates(step, pool, (best) => Math.min(best, within)))
    if (!first || candidate.cost < first.cost || (candidate.cost === first.cost && candidate.score < first.score))
      first = candidate;
  // Nothing within reach: no definitions, or the closest is farther than atMost.
  return first?.score ?? 1;
}

/**
 * `nearestScore` against these definitions, remembered per text and language: a lint run asks for the same wordings
 * across features, with the lint's thresholds as `atMost`.
 */
export function stepScorer(
  definitions: readonly StepPattern[],
): (text: string, language: string, atMost?: number) => number {
  const known = new Map<string, { score: number; atMost: number }>();
  return (text, language, atMost = Number.POSITIVE_INFINITY) => {
    const key = `${language}\u0000${text}`;
    const seen = known.get(key);
    // Exact when within the bound it was asked with; above that bound, it is above any lower one too.
    if (seen && (seen.score <= seen.atMost || atMost <= seen.atMost)) return seen.score;
    const score = nearestScore(text, definitions, language, atMost);
    known.set(key, { score, atMost });
    return score;
  };
}

/** A definition's wordings (one per optional part and alternative), readable and as tokens. */
interface Wording extends WordingTokens {
  readonly text: string;
}

// A run scores every unmatched line of every feature against every definition: each pattern is taken apart once.
const wordings = new Map<string | RegExp, readonly Wording[]>();

function wordingsOf(pattern: string | RegExp): readonly Wording[] {
  let known = wordings.get(pattern);
  if (!known) {
    known = variants(segmentsOf(pattern)).map((variant) => ({ text: render(variant), ...wordingTokens(variant) }));
    wordings.set(pattern, known);
  }
  return known;
}

/** The definitions a text in one language is compared with, each with its wordings. */
interface Pool {
  readonly definitions: ReadonlyArray<{
    readonly wordings: readonly Wording[];
    /** A wording of it reads the same as one of a later definition: the later one is shown only if this is not. */
    readonly shadows: boolean;
  }>;
  /** Tokens of the longest wording. */
  readonly longest: number;
}

// The same definitions come with every line of a run: their pools are put together once.
const pools = new WeakMap<readonly StepPattern[], { size: number; byScript: Map<boolean, Pool> }>();

function poolOf(definitions: readonly StepPattern[], language: string): Pool {
  const cjk = isCjkLanguage(language);
  let known = pools.get(definitions);
  if (!known || known.size !== definitions.length) {
    known = { size: definitions.length, byScript: new Map() };
    pools.set(definitions, known);
  }
  let pool = known.byScript.get(cjk);
  if (!pool) {
    const sameLanguage = definitions.filter((d) => hasCjk(patternSource(d.pattern)) === cjk);
    const chosen = (sameLanguage.length > 0 ? sameLanguage : definitions).map((d) => wordingsOf(d.pattern));
    const lastWith = new Map<string, number>();
    chosen.forEach((all, index) => {
      for (const { text } of all) lastWith.set(text, index);
    });
    pool = {
      definitions: chosen.map((all, index) => ({
        wordings: all,
        shadows: all.some(({ text }) => (lastWith.get(text) as number) > index),
      })),
      longest: Math.max(0, ...chosen.flatMap((all) => all.map((w) => w.ids.length))),
    };
    known.byScript.set(cjk, pool);
  }
  return pool;
}

interface Candidate {
  readonly text: string;
  readonly cost: number;
  readonly score: number;
}

/**
 * Each definition's closest wording, once per readable text, in the definitions' order — leaving out those sure to
 * cost more than `limit(the least cost so far)`. A definition whose wording a later one shares is always worked out:
 * which of the two is shown depends on it.
 */
function candidates(step: Int32Array, pool: Pool, limit: (best: number) => number): Candidate[] {
  const substitutions = new Substitutions(step);
  const scored = new Map<string, Candidate>();
  let least = Number.POSITIVE_INFINITY;
  for (const { wordings: all, shadows } of pool.definitions) {
    const cutoff = shadows ? Number.POSITIVE_INFINITY : limit(least);
    let best: Candidate | undefined;
    for (const wording of all) {
      // A wording costing the same as the best of its definition does not replace it: more is not worth working out.
      const bound = best ? Math.min(cutoff, best.cost) : cutoff;
      if (lowerBound(step.length, wording) > bound) continue;
      const cost = distance(step, wording.ids, bound, substitutions);
      if (cost > bound || (best && cost >= best.cost)) continue;
      best = { text: wording.text, cost, score: cost / Math.max(step.length, wording.ids.length, 1) };
    }
    if (best && !scored.has(best.text)) {
      scored.set(best.text, best);
      least = Math.min(least, best.cost);
    }
  }
  return [...scored.values()];
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
