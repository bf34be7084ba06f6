// The certification matrix's shapes: requirements in, scenarios and their results in, rows out.
//   const matrix: Matrix = computeMatrix({ requirements, scenarios, runs });  matrix.rows[0].status → 'verified'

export type RequirementFamily = 'signal' | 'monitor' | 'truth' | 'conformance';

/** A requirement, as the catalogue (rigs/certification) gives it. */
export interface Requirement {
  readonly id: string;
  readonly family: RequirementFamily;
  readonly clause: string;
  readonly text: string;
}

/** One scenario as run (an example row of an outline is a scenario of its own): where it is, its name, its tags. */
export interface Scenario {
  readonly uri: string;
  readonly line: number;
  readonly name: string;
  /** With the `@`: '@req:copy-once', '@area:receipts', '@needs-printer'; the feature's tags included. */
  readonly tags: readonly string[];
}

/** How one scenario (or one conformance check) ended on one rig. */
export type RunStatus = 'passed' | 'failed' | 'skipped' | 'not run';

/** The results of one run: one rig's `<reports>` folder. */
export interface RigRun {
  /** The rig's name (the folder's name: reports/nightly/sim-pty → 'sim-pty'). */
  readonly rig: string;
  /** Scenario status by `uri:line` (cucumber.json). */
  readonly scenarios: ReadonlyMap<string, RunStatus>;
  /** Conformance check status by check id (`posrig conformance --format json` saved as conformance.json), if run. */
  readonly conformance?: ReadonlyMap<string, RunStatus>;
}

export type RequirementStatus = 'verified' | 'partly verified' | 'failing' | 'not run' | 'not covered';

/** What verifies a requirement: a scenario (`features/x.feature:10`) or the conformance run. */
export interface Verification {
  /** `features/receipts/reprint.feature:38`, or `posrig conformance`. */
  readonly where: string;
  readonly name: string;
  /** One per rig of the matrix, in its order ([] without results). */
  readonly runs: readonly RunStatus[];
}

export interface MatrixRow {
  readonly requirement: Requirement;
  readonly status: RequirementStatus;
  readonly verifications: readonly Verification[];
}

export interface Matrix {
  /** The rigs whose results the matrix shows, in the order given; [] when nothing was run. */
  readonly rigs: readonly string[];
  readonly rows: readonly MatrixRow[];
}

/** The families in the order the matrix shows them, with a heading each. */
export const FAMILIES: ReadonlyArray<{ readonly family: RequirementFamily; readonly title: string }> = [
  { family: 'signal', title: 'Success signals: what the terminal shows, prints, says, and how the balances moved' },
  { family: 'monitor', title: 'Behaviour monitor: the rules of docs/protocol.md (docs/monitor.md)' },
  { family: 'truth', title: 'Payment-truth invariant: the terminal and the ledger agree' },
  { family: 'conformance', title: 'ECR link conformance: verified by `posrig conformance`, not by scenarios' },
];
