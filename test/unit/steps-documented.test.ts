// Keeps docs/steps.md honest: every step definition is documented, every documented step exists, and every step
// has an English and a Chinese pattern bound to the same function.
//
// The step definitions are loaded the way `posrig run` loads them: cucumber's own support-code loading, with the
// `import` paths of cucumber.js (so a new steps/*.steps.ts file is seen without touching this test).
//
// The convention for docs/steps.md: in a table row, every `code span` is a step as a scenario writes it — a keyword
// (Given/When/Then/And/But, 假如/当/那么/而且/但是 …), then the step text, where a parameter may be
//   - written as in a scenario: `the card "alice" holds 500.00 CNY`, or
//   - a placeholder: `<amount>`, `<n>`, `<copy>` (any value), `"<text>"` (a quoted string).
// A definition is documented when some code span, its keyword dropped and each bare <placeholder> replaced by a
// sample value, is matched by the definition's pattern; a code span that no definition matches is a stale doc.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';

interface StepDefinition {
  readonly pattern: string | RegExp;
  readonly uri: string;
  readonly line: number;
  readonly unwrappedCode: unknown;
  readonly expression: { readonly regexp: RegExp };
}

const DOC = 'docs/steps.md';
const KEYWORDS = [
  'Given',
  'When',
  'Then',
  'And',
  'But',
  '假如',
  '假设',
  '假定',
  '当',
  '那么',
  '而且',
  '并且',
  '同时',
  '但是',
];
const KEYWORD = new RegExp(`^(?:${KEYWORDS.join('|')})\\s*`);
/** Values a bare <placeholder> may stand for: itself (a {word}), an amount, a whole and a decimal number. */
const SAMPLES = [undefined, '100.00 CNY', '1', '1.5'] as const;
const PLACEHOLDER = /(?<!")<[^<>"]+>(?!")/g;
const CJK = /[\u3400-\u9fff\uff00-\uffef]/;

const name = (d: StepDefinition) => `${String(d.pattern)} (${d.uri}:${d.line})`;

/** The steps documented in the tables of docs/steps.md, as written (keyword dropped). */
function documentedSteps(markdown: string): string[] {
  const rows = markdown.split('\n').filter((line) => line.trimStart().startsWith('|'));
  return rows.flatMap((row) => [...row.matchAll(/`([^`]+)`/g)].map((m) => (m[1] as string).replace(KEYWORD, '')));
}

/** The texts a documented step stands for: each bare placeholder replaced by each sample value. */
function sampleTexts(step: string): string[] {
  const parts = step.split(PLACEHOLDER);
  const holes = step.match(PLACEHOLDER) ?? [];
  let texts = [parts[0] as string];
  holes.forEach((hole, i) => {
    const next = parts[i + 1] as string;
    texts = texts.flatMap((text) => SAMPLES.map((sample) => `${text}${sample ?? hole}${next}`));
  });
  return texts;
}

function matches(definition: StepDefinition, step: string): boolean {
  return sampleTexts(step).some((text) => definition.expression.regexp.test(text));
}

describe('docs/steps.md documents the step vocabulary', () => {
  let definitions: StepDefinition[] = [];
  let documented: string[] = [];

  before(async () => {
    const { runConfiguration } = await loadConfiguration({ provided: { paths: [] } });
    const library = await loadSupport(runConfiguration);
    // The api's ISupportCodeLibrary is opaque; its stepDefinitions are what cucumber matches steps against.
    definitions = (library as unknown as { stepDefinitions: StepDefinition[] }).stepDefinitions;
    documented = documentedSteps(readFileSync(DOC, 'utf8'));
  });

  it('finds the step definitions and the documented steps', () => {
    assert.ok(definitions.length > 40, `only ${definitions.length} step definitions loaded`);
    assert.ok(documented.length > 40, `only ${documented.length} steps found in the tables of ${DOC}`);
  });

  it('lists every step definition', () => {
    const missing = definitions.filter((d) => !documented.some((step) => matches(d, step)));
    assert.deepEqual(missing.map(name), [], `step definitions missing from ${DOC} (add a table row for each)`);
  });

  it('lists no step that does not exist', () => {
    const stale = documented.filter((step) => !definitions.some((d) => matches(d, step)));
    assert.deepEqual(stale, [], `${DOC} documents steps no definition matches`);
  });

  it('binds every step in English and in Chinese to the same function', () => {
    const byCode = new Map<unknown, StepDefinition[]>();
    for (const d of definitions) byCode.set(d.unwrappedCode, [...(byCode.get(d.unwrappedCode) ?? []), d]);
    const unpaired = [...byCode.values()]
      .filter((group) => {
        const chinese = group.filter((d) => CJK.test(String(d.pattern))).length;
        return chinese === 0 || chinese === group.length;
      })
      .map((group) => group.map(name).join(' + '));
    assert.deepEqual(unpaired, [], 'functions bound in one language only (bind one function to both patterns)');
  });
});
