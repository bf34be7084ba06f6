// The certification matrix: per requirement, the scenarios whose `@req:` tags say they verify it, how each ended on
// each rig, and the requirement's status. Conformance requirements are verified by the conformance run.
//   computeMatrix({ requirements, scenarios, runs: [{ rig: 'sim-serial', scenarios: new Map([['f.feature:9', 'passed']]) }] })
//     → { rigs: ['sim-serial'], rows: [{ requirement, status: 'verified', verifications: [{ where: 'f.feature:9', … }] }] }
// Status: `not covered` (nothing verifies it), `failing` (a run failed), `verified` (every run passed), `not run`
// (none passed: skipped, or no results), `partly verified` (passed where run, skipped or not run elsewhere).

import path from 'node:path';
import { declared } from './tags.ts';
import type {
  Matrix,
  MatrixRow,
  Requirement,
  RequirementStatus,
  RigRun,
  RunStatus,
  Scenario,
  Verification,
} from './types.ts';

export interface MatrixInput {
  readonly requirements: readonly Requirement[];
  readonly scenarios: readonly Scenario[];
  /** One per rig; [] when nothing was run. */
  readonly runs?: readonly RigRun[];
}

/** The conformance kit's id of a conformance requirement (`conformance/nak-bad-crc` → `nak-bad-crc`). */
export function conformanceCheckId(requirement: Requirement): string {
  return requirement.id.slice(requirement.id.indexOf('/') + 1);
}

/** `features/x.feature:10`: the file relative to the working folder (as cucumber records it), however it was given —
 * `./features/x.feature`, `/abs/path/features/x.feature` — so a run's results meet the features read for the matrix. */
export function scenarioKey(uri: string, line: number): string {
  return `${path.relative(process.cwd(), path.resolve(uri)).replaceAll('\\', '/')}:${line}`;
}

/** The matrix, requirements in catalogue order. */
export function computeMatrix(input: MatrixInput): Matrix {
  const runs = input.runs ?? [];
  const verifying = new Map<string, Scenario[]>();
  for (const scenario of input.scenarios)
    for (const id of declared(scenario.tags).requirements) verifying.set(id, [...(verifying.get(id) ?? []), scenario]);
  const rows = input.requirements.map((requirement): MatrixRow => {
    const verifications =
      requirement.family === 'conformance'
        ? [conformanceVerification(requirement, runs)]
        : (verifying.get(requirement.id) ?? []).map((s) => scenarioVerification(s, runs));
    return { requirement, status: statusOf(verifications), verifications };
  });
  return { rigs: runs.map((r) => r.rig), rows };
}

/** The requirements no scenario verifies, in catalogue order. */
export function uncovered(matrix: Matrix): Requirement[] {
  return matrix.rows.filter((r) => r.status === 'not covered').map((r) => r.requirement);
}

/** How many requirements have each status. */
export function statusCounts(matrix: Matrix): Record<RequirementStatus, number> {
  const counts: Record<RequirementStatus, number> = {
    verified: 0,
    'partly verified': 0,
    failing: 0,
    'not run': 0,
    'not covered': 0,
  };
  for (const row of matrix.rows) counts[row.status] += 1;
  return counts;
}

function scenarioVerification(scenario: Scenario, runs: readonly RigRun[]): Verification {
  const key = scenarioKey(scenario.uri, scenario.line);
  return { where: key, name: scenario.name, runs: runs.map((r) => r.scenarios.get(key) ?? 'not run') };
}

function conformanceVerification(requirement: Requirement, runs: readonly RigRun[]): Verification {
  const check = conformanceCheckId(requirement);
  return {
    where: 'posrig conformance',
    name: `check ${check}`,
    runs: runs.map((r) => r.conformance?.get(check) ?? 'not run'),
  };
}

function statusOf(verifications: readonly Verification[]): RequirementStatus {
  if (verifications.length === 0) return 'not covered';
  const all: RunStatus[] = verifications.flatMap((v) => v.runs);
  if (all.includes('failed')) return 'failing';
  const passed = all.filter((s) => s === 'passed').length;
  if (passed === 0) return 'not run';
  return passed === all.length ? 'verified' : 'partly verified';
}
