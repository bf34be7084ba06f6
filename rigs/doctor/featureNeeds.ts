// What the features need of a rig (their `@needs-<capability>` tags, on a feature, rule, scenario or examples) against
// what this rig and its terminal offer: the scenarios a run on this rig will skip, and why.
//   const needs = readFeatureNeeds('features');                 // [{ uri, scenario, needs: ['@needs-power'] }, …]
//   skippedFeatures(needs, capabilitiesOf(rig, info.capabilities))  // ['features/power/power-cut.feature: …']

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { globSync } from 'glob';
import { NEEDS, type RigCapabilities, unmetNeed } from '../capabilities.ts';

/** The tag prefix a feature names a need with: `@needs-power`, `@needs-chip`. */
const NEEDS_TAG = '@needs-';

export interface ScenarioNeeds {
  /** The feature file, relative to the working directory. */
  readonly uri: string;
  readonly scenario: string;
  /** Its `@needs-…` tags: '@needs-power', '@needs-chip' … */
  readonly needs: readonly string[];
}

/** Every scenario (one per example row) of the feature files under `root`, with what it needs (often nothing). */
export function readFeatureNeeds(root = 'features'): ScenarioNeeds[] {
  const files = globSync('**/*.feature', { cwd: root, posix: true }).sort();
  const found: ScenarioNeeds[] = [];
  for (const file of files) {
    const uri = path.posix.join(root.split(path.sep).join('/'), file);
    const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());
    let pickles: ReturnType<typeof compile>;
    try {
      pickles = compile(parser.parse(readFileSync(path.join(root, file), 'utf8')), uri, IdGenerator.incrementing());
    } catch {
      continue; // a feature that does not parse is `posrig run`'s to report, with its line
    }
    for (const pickle of pickles) {
      const needs = pickle.tags.filter((t) => t.name.startsWith(NEEDS_TAG)).map((t) => t.name);
      found.push({ uri, scenario: pickle.name, needs: [...new Set(needs)] });
    }
  }
  return found;
}

/** "features/x.feature: @needs-foo" for each tag no one knows: `posrig run` fails those scenarios. */
export function unknownNeeds(scenarios: readonly ScenarioNeeds[]): string[] {
  const found = new Set<string>();
  for (const { uri, needs } of scenarios) for (const need of needs) if (!NEEDS[need]) found.add(`${uri}: ${need}`);
  return [...found];
}

/** One line per feature file with scenarios this rig skips: how many, and the unmet needs with their reasons. */
export function skippedFeatures(scenarios: readonly ScenarioNeeds[], offer: RigCapabilities): string[] {
  const byFile = new Map<string, { skipped: number; reasons: Set<string> }>();
  const total = new Map<string, number>();
  for (const { uri, needs } of scenarios) {
    total.set(uri, (total.get(uri) ?? 0) + 1);
    const unmet = needs.flatMap((need) => {
      const why = unmetNeed(need, offer);
      return why ? [`${need}: ${why}`] : [];
    });
    if (unmet.length === 0) continue;
    const entry = byFile.get(uri) ?? { skipped: 0, reasons: new Set<string>() };
    entry.skipped += 1;
    for (const reason of unmet) entry.reasons.add(reason);
    byFile.set(uri, entry);
  }
  return [...byFile].map(
    ([uri, { skipped, reasons }]) =>
      `${uri}: ${skipped} of ${total.get(uri)} scenario${total.get(uri) === 1 ? '' : 's'} skipped (${[...reasons].join('; ')})`,
  );
}
