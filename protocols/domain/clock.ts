// The one clock of a posrig process: every part that keeps time (terminal firmware, host, fault proxy, serial link,
// the harness's waits) reads and schedules through it. It is the wall clock unless a fully simulated rig switches the
// process to simulated time (`clock: virtual`, rigs/clock/virtualClock.ts), where waits elapse without waiting.
//   const timer = clock.setTimeout(() => settle('timeout'), 1500); … clock.clearTimeout(timer);
//   const deadline = clock.deadline(() => fail('no answer'), 5000);   // a harness wait: lets simulated time run
//   clock.date() → now, as a Date; clock.now() → epoch ms

/** A scheduled callback; opaque outside its clock. */
export type Timer = object;

/** What keeps time for the process. */
export interface TimeSource {
  /** Epoch milliseconds. */
  now(): number;
  /** Runs `fire` once `ms` have passed; a timer of a part at work (a response timeout, a retry, a delay). */
  setTimeout(fire: () => void, ms: number): Timer;
  /** Runs `fire` once `ms` have passed; the bound of a wait someone is blocked on (simulated time runs only then). */
  deadline(fire: () => void, ms: number): Timer;
  clearTimeout(timer: Timer | undefined): void;
  /** Runs `work`, which waits on something outside the simulation (a browser drawing a picture): simulated time stands
   * still until it is done. The wall clock just runs it. */
  hold<T>(work: () => Promise<T>): Promise<T>;
}

/** The wall clock. */
export const wallClock: TimeSource = {
  now: () => Date.now(),
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  deadline: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout> | undefined),
  hold: (work) => work(),
};

let current: TimeSource = wallClock;

/** The process's clock; delegates to the time source in use. */
export const clock = {
  now: (): number => current.now(),
  date: (): Date => new Date(current.now()),
  setTimeout: (fire: () => void, ms: number): Timer => current.setTimeout(fire, ms),
  deadline: (fire: () => void, ms: number): Timer => current.deadline(fire, ms),
  clearTimeout: (timer: Timer | undefined): void => current.clearTimeout(timer),
  hold: <T>(work: () => Promise<T>): Promise<T> => current.hold(work),
  /** Whether the process runs on simulated time. */
  simulated: (): boolean => current !== wallClock,
};

/** Makes `source` the process's clock; returns the function that puts the previous one back. */
export function useTimeSource(source: TimeSource): () => void {
  const previous = current;
  current = source;
  return () => {
    current = previous;
  };
}
