// What allure-cucumberjs's formatter (`allure-cucumberjs/reporter`) is told on every `posrig run`: where the results go,
// which tags become which Allure labels, the rig as the parent suite, and the categories failures are grouped by.
//   new AllureCucumberReporter({ …, parsedArgvOptions: allureFormatOptions('reports/allure-results', 'sim-serial') })
// The label patterns are RegExps: the report thread (reporting/reportThread/) builds these options itself, never
// through a JSON configuration file or --format-options.

import { AREA_TAG, REQ_TAG, SEVERITIES, SEVERITY_TAG } from '../matrix/tags.ts';
import { ResultsWriter } from './resultsWriter.ts';

/** A category of Allure 2: `messageRegex` is a Java regex matched against the whole failure message. */
export interface AllureCategory {
  readonly name: string;
  readonly messageRegex?: string;
  readonly matchedStatuses: readonly ('failed' | 'broken' | 'passed' | 'skipped' | 'unknown')[];
}

const FAILED = ['failed', 'broken'] as const;

/**
 * Failures grouped by their culprit, which the first words of every failure message name (rigs/verdict/culprit.ts);
 * Allure puts a failure in the first category that matches, so "Other failures" comes last and catches the rest.
 */
export const CATEGORIES: readonly AllureCategory[] = [
  { name: 'Firmware defects', messageRegex: '(?s)firmware defect:.*', matchedStatuses: FAILED },
  { name: 'Rig faults', messageRegex: '(?s)rig fault:.*', matchedStatuses: FAILED },
  { name: 'Scenario errors', messageRegex: '(?s)scenario error:.*', matchedStatuses: FAILED },
  { name: 'Other failures', messageRegex: '(?s).*', matchedStatuses: FAILED },
];

/** A tag → label rule of allure-cucumberjs: a tag matching a pattern gives the label `name` with what follows `@key:`. */
export interface TagLabel {
  readonly name: string;
  readonly pattern: readonly RegExp[];
}

/** `@area:<name>` → epic, `@severity:<level>` → severity, `@req:<requirement-id>` → story. */
export const TAG_LABELS: readonly TagLabel[] = [
  // allure-cucumberjs keeps what follows the tag's last ':' (it strips /^@\S+:/): the values must hold no ':'
  { name: 'epic', pattern: [new RegExp(`^${AREA_TAG}[^:\\s]+$`)] },
  { name: 'severity', pattern: [new RegExp(`^${SEVERITY_TAG}(?:${SEVERITIES.join('|')})$`)] },
  { name: 'story', pattern: [new RegExp(`^${REQ_TAG}[^:\\s]+$`)] },
];

/** The formatter's options for one run on one rig: its results folder, tag labels, categories, the rig's label. */
export function allureFormatOptions(resultsDir: string, rigName: string) {
  return {
    resultsDir,
    // Replaces the formatter's own writer (allure-cucumberjs spreads its options over it): no fsync per file.
    writer: new ResultsWriter(resultsDir),
    labels: TAG_LABELS,
    categories: CATEGORIES,
    // Merged results of several rigs (nightly) stay apart: the Suites tab groups them by rig first.
    globalLabels: { parentSuite: rigName, rig: rigName },
  };
}
