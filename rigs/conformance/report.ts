// The conformance report: one line per MUST (✔/✘, id, clause, what was seen), or the same as JSON.
//   formatResult({ id: 'ack-time', clause: '§5.4', pass: true, seen: 'ACK after 3 ms …', must: … })
//     → "✔ ack-time              §5.4             ACK after 3 ms …"

import { CHECK_IDS, type CheckResult } from './checks.ts';

const ID_WIDTH = Math.max(...CHECK_IDS.map((id) => id.length)) + 2;
const CLAUSE_WIDTH = 17;

/** One check as a line; a ✘ adds the rule it broke. */
export function formatResult(result: CheckResult): string {
  const head = `${result.pass ? '✔' : '✘'} ${result.id.padEnd(ID_WIDTH)}${result.clause.padEnd(CLAUSE_WIDTH)}${result.seen}`;
  return result.pass ? head : `${head}\n  ${' '.repeat(ID_WIDTH + CLAUSE_WIDTH)}must: ${result.must}`;
}

/** The closing line: "24 of 24 checks passed" or "22 of 24 checks passed; failed: ack-time, truncated". */
export function formatSummary(results: readonly CheckResult[]): string {
  const failed = results.filter((r) => !r.pass).map((r) => r.id);
  const head = `${results.length - failed.length} of ${results.length} checks passed`;
  return failed.length ? `${head}; failed: ${failed.join(', ')}` : head;
}

export interface ConformanceReport {
  readonly rig: string;
  readonly terminal: string;
  readonly passed: boolean;
  readonly checks: readonly CheckResult[];
}

/** The report as `--format json` prints it. */
export function reportJson(rig: string, terminal: string, results: readonly CheckResult[]): ConformanceReport {
  return { rig, terminal, passed: results.every((r) => r.pass), checks: results };
}
