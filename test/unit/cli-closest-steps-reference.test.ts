// The fast closest-step search (cli/closestSteps.ts, stepDistance.ts; bounds that skip wordings, a distance that stops
// once it is out of reach, the lint's thresholds as `atMost`) gives what the plain search gave: the same scores, the
// same "did you mean" suggestions, the same lint problems. The plain search is kept below as the reference: it scores
// every wording of every definition in full. Texts: real step wordings with slips typed into them, and unrelated text.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import fc from 'fast-check';
import { glob } from 'glob';
import { closestSteps, nearestScore, readablePattern, type StepPattern, stepScorer } from '../../cli/closestSteps.ts';
import { lintFeature } from '../../cli/featureLint.ts';
import { NUMBER_TYPES, type Part, render, segmentsOf, variants } from '../../cli/stepPatterns.ts';
import { editDistance } from '../../rigs/verdict/closest.ts';

// ---- The reference: closestSteps.ts and rigs/verdict/closest.ts as they were before the search was made fast. ----

function referenceEditDistance(left: string, right: string): number {
  const a = [...left];
  const b = [...right];
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

const QUOTED = '\u0001"';
const AMOUNT = '\u0001$';
const NUMBER = '\u0001#';
const ANY = '\u0001*';
const TOKEN =
  /"[^"]*"|“[^”]*”|＂[^＂]*＂|'[^']*'|\d+(?:\.\d+)? ?[A-Z]{3}\b|\d+(?:\.\d+)?\s?元|[¥￥]\s?\d+(?:\.\d+)?|-?\d+(?:\.\d+)?|[A-Za-z][A-Za-z'’-]*|\S/gu;

function tokenize(text: string): string[] {
  const normal = text.replace(/，/g, ',').replace(/：/g, ':').replace(/’/g, "'");
  return [...normal.matchAll(TOKEN)].map(([t]) => {
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

function substitution(a: string, b: string): number {
  if (a === b) return 0;
  if (a.startsWith('\u0001') || b.startsWith('\u0001') || a.length === 1 || b.length === 1) return 1;
  return referenceEditDistance(a, b) / Math.max(a.length, b.length);
}

function referenceDistance(step: readonly string[], pattern: readonly string[]): number {
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
        for (let run = 0; run <= i; run += 1)
          best = Math.min(best, at(i - run, j - 1) + (run === 0 ? 0.5 : Math.max(0, run - 3)));
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

function referenceClosestSteps(text: string, definitions: readonly StepPattern[], language: string, max = 3) {
  const cjk = /^(zh|ja|ko)/i.test(language);
  const source = (p: string | RegExp) => (typeof p === 'string' ? p : p.source);
  const sameLanguage = definitions.filter((d) => /[\u3400-\u9fff\uf900-\ufaff]/.test(source(d.pattern)) === cjk);
  const pool = sameLanguage.length > 0 ? sameLanguage : definitions;
  const steps = tokenize(text);
  const scored = new Map<string, { text: string; cost: number; score: number }>();
  for (const definition of pool) {
    let best: { text: string; cost: number; score: number } | undefined;
    for (const variant of variants(segmentsOf(definition.pattern))) {
      const tokens = variant.flatMap(patternTokens);
      const cost = referenceDistance(steps, tokens);
      const score = cost / Math.max(steps.length, tokens.length, 1);
      if (!best || cost < best.cost) best = { text: render(variant), cost, score };
    }
    if (best && !scored.has(best.text)) scored.set(best.text, best);
  }
  const ranked = [...scored.values()].sort((a, b) => a.cost - b.cost || a.score - b.score);
  const [first, ...rest] = ranked;
  if (!first) return [];
  const near = rest.filter((s) => s.score <= 0.5 && s.cost <= first.cost * 2 + 0.75);
  return [first, ...near].slice(0, max).map(({ text: t, score }) => ({ text: t, score }));
}

function referenceNearestScore(text: string, definitions: readonly StepPattern[], language: string): number {
  return referenceClosestSteps(text, definitions, language, 1)[0]?.score ?? 1;
}

// ---- Texts: real wordings with slips, and text like nothing defined. ----

const SAMPLES: Record<string, readonly string[]> = {
  '"<text>"': ['"alice"', '"交易成功"', '“bob”', '"05"'],
  '<amount>': ['100.00 CNY', '12.34元', '¥5.00', '7 CNY'],
  '<number>': ['3', '250', '-1', '0.5'],
};
const FILLERS = ['merchant', 'customer', '持卡人', '商户', 'the', 'x', 'a b c'];

/** A text one of the definitions reads as, its placeholders filled in. */
function filled(definitions: readonly StepPattern[]) {
  return fc
    .record({
      definition: fc.constantFrom(...definitions),
      choice: fc.nat(),
      samples: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
    })
    .map(({ definition, choice, samples }) => {
      const all = variants(segmentsOf(definition.pattern)).map(render);
      let k = 0;
      return (all[choice % all.length] as string).replace(/"<text>"|<[^>]*>/g, (placeholder) => {
        const options = SAMPLES[placeholder] ?? FILLERS;
        return options[(samples[k++ % samples.length] as number) % options.length] as string;
      });
    });
}

const LETTERS = [...'abcdefghijklmnopqrstuvwxyz 终端显示卡商户消费"“，：.0123456789'];

/** Slips of typing: a letter lost, added, changed or swapped, a word lost or doubled, a keyword or more words around. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), letter: fc.constantFrom(...LETTERS) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), letter: fc.constantFrom(...LETTERS) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dropWord' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('doubleWord' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('prefix' as const),
    word: fc.constantFrom('Given ', 'Gven ', '假如', '加入', 'And ', 'so '),
  }),
  fc.record({ kind: fc.constant('suffix' as const), word: fc.constantFrom(' now', ' again and again', '，然后', '.') }),
);

type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function applyEdit(text: string, e: Edit): string {
  const chars = [...text];
  const at = 'at' in e ? e.at % (chars.length + 1) : 0;
  const words = text.split(' ');
  const w = 'at' in e ? e.at % words.length : 0;
  switch (e.kind) {
    case 'delete':
      return chars.filter((_, i) => i !== at).join('');
    case 'insert':
      return [...chars.slice(0, at), e.letter, ...chars.slice(at)].join('');
    case 'replace':
      return chars.map((c, i) => (i === at ? e.letter : c)).join('');
    case 'swap':
      return at + 1 < chars.length
        ? [...chars.slice(0, at), chars[at + 1], chars[at], ...chars.slice(at + 2)].join('')
        : text;
    case 'dropWord':
      return words.filter((_, i) => i !== w).join(' ');
    case 'doubleWord':
      return words.flatMap((word, i) => (i === w ? [word, word] : [word])).join(' ');
    case 'prefix':
      return `${e.word}${text}`;
    case 'suffix':
      return `${text}${e.word}`;
  }
}

function stepLike(definitions: readonly StepPattern[]) {
  return fc
    .tuple(filled(definitions), fc.array(edit, { maxLength: 4 }))
    .map(([text, edits]) => edits.reduce(applyEdit, text));
}

const unrelated = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc
    .array(fc.constantFrom('the', 'host', 'payment', 'goes', 'through', 'once', 'or', 'not', 'at', 'all', '0400'), {
      maxLength: 30,
    })
    .map((words) => words.join(' ')),
  fc
    .array(fc.constantFrom(...'无论串口线路对一帧做了什么交易都只成功一次终端须原样重发（）、；'), { maxLength: 40 })
    .map((chars) => chars.join('')),
);

const language = fc.constantFrom('en', 'zh-CN');
const STEP_LINE = /^\s+(?:Given |When |Then |And |But |假如|假设|当|那么|而且|并且|同时|但是)/;

describe('the fast closest-step search gives what the full search gives', () => {
  let definitions: StepPattern[] = [];
  before(async () => {
    const { runConfiguration } = await loadConfiguration({ provided: { paths: [] } });
    const library = await loadSupport(runConfiguration);
    definitions = (library as unknown as { stepDefinitions: StepPattern[] }).stepDefinitions.map((d) => ({
      pattern: d.pattern,
    }));
  });

  it('loads the real step definitions, in English and Chinese', () => {
    assert.ok(definitions.length > 40, `only ${definitions.length} step definitions loaded`);
    assert.ok(definitions.some((d) => /[\u4e00-\u9fff]/.test(readablePattern(d.pattern))));
  });

  it('scores a step with slips, and unrelated text, exactly as the full search does', () => {
    fc.assert(
      fc.property(fc.oneof(stepLike(definitions), unrelated), language, (text, lang) => {
        assert.equal(nearestScore(text, definitions, lang), referenceNearestScore(text, definitions, lang));
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it('is exact up to atMost and above it beyond, as the lint asks', () => {
    fc.assert(
      fc.property(
        fc.oneof(stepLike(definitions), unrelated),
        language,
        fc.constantFrom(0, 0.1, 0.2, 0.34, 0.5, 0.9),
        (text, lang, atMost) => {
          const expected = referenceNearestScore(text, definitions, lang);
          const score = nearestScore(text, definitions, lang, atMost);
          if (expected <= atMost) assert.equal(score, expected);
          else assert.ok(score > atMost, `${score} for ${expected} above ${atMost}`);
        },
      ),
      { seed: 17, numRuns: 300 },
    );
  });

  it('suggests the same steps, in the same order, with the same scores', () => {
    fc.assert(
      fc.property(fc.oneof(stepLike(definitions), unrelated), language, fc.integer({ min: 1, max: 4 }), (t, l, max) => {
        assert.deepEqual(closestSteps(t, definitions, l, max), referenceClosestSteps(t, definitions, l, max));
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it('shows a wording two definitions share once, from the same definition, in any order of definitions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        fc.oneof(stepLike(definitions), unrelated),
        language,
        (picks, text, lang) => {
          // Repeats and orders the real definitions: several read the same, and which comes first decides.
          const some = picks.map((p) => ({ pattern: (definitions[p % definitions.length] as StepPattern).pattern }));
          assert.deepEqual(closestSteps(text, some, lang), referenceClosestSteps(text, some, lang));
          assert.equal(nearestScore(text, some, lang, 0.34) <= 0.34, referenceNearestScore(text, some, lang) <= 0.34);
        },
      ),
      { seed: 23, numRuns: 200 },
    );
  });

  it('keeps the first of two definitions that read the same, though a closer step comes before both', () => {
    // `{money}` and a literal `<amount>` read the same: the first is shown and the second never, however close it is.
    const shadowing = [
      'the merchant pays <amount> twice',
      'the merchant pays {money}',
      'the merchant pays <amount>',
    ].map((pattern) => ({ pattern }));
    const text = 'the merchant pays <amount>';
    assert.deepEqual(closestSteps(text, shadowing, 'en'), [{ text: 'the merchant pays <amount> twice', score: 1 / 7 }]);
    assert.deepEqual(closestSteps(text, shadowing, 'en'), referenceClosestSteps(text, shadowing, 'en'));
    assert.equal(nearestScore(text, shadowing, 'en', 0.34), referenceNearestScore(text, shadowing, 'en'));
  });

  it('remembers scores per text without mixing up the bounds they were asked with', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.oneof(stepLike(definitions), unrelated), language, fc.constantFrom(0.2, 0.34, undefined)),
          {
            maxLength: 12,
          },
        ),
        (asks) => {
          const score = stepScorer(definitions);
          for (const [text, lang, atMost] of [...asks, ...asks.reverse()]) {
            const expected = referenceNearestScore(text, definitions, lang);
            const got = score(text, lang, atMost);
            if (atMost === undefined || expected <= atMost) assert.equal(got, expected);
            else assert.ok(got > atMost);
          }
        },
      ),
      { seed: 29, numRuns: 40 },
    );
  });

  it('finds the same problems in the features with steps typed into their descriptions', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const files = (await glob('features/**/*.feature', { cwd: root, absolute: true })).sort();
    const sources = files.map((file) => readFileSync(file, 'utf8'));
    assert.ok(sources.length > 10, `only ${sources.length} feature files`);
    const exact = (text: string, lang: string) => referenceNearestScore(text, definitions, lang);
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean(), edit), { maxLength: 6 }),
        (which, moves) => {
          // A step line moved up under a title, its keyword kept or not, with a slip: a description that reads like a step.
          const lines = (sources[which % sources.length] as string).split('\n');
          for (const [from, to, keep, e] of moves) {
            const steps = lines.flatMap((l, i) => (STEP_LINE.test(l) ? [i] : []));
            const titles = lines.flatMap((l, i) => (/^\s*(Scenario|场景|Feature|功能):/.test(l) ? [i] : []));
            const step = steps[from % Math.max(steps.length, 1)];
            const title = titles[to % Math.max(titles.length, 1)];
            if (step === undefined || title === undefined) continue;
            const [moved] = lines.splice(step, 1);
            const written = keep ? (moved as string).trim() : (moved as string).replace(STEP_LINE, '');
            lines.splice(title + (title < step ? 1 : 0), 0, applyEdit(written, e));
          }
          const text = lines.join('\n');
          assert.deepEqual(
            lintFeature(text, { stepScore: stepScorer(definitions) }),
            lintFeature(text, { stepScore: exact }),
          );
        },
      ),
      { seed: 31, numRuns: 60 },
    );
  });

  it('measures the edit distance between two words as it did, surrogate pairs and all', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 })),
        fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 })),
        (a, b) => {
          assert.equal(editDistance(a, b), referenceEditDistance(a, b));
        },
      ),
      { seed: 37, numRuns: 1000 },
    );
  });
});
