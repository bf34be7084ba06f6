// Simulated time for a rig whose every part runs in this process (`clock: virtual`): response timeouts, reversal
// retries, fault delays, ACK and inter-byte timeouts and boot times elapse without waiting, in the order real time
// would give them.
//   const restore = useTimeSource(new VirtualClock());   … restore();
// How: time stands still while the process is at work. It moves on only while someone is blocked on a wait (a
// pending `deadline`) and the process has gone quiet — QUIET_TURNS turns of the event loop in which no callback
// but this clock's own ran (async_hooks counts every I/O, timer, immediate, tick and promise callback) and no I/O
// request is in flight (a connection being made, a write or file operation not yet done). Then the
// earliest timer's time is now and it fires. Between a step and the next nobody waits, so no timer fires there,
// as none would in the few milliseconds a step takes on the wall clock. Timers already due fire at once. Work that
// waits on something outside the simulation (Chromium drawing a picture of the screen) holds time (`clock.hold`):
// a wait armed by an earlier step must not expire because a picture took real milliseconds.
// Work takes time too, a little: a reading of the clock after some callback ran since the last reading is one
// millisecond later. So what happened one after the other never carries the same time (a power cut at the end of
// one scenario and the next scenario's 0200; a scenario's start and the last event before it), as on the wall
// clock, and a timer falls due under a long stretch of work as it would there.

import { createHook } from 'node:async_hooks';
import type { Timer, TimeSource } from '../../protocols/domain/clock.ts';

/** Requests of the process still in flight: a loopback connection being accepted, a write, a file operation, a name
 * lookup. While one is, time must not move: its completion comes on the wall clock, a moment later. */
const IN_FLIGHT = /Connect|ReqWrap|WriteWrap|ShutdownWrap|^FSReq/;

/** Whether an I/O request is in flight (process.getActiveResourcesInfo lists requests beside handles and timers). */
function ioInFlight(): boolean {
  return process.getActiveResourcesInfo().some((resource) => IN_FLIGHT.test(resource));
}

/** Event-loop turns with nothing but this clock at work before time may move: one for each hop a message takes in
 * this process (a write on one side of a socket or mock port is read on the other side on the next turn), and one
 * to spare for a loopback connection being accepted. */
const QUIET_TURNS = 3;

class Scheduled {
  cancelled = false;
  constructor(
    readonly at: number,
    readonly seq: number,
    readonly fire: () => void,
    readonly isDeadline: boolean,
  ) {}
}

/** A clock that starts at the wall clock's time and runs only while waits are blocked on it and all else is quiet. */
export class VirtualClock implements TimeSource {
  #now: number;
  #seq = 0;
  readonly #queue = new TimerQueue();
  #deadlines = 0;
  #activity = 0;
  /** Callbacks run since the clock started, and as of the last reading. */
  #worked = 0;
  #read = 0;
  #quietTurns = 0;
  #probing = false;
  #holds = 0;
  #stopped = false;
  readonly #hook = createHook({
    before: () => {
      this.#activity++;
      this.#worked++;
    },
  });

  constructor(start = Date.now()) {
    this.#now = start;
    this.#hook.enable();
  }

  now(): number {
    if (this.#read !== this.#worked) {
      this.#read = this.#worked;
      this.#now += 1;
      if (this.#queue.due(this.#now)) this.#wake();
    }
    return this.#now;
  }

  setTimeout(fire: () => void, ms: number): Timer {
    return this.#schedule(fire, ms, false);
  }

  deadline(fire: () => void, ms: number): Timer {
    return this.#schedule(fire, ms, true);
  }

  clearTimeout(timer: Timer | undefined): void {
    if (!(timer instanceof Scheduled) || timer.cancelled) return;
    timer.cancelled = true;
    if (timer.isDeadline) this.#deadlines--;
  }

  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.#holds++;
    try {
      return await work();
    } finally {
      this.#holds--;
      if (this.#holds === 0 && this.#deadlines > 0) this.#wake();
    }
  }

  /** Timers pending (fired and cancelled ones excluded). */
  get pending(): number {
    return this.#queue.live();
  }

  /** Stops counting callbacks and drops every timer; the clock is of no further use. */
  stop(): void {
    this.#stopped = true;
    this.#hook.disable();
    this.#queue.clear();
    this.#deadlines = 0;
  }

  #schedule(fire: () => void, ms: number, isDeadline: boolean): Scheduled {
    const delay = Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
    const timer = new Scheduled(this.now() + delay, this.#seq++, fire, isDeadline);
    if (this.#stopped) return timer;
    this.#queue.push(timer);
    if (isDeadline) this.#deadlines++;
    this.#wake();
    return timer;
  }

  #wake(): void {
    if (this.#probing) return;
    this.#probing = true;
    this.#quietTurns = 0;
    this.#activity = 0;
    setImmediate(this.#turn);
  }

  /** One turn of the event loop: fire what is due; after QUIET_TURNS quiet turns with a wait pending, move on. */
  readonly #turn = (): void => {
    const quiet = this.#activity <= 1 && !ioInFlight(); // `before` counted this callback once
    this.#activity = 0;
    this.#quietTurns = quiet ? this.#quietTurns + 1 : 0;
    if (this.#fireDue()) this.#quietTurns = 0;
    else if (this.#quietTurns >= QUIET_TURNS && this.#deadlines > 0 && this.#holds === 0) {
      const next = this.#queue.peek();
      if (next) this.#now = Math.max(this.#now, next.at);
      this.#read = this.#worked; // the timer fires at its time, not a millisecond after
      this.#fireDue();
      this.#quietTurns = 0;
    }
    // Held, only what is due may fire: the turns stop until the hold ends (no spinning while a browser draws).
    const waiting = this.#deadlines > 0 && this.#holds === 0;
    if (!this.#stopped && (waiting || this.#queue.due(this.#now))) setImmediate(this.#turn);
    else this.#probing = false;
  };

  /** Fires every timer due now that was set before this call, in order; whether any fired. */
  #fireDue(): boolean {
    const before = this.#seq;
    let fired = false;
    for (
      let timer = this.#queue.peek();
      timer && timer.at <= this.#now && timer.seq < before;
      timer = this.#queue.peek()
    ) {
      this.#queue.pop();
      if (timer.isDeadline) this.#deadlines--;
      timer.cancelled = true;
      fired = true;
      try {
        timer.fire();
      } catch (error) {
        // as a throwing wall-clock timer would: an uncaught exception, after this turn is done
        process.nextTick(() => {
          throw error;
        });
      }
    }
    return fired;
  }
}

/** Pending timers by (time, order set): a binary heap; cancelled ones are dropped when they come up. */
class TimerQueue {
  readonly #heap: Scheduled[] = [];

  push(timer: Scheduled): void {
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i] as Scheduled, heap[parent] as Scheduled)) break;
      [heap[i], heap[parent]] = [heap[parent] as Scheduled, heap[i] as Scheduled];
      i = parent;
    }
  }

  /** The earliest live timer, if any. */
  peek(): Scheduled | undefined {
    while (this.#heap[0]?.cancelled) this.pop();
    return this.#heap[0];
  }

  pop(): Scheduled | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let least = i;
        if (l < heap.length && earlier(heap[l] as Scheduled, heap[least] as Scheduled)) least = l;
        if (r < heap.length && earlier(heap[r] as Scheduled, heap[least] as Scheduled)) least = r;
        if (least === i) break;
        [heap[i], heap[least]] = [heap[least] as Scheduled, heap[i] as Scheduled];
        i = least;
      }
    }
    return top;
  }

  due(now: number): boolean {
    const next = this.peek();
    return next !== undefined && next.at <= now;
  }

  live(): number {
    return this.#heap.filter((t) => !t.cancelled).length;
  }

  clear(): void {
    this.#heap.length = 0;
  }
}

const earlier = (a: Scheduled, b: Scheduled): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);
