// Every failure of a step or hook names its culprit in its first line — "firmware defect: …", "rig fault: …" or
// "scenario error: …" (rigs/verdict/culprit.ts) — so the report, the JUnit file and `posrig selfcheck` can tell a
// broken terminal from a broken rig or a mistyped scenario. Scenario errors carry no stack trace: they are for QA.

import { setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import type { RigFile } from '../../rigs/file/rigFile.ts';
import { culpritIn, knownCulprit, verdictMessage } from '../../rigs/verdict/culprit.ts';

/** The error, reworded so its message (and the stack's first line) starts with its culprit. On a rig whose simulated
 * bank runs with seeded defects, what looks like the terminal's fault is the rig's: its ledger is not the truth. */
export function withVerdict(error: unknown, hostDefects: readonly string[] = []): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  const blamed = verdictMessage(failure);
  const message =
    hostDefects.length > 0 && culpritIn(blamed) === 'firmware defect'
      ? `rig fault: the simulated bank runs with seeded defects (${hostDefects.join(', ')}), so this is not the terminal's: ${blamed.slice('firmware defect: '.length)}`
      : blamed;
  // Only an error of a kind posrig does not know may be its own bug: keep where it came from. The rest speak for
  // themselves.
  const frames = knownCulprit(failure) ? [] : (failure.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  Object.defineProperty(failure, 'message', { value: message, configurable: true, writable: true });
  // Our messages say what was expected and what came; cucumber's diff would cut them at ": expected".
  Object.defineProperty(failure, 'showDiff', { value: false, configurable: true, writable: true });
  failure.stack = [message, ...frames].join('\n');
  return failure;
}

/** The seeded defects of the simulated bank of the World's rig (none outside a scenario or without a rig). */
function hostDefectsOf(world: unknown): readonly string[] {
  try {
    return (world as { rig?: { file: RigFile } }).rig?.file.host.simulate?.defects ?? [];
  } catch {
    return []; // no rig leased: the error says so itself
  }
}

setDefinitionFunctionWrapper(
  (code: (...args: unknown[]) => unknown) =>
    async function (this: unknown, ...args: unknown[]) {
      try {
        return await code.apply(this, args);
      } catch (error) {
        throw withVerdict(error, hostDefectsOf(this));
      }
    },
);
