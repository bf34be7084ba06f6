// With --parallel, the scenarios that took longest last time start first, so no worker is left with a long one at
// the end while the others have finished (longest processing time first). How long each took comes from the
// cucumber.json an earlier run left in the same reports folder; a scenario it does not list starts before all of
// them (it may be long), and equal ones keep the order of the features. Only the order changes, never what runs.
//   const durations = scenarioDurations('reports/cucumber.json');   // { 'features/pin.feature:12': 4.52e9, … } ns
//   plugins: { specifiers: [LONGEST_FIRST], options: { longestFirst: durations } }   // cucumber's run configuration

import { readFileSync } from 'node:fs';
import type { Location, Pickle } from '@cucumber/messages';

/** This module as cucumber loads a plugin: by its specifier. */
export const LONGEST_FIRST = import.meta.url;

/** Nanoseconds a scenario took, by `<feature uri>:<line>` (an outline's example row has a line of its own). */
export type ScenarioDurations = Record<string, number>;

/** The scenarios' durations in a cucumber.json (cucumber's json formatter); none when it is missing or unreadable. */
export function scenarioDurations(file: string): ScenarioDurations {
  let features: unknown;
  try {
    features = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
  const durations: ScenarioDurations = {};
  if (!Array.isArray(features)) return durations;
  for (const feature of features as JsonFeature[]) {
    for (const scenario of feature?.elements ?? []) {
      if (typeof feature.uri !== 'string' || typeof scenario?.line !== 'number') continue;
      const steps = Array.isArray(scenario.steps) ? scenario.steps : [];
      durations[`${feature.uri}:${scenario.line}`] = steps.reduce(
        (sum, step) => sum + (Number(step?.result?.duration) || 0),
        0,
      );
    }
  }
  return durations;
}

interface JsonFeature {
  readonly uri?: unknown;
  readonly elements?: readonly { line?: unknown; steps?: readonly { result?: { duration?: unknown } }[] }[];
}

/** The scenarios, longest last time first; unknown ones first of all; ties in their given order. */
export function longestFirst<T extends { pickle: Pickle; location: Location }>(
  scenarios: readonly T[],
  durations: ScenarioDurations,
): T[] {
  const took = (s: T) => durations[`${s.pickle.uri}:${s.location.line}`] ?? Number.POSITIVE_INFINITY;
  return scenarios
    .map((scenario, index) => ({ scenario, index, took: took(scenario) }))
    .sort((a, b) => b.took - a.took || a.index - b.index)
    .map(({ scenario }) => scenario);
}

/** The plugin: reorders the scenarios cucumber is about to hand to its workers. */
export default {
  type: 'plugin' as const,
  coordinator({
    transform,
    options,
  }: {
    transform: (
      event: 'pickles:order',
      reorder: (scenarios: readonly { pickle: Pickle; location: Location }[]) => Promise<unknown[]>,
    ) => void;
    options: { longestFirst?: ScenarioDurations };
  }): void {
    const durations = options.longestFirst ?? {};
    transform('pickles:order', async (scenarios) => longestFirst(scenarios, durations));
  },
};
