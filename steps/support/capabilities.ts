// Capability-aware runs in the steps: which scenarios of this run were skipped for a need the rig lacks (the table of
// needs and what meets them is rigs/capabilities.ts, shared with `posrig doctor`).
//   markSkipped(world, 'skipped: rig lab-07 has no power relay (@needs-power)');  skippedFor(world) → that reason

export {
  capabilitiesOf,
  missingNeed,
  NEEDS,
  noPinLimitOf,
  type RigCapabilities,
} from '../../rigs/capabilities.ts';

/** The scenarios skipped for a need, and why: the After hook leaves them unjudged (nothing of them ran). */
const skipped = new WeakMap<object, string>();

/** Notes that the scenario of this World is skipped, and why. */
export function markSkipped(world: object, reason: string): void {
  skipped.set(world, reason);
}

/** Why the scenario of this World was skipped for a need; undefined when it ran. */
export function skippedFor(world: object): string | undefined {
  return skipped.get(world);
}
