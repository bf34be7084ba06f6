// RetryWatch reads cucumber's message envelopes: a scenario that passed on a retry after any failed attempt that was
// not a rig fault is a line; rig faults alone, a scenario that never passed, and one that passed at once are not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope } from '@cucumber/messages';
import { RetryWatch } from '../../cli/run.ts';

const at = { seconds: 0, nanos: 0 };

/** The envelopes of one scenario run through these attempts: each a failure message, '' for a pass. */
function scenario(id: string, name: string, line: number, attempts: readonly string[]): Envelope[] {
  const envelopes = [
    { pickle: { id, uri: 'features/x.feature', location: { line }, name, language: 'en', steps: [], tags: [] } },
    { testCase: { id: `tc-${id}`, pickleId: id, testSteps: [] } },
  ] as unknown as Envelope[];
  attempts.forEach((failure, attempt) => {
    const started = `${id}-${attempt}`;
    const result = (status: string, message?: string) => ({
      testStepFinished: {
        testCaseStartedId: started,
        testStepId: 's',
        timestamp: at,
        testStepResult: { status, message, duration: at },
      },
    });
    envelopes.push(
      { testCaseStarted: { id: started, testCaseId: `tc-${id}`, attempt, timestamp: at } } as Envelope,
      result('PASSED') as unknown as Envelope,
      ...((failure ? [result('FAILED', `${failure}\n    at step`), result('SKIPPED')] : []) as unknown as Envelope[]),
      {
        testCaseFinished: {
          testCaseStartedId: started,
          timestamp: at,
          willBeRetried: Boolean(failure) && attempt < attempts.length - 1,
        },
      } as Envelope,
    );
  });
  return envelopes;
}

describe('posrig run: RetryWatch', () => {
  it('names each scenario that passed only on a retry after a failure that was not the rig', () => {
    const watch = new RetryWatch();
    const runs = [
      scenario('a', 'Firmware, then fine', 3, ['firmware defect: no receipt', '']),
      scenario('b', 'Rig, rig, fine', 9, ['rig fault: port closed', 'rig fault: socat exited', '']),
      scenario('c', 'Rig, then firmware, then fine', 12, [
        'rig fault: port closed',
        'firmware defect: shown twice',
        '',
      ]),
      scenario('d', 'Fails every time', 20, ['firmware defect: no receipt', 'firmware defect: no receipt']),
      scenario('e', 'Fine at once', 25, ['']),
      scenario('f', 'No culprit, then fine', 30, ['Error: boom', '']),
    ];
    for (const envelope of runs.flat()) watch.onMessage(envelope);
    assert.deepEqual(watch.lines, [
      'Firmware, then fine (features/x.feature:3) passed only on retry after a firmware defect: no receipt',
      'Rig, then firmware, then fine (features/x.feature:12) passed only on retry after a firmware defect: shown twice',
      'No culprit, then fine (features/x.feature:30) passed only on retry after a failure: Error: boom',
    ]);
  });
});
