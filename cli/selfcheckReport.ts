// What `posrig selfcheck` concludes from its runs, and the text it prints. A run passed when it did what it must:
// clean firmware passes every scenario; a seeded defect is caught by at least one scenario that fails with a
// firmware-defect verdict. Every other failure (rig fault, scenario error, no culprit named, no report) is a problem:
// it says nothing about the firmware, so it never counts as a catch.
//   const text = selfcheckReport(runs); // ends with "selfcheck: 9 passed, 1 failed"

import type { FailedScenario, RunResults } from './selfcheckVerdicts.ts';

/** One `posrig run` of the suite: on clean firmware (defect undefined) or with one seeded defect. */
export interface RunOutcome {
  readonly defect: string | undefined;
  /** What the defect breaks (for the reader of the report). */
  readonly description?: string;
  /** The rule meant to catch the defect (cli/selfcheckIntent.ts); a catch must name it. */
  readonly intendedRule?: string;
  readonly exitCode: number;
  /** The scenarios' results; undefined when the run left no readable cucumber.json. */
  readonly results: RunResults | undefined;
  /** Why there are no results (the cucumber.json was not written, not JSON, …). */
  readonly reportError?: string;
  /** Where the run's own output went. */
  readonly log?: string;
  /** A telling line of that output, when the run went wrong. */
  readonly logExcerpt?: string;
  /** What `posrig explore` found against the same firmware, with no hand-written scenario (selfcheck --explore). */
  readonly explored?: ExploreOutcome;
}

/** One `posrig explore` of a run's firmware: random command sequences, shrunk to a scenario on a failure. */
export interface ExploreOutcome {
  /** Runs it was given. */
  readonly budget: number;
  /** Runs played up to and including the first failing one (all of them when none failed). */
  readonly runs: number;
  readonly transactions: number;
  readonly faults: number;
  /** The first line of the failure it found, shrunk; undefined when it found none. */
  readonly failure?: string;
  /** The .feature it wrote for the failure. */
  readonly feature?: string;
  /** Why it could not explore (a usage or set-up error): no figures then. */
  readonly error?: string;
}

/** A failure of a run that is not a firmware-defect verdict, or a run that could not be judged. */
export interface Problem {
  readonly run: string;
  /** The failed scenario; undefined for a problem of the whole run. */
  readonly failure?: FailedScenario;
  /** What went wrong with the run as a whole. */
  readonly text?: string;
  /** More detail: a line of the run's output. */
  readonly detail?: string;
}

export interface Judgement {
  readonly run: RunOutcome;
  /** Clean: green. Defect: caught by a firmware-defect verdict that names its intended rule. */
  readonly passed: boolean;
  /** Failed scenarios with a firmware-defect verdict: the catches of a defect, false alarms on clean firmware. */
  readonly firmware: readonly FailedScenario[];
  /** Of those, the ones that found the intended rule broken (all of them when the run names no intended rule). */
  readonly byRule: readonly FailedScenario[];
  readonly problems: readonly Problem[];
}

/** The name of a run in the report. */
export function runName(run: RunOutcome): string {
  return run.defect ?? 'clean firmware';
}

/** Judges one run. */
export function judge(run: RunOutcome): Judgement {
  const name = runName(run);
  const problems: Problem[] = [];
  // Explore is judged by the same oracle: a failure it finds on clean firmware is a false alarm, as a scenario's is.
  if (run.defect === undefined && run.explored?.failure)
    problems.push({
      run: name,
      text: `posrig explore failed clean firmware: ${run.explored.failure}`,
      ...(run.explored.feature ? { detail: run.explored.feature } : {}),
    });
  if (run.explored?.error) problems.push({ run: name, text: `posrig explore could not run: ${run.explored.error}` });
  const failed = run.results?.failed ?? [];
  const firmware = failed.filter((f) => f.culprit === 'firmware defect');
  for (const failure of failed) if (failure.culprit !== 'firmware defect') problems.push({ run: name, failure });
  const where = run.log ? `; its output is in ${run.log}` : '';
  if (!run.results) {
    problems.push({
      run: name,
      text: `no results: ${run.reportError ?? 'no cucumber.json'} (posrig run exited with code ${run.exitCode}${where})`,
      ...(run.logExcerpt ? { detail: run.logExcerpt } : {}),
    });
  } else if (run.results.total === 0) {
    problems.push({ run: name, text: `no scenario ran (posrig run exited with code ${run.exitCode}${where})` });
  } else if (failed.length === 0 && run.exitCode !== 0) {
    problems.push({
      run: name,
      text: `posrig run exited with code ${run.exitCode} though every scenario passed${where}`,
      ...(run.logExcerpt ? { detail: run.logExcerpt } : {}),
    });
  }
  const rule = run.intendedRule;
  const byRule = rule === undefined ? firmware : firmware.filter((f) => f.rules.includes(rule));
  const passed =
    run.defect === undefined
      ? run.results !== undefined &&
        run.results.total > 0 &&
        failed.length === 0 &&
        run.exitCode === 0 &&
        !run.explored?.failure &&
        !run.explored?.error
      : byRule.length > 0;
  return { run, passed, firmware, byRule, problems };
}

/** The whole report: a block per run, then the problems, then the one line a CI log reader understands. */
export function selfcheckReport(runs: readonly RunOutcome[]): { text: string; passed: number; failed: number } {
  const judged = runs.map(judge);
  const lines: string[] = [];
  for (const { run, passed, firmware, byRule, problems } of judged) {
    const total = run.results?.total ?? 0;
    const title = run.defect === undefined ? '(clean firmware)' : run.defect;
    const about = run.description ? ` (${run.description})` : '';
    if (run.explored && !run.explored.error) lines.push(`${title}: ${exploreWords(run.explored)}`);
    if (run.defect === undefined) {
      if (passed) lines.push(`${title}: all ${total} scenarios pass`);
      else if (total === 0) lines.push(`${title}: FAILED: no scenario results (see problems)`);
      else {
        const failedCount = run.results?.failed.length ?? 0;
        const parts = [
          firmware.length > 0 ? `${firmware.length} with a firmware-defect verdict on clean firmware, below` : '',
          problems.length > 0 ? `${problems.length} in problems` : '',
        ].filter(Boolean);
        lines.push(
          `${title}: FAILED: ${failedCount} of ${total} scenarios failed${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`,
        );
      }
    } else if (passed) {
      const rule = run.intendedRule ? ` [${run.intendedRule}]` : '';
      lines.push(`${title}${about}: caught${rule} by ${byRule.length} of ${total} scenarios`);
    } else if (firmware.length > 0) {
      const found = [...new Set(firmware.flatMap((f) => f.rules))].map((r) => `[${r}]`).join(', ') || 'no named rule';
      lines.push(
        `${title}${about}: NOT CAUGHT by its rule [${run.intendedRule ?? '?'}]: ${firmware.length} scenario(s) failed as firmware defects by side effects (${found})`,
      );
    } else {
      const others = problems.length > 0 ? ` (${problems.length} problem(s) below)` : '';
      lines.push(`${title}${about}: NOT CAUGHT: no scenario failed with a firmware-defect verdict${others}`);
    }
    for (const failure of firmware) lines.push(...failureLines(failure, '  ', '', run.intendedRule));
  }
  const problems = judged.flatMap((j) => j.problems);
  if (problems.length > 0) {
    lines.push('', `problems: ${problems.length}, failures that say nothing about the firmware (never a catch):`);
    for (const problem of problems) {
      if (problem.failure) lines.push(...failureLines(problem.failure, '  ', `${problem.run}: `));
      else {
        lines.push(`  ${problem.run}: ${problem.text ?? ''}`);
        if (problem.detail) lines.push(`      ${problem.detail}`);
      }
    }
  }
  const defects = judged.filter((j) => j.run.defect !== undefined);
  if (defects.length > 0) lines.push('', ...catchTable(defects));
  const passed = judged.filter((j) => j.passed).length;
  const failed = judged.length - passed;
  lines.push(`selfcheck: ${passed} passed, ${failed} failed`);
  return { text: lines.join('\n'), passed, failed };
}

/** A failed scenario in three lines: which, the step that failed first, the first line of its message. */
function failureLines(failure: FailedScenario, indent: string, prefix = '', rule?: string): string[] {
  const message = failure.culprit ? failure.message : `(no culprit named) ${failure.message}`;
  // A scenario whose step failed first, with the rule's finding in its attachments: say so, or it reads as a side effect.
  const attached =
    rule && failure.rules.includes(rule) && !failure.message.includes(`[${rule}]`)
      ? ` (and the monitor's finding [${rule}], attached)`
      : '';
  return [
    `${indent}${prefix}${failure.scenario}  ${failure.location}`,
    `${indent}    ${failure.step}`,
    `${indent}    ${message}${attached}`,
  ];
}

/** "explore: found after 3 runs (12 transactions, 4 faults): firmware defect: …" or "explore: nothing in 100 runs …". */
function exploreWords(explored: ExploreOutcome): string {
  const tried = `${explored.transactions} transactions, ${explored.faults} faults`;
  return explored.failure
    ? `explore: found after ${explored.runs} run${explored.runs === 1 ? '' : 's'} (${tried}), written to ${explored.feature ?? '-'}: ${explored.failure}`
    : `explore: no failure in ${explored.runs} runs (${tried})`;
}

/** The explore column: after how many runs explore found the defect, or that it did not in its budget. */
function exploreCell(explored: ExploreOutcome | undefined): string {
  if (!explored) return '-';
  if (explored.error) return 'could not run';
  return explored.failure ? `after ${explored.runs} run${explored.runs === 1 ? '' : 's'}` : `not in ${explored.budget}`;
}

/** One row per seeded defect: its intended rule, whether that rule caught it and in how many scenarios, and whether
 * `posrig explore` found it without a hand-written scenario (with --explore). */
function catchTable(judged: readonly Judgement[]): string[] {
  const explored = judged.some((j) => j.run.explored);
  const rows = judged.map((j) => [
    j.run.defect ?? '',
    j.run.intendedRule ?? '(any)',
    j.passed ? 'yes' : 'NO',
    `${j.byRule.length} of ${j.run.results?.total ?? 0}`,
    ...(explored ? [exploreCell(j.run.explored)] : []),
  ]);
  const header = ['defect', 'intended rule', 'caught by it', 'scenarios', ...(explored ? ['explore finds it'] : [])];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
