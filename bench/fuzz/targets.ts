// Every fuzz target, in the order `npm run fuzz` runs them: the ECR serial link (frames, then messages), ISO 8583
// (bodies, TCP framing, DE54) and what arrives over MQTT.
//   for (const target of FUZZ_TARGETS) runTarget(target, { inputs: 2000, seed: 1 });

import { isoDe54Target } from './additionalAmounts.ts';
import { ecrFrameTarget } from './ecrFrames.ts';
import { ecrMessageTarget } from './ecrMessages.ts';
import { isoUnpackTarget } from './iso8583.ts';
import { isoTcpTarget } from './isoFraming.ts';
import { mqttTarget } from './mqtt.ts';
import type { FuzzTarget } from './target.ts';

export const FUZZ_TARGETS: readonly FuzzTarget<never>[] = [
  ecrFrameTarget,
  ecrMessageTarget,
  isoUnpackTarget,
  isoTcpTarget,
  isoDe54Target,
  mqttTarget,
] as unknown as FuzzTarget<never>[];

/** The target of this name; throws naming the known ones. */
export function fuzzTarget(name: string): FuzzTarget<never> {
  const found = FUZZ_TARGETS.find((t) => t.name === name);
  if (!found) throw new Error(`no fuzz target "${name}"; targets: ${FUZZ_TARGETS.map((t) => t.name).join(', ')}`);
  return found;
}
