// Doctor check 5: the terminal's capabilities and the rig's parts against the features' `@needs-…` tags. A rig that
// lacks something is no fault: the features that need it are skipped, and this check lists them with the reason.
//   checkCapabilities(rig, info)  → ✔ "capabilities  the terminal states swipe, chip, …; 2 feature files skip …" + notes

import { capabilitiesOf, KNOWN_NEEDS } from '../capabilities.ts';
import type { Rig } from '../rig.ts';
import type { TerminalInfo } from '../terminal/terminalDriver.ts';
import { type Check, failed, passed } from './check.ts';
import { readFeatureNeeds, type ScenarioNeeds, skippedFeatures, unknownNeeds } from './featureNeeds.ts';

/** ✔ with the feature files this rig skips scenarios of, and why; ✘ only for a need tag nobody knows. */
export function checkCapabilities(
  rig: Rig,
  info: TerminalInfo,
  scenarios: readonly ScenarioNeeds[] = readFeatureNeeds(),
): Check {
  const unknown = unknownNeeds(scenarios);
  if (unknown.length > 0)
    return failed(
      'capabilities',
      `unknown need tag${unknown.length === 1 ? '' : 's'}: ${unknown.join('; ')} (posrig run fails those scenarios)`,
      `use one of ${KNOWN_NEEDS.join(', ')}`,
    );
  const skipping = skippedFeatures(scenarios, capabilitiesOf(rig, info.capabilities));
  const offered = info.capabilities.length > 0 ? info.capabilities.join(', ') : 'none';
  const summary =
    skipping.length === 0
      ? `every scenario of features/ can run on this rig (${scenarios.length})`
      : `scenarios of ${skipping.length} feature file${skipping.length === 1 ? '' : 's'} are skipped on this rig (not a fault):`;
  return passed('capabilities', `the terminal states ${offered}; ${summary}`, skipping);
}
