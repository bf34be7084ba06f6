// Follows a timeline (the terminal's event history, the fault proxy's traffic) as it grows: each time something new
// arrives, `onNew(from)` is told the cursor to read from. Built on the timeline's own wait, so nothing is polled
// while records arrive; an idle wait is renewed every second, so stop() takes effect within a second.
//   const follower = follow({ mark: () => history.mark(), next: (from, ms) => history.waitFor('next', () => true,
//     { from, timeoutMs: ms }) }, (from) => show(history.events(from)));
//   …  follower.stop();

import { WaitCancelledError, WaitTimeoutError } from '../../rigs/timeline/timeline.ts';

/** A timeline seen from outside: its cursor, and a wait for its next record from a cursor on. */
export interface Followable {
  mark(): number;
  next(from: number, timeoutMs: number): Promise<unknown>;
}

export interface Follower {
  stop(): void;
}

const RENEW_MS = 1000;

/** Calls `onNew(from)` whenever records arrived at or after `from`; `onBroken` when the timeline was failed. */
export function follow(
  timeline: Followable,
  onNew: (from: number) => void,
  onBroken: (error: Error) => void = () => {},
): Follower {
  let stopped = false;
  let from = timeline.mark();
  const loop = async () => {
    while (!stopped) {
      try {
        await timeline.next(from, RENEW_MS);
      } catch (error) {
        if (!(error instanceof WaitTimeoutError) && !(error instanceof WaitCancelledError)) {
          // A failed timeline (a rig fault, a firmware defect) answers every wait at once: say so, then look again
          // a second later (a rig reset clears it).
          onBroken(error as Error);
          await idle(RENEW_MS);
        }
      }
      if (stopped) return;
      const mark = timeline.mark();
      if (mark > from) onNew(from);
      from = mark;
    }
  };
  void loop();
  return {
    stop() {
      stopped = true;
    },
  };
}

function idle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
