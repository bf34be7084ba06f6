// The certification matrix's requirements: one catalogue of everything posrig can say a terminal was checked for,
// each with a stable id, its family, the clause of docs/protocol.md it comes from and what must hold in one line.
// Built from the tables that judge them (no copy of their texts): the monitor's RULES, the invariant's TRUTH_RULES
// (worded in ownRequirements.ts), the conformance kit's CHECKS, and the four success signals.
//   requirement('copy-once') → { id: 'copy-once', family: 'monitor', clause: '§15.4', text: 'each copy is printed once; …' }
//   REQUIREMENTS.filter((r) => r.family === 'signal').map((r) => r.id) → ['signal-display', 'signal-receipt', …]
// Scenarios declare what they verify with `@req:<id>` tags; conformance checks are verified by `posrig conformance`,
// never by a scenario: their ids carry the prefix `conformance/` (one check, `event-valid`, shares its name with a
// monitor rule).

import { CHECK_IDS, CHECKS } from '../conformance/checks.ts';
import { RULE_IDS, RULES } from '../monitor/catalogue.ts';
import { TRUTH_RULES } from '../truth/paymentTruth.ts';
import { SIGNALS, TRUTH_WORDING } from './ownRequirements.ts';

export type RequirementFamily = 'signal' | 'monitor' | 'truth' | 'conformance';

/** One requirement a scenario (or the conformance run) can verify. */
export interface Requirement {
  readonly id: string;
  readonly family: RequirementFamily;
  /** Where docs/protocol.md says it ('§15.4'), or another document ('host.md §10'). */
  readonly clause: string;
  /** What must hold, in one line. */
  readonly text: string;
}

/** The prefix of a conformance check's requirement id: `conformance/nak-bad-crc`. */
export const CONFORMANCE_PREFIX = 'conformance/';

/** Every requirement, family by family: signals, monitor rules, invariant rules, conformance checks. */
export const REQUIREMENTS: readonly Requirement[] = [
  ...SIGNALS.map((s) => ({ id: s.id, family: 'signal' as const, clause: s.clause, text: s.text })),
  ...RULE_IDS.map((id) => ({ id, family: 'monitor' as const, clause: RULES[id].clause, text: RULES[id].rule })),
  ...TRUTH_RULES.map((id) => ({ id, family: 'truth' as const, ...TRUTH_WORDING[id] })),
  ...CHECK_IDS.map((id) => ({
    id: `${CONFORMANCE_PREFIX}${id}`,
    family: 'conformance' as const,
    clause: CHECKS[id].clause,
    text: CHECKS[id].must,
  })),
];

const byId = new Map(REQUIREMENTS.map((r) => [r.id, r]));
if (byId.size !== REQUIREMENTS.length) throw new Error('rigs/certification: two requirements share an id');

/** The requirement with this id, if any. */
export function requirement(id: string): Requirement | undefined {
  return byId.get(id);
}

/** The ids a scenario may declare with `@req:` (conformance checks are verified by `posrig conformance`). */
export const SCENARIO_REQUIREMENT_IDS: readonly string[] = REQUIREMENTS.filter((r) => r.family !== 'conformance').map(
  (r) => r.id,
);
