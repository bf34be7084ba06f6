// The rule meant to catch each seeded defect. The self-check counts a defect caught only when a scenario fails as a
// firmware defect AND that rule is among what it found (in the failure or the evidence it attached: the behaviour
// monitor's and the payment-truth invariant's findings) — not by a side effect of another rule or a step.
//   intendedRule('double-print') → 'copy-once'
//   rulesIn('firmware defect: behaviour monitor: … [copy-once] …') → ['copy-once']

import type { RuleId } from '../rigs/monitor/catalogue.ts';
import type { TruthRule } from '../rigs/truth/index.ts';
import type { FeatureDefect } from '../simulators/terminal/index.ts';

export type CatchingRule = RuleId | TruthRule;

// The link defects only `posrig conformance` provokes (CONFORMANCE_DEFECTS) are not here: no feature sends their
// bytes, so test/integration/conformance.test.ts proves each fails its conformance check instead.
const INTENDED: Readonly<Record<FeatureDefect, CatchingRule>> = {
  'no-reversal-on-timeout': 'timeout-outcome',
  'reversal-not-persisted': 'power-cut-reversal',
  'success-on-timeout': 'approval-after-host',
  'receipt-on-decline': 'outcome-agree',
  'unmarked-reprint': 'copy-once',
  'double-print': 'copy-once',
  'unlimited-pin-retries': 'pin-tries-exceeded',
  'stan-reused': 'stan-new',
  'late-response-accepted': 'late-response-discarded',
  'approval-before-host': 'approval-after-host',
  'result-before-receipts': 'result-last',
  'cardholder-copy-first': 'merchant-copy-first',
  'timeout-reported-failed': 'timeout-outcome',
  'wrong-pin-reversed': 'wrong-pin-not-reversed',
  'reversal-de90-wrong': 'reversal-fields',
  'decline-said-approved': 'outcome-agree',
  'string-amount': 'event-valid',
  'clear-pan-in-result': 'pan-masked',
  'info-tid-wrong': 'info-tid',
  'reversal-not-retried': 'pending-reversal',
  'sale-before-reversal': 'reversal-before-next-request',
  'mismatch-accepted': 'response-matches-request',
  'cancel-not-reversed': 'cancel-reversal',
  'reversal-before-sign-on': 'power-up-order',
  'reversal-lost-in-flight': 'power-cut-reversal',
  'reprint-after-decline': 'reprint-last-receipt',
  'pin-count-kept': 'wrong-pin-not-reversed',
  'no-nak': 'link-nak',
  'duplicate-acted': 'link-duplicate',
};

/** The rule meant to catch a seeded defect. */
export function intendedRule(defect: FeatureDefect): CatchingRule {
  return INTENDED[defect];
}

/** Every rule id a text names in brackets ("[copy-once]"), once each, in order. */
export function rulesIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\[([a-z0-9]+(?:-[a-z0-9]+)+)\]/g)].map((m) => m[1] as string))];
}
