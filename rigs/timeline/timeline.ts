// A timeline of timestamped records with the one way to wait on them: resolve with the first record (from a cursor
// on) that matches, or fail after a timeout with an error that quotes what happened meanwhile.
//   const timeline = new Timeline<Note>((from) => `seen: ${timeline.all(from).join(', ')}`);
//   const note = await timeline.waitFor('the 0210', (n) => n.mti === '0210', { timeoutMs: 2000 });

import { clock } from '../../protocols/domain/clock.ts';

export interface WaitOptions<T = unknown> {
  readonly timeoutMs: number;
  /** Only records at or after this cursor (from mark()) count. */
  readonly from?: number;
  /** A record after which the awaited one can no longer come (e.g. the transaction's result): the wait fails at once. */
  readonly endsWhen?: Ending<T> | undefined;
}

/** What ends a wait early: the record that closes the window, and how to name it. */
export interface Ending<T> {
  readonly what: string;
  readonly predicate: (record: T) => boolean;
  /** The error to fail with (default: the timeline's timeout error), given the message. */
  readonly error?: (message: string) => Error;
  /** Why nothing more can come, for the message (default: "nothing more can come for it"). */
  readonly because?: string;
}

/** Nothing matched in time; the message says what was awaited and quotes the timeline. */
export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/** The timeline was cleared (the scenario ended) while something still waited on it. */
export class WaitCancelledError extends Error {
  override name = 'WaitCancelledError';
}

interface Waiter<T> {
  readonly from: number;
  readonly predicate: (record: T) => boolean;
  readonly ends: ((record: T) => boolean) | undefined;
  readonly resolve: (record: T) => void;
  readonly end: () => void;
  readonly cancel: (error: Error) => void;
}

export type TimeoutErrorFactory = (message: string) => Error;

export class Timeline<T> {
  private readonly records: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();
  private base = 0;
  private broken: Error | undefined;

  constructor(
    /** Quotes the timeline from a cursor on, for timeout errors. */
    private readonly quoteFrom: (from: number) => string,
    private readonly timeoutError: TimeoutErrorFactory = (message) => new WaitTimeoutError(message),
  ) {}

  /** Adds a record; resolves every wait it satisfies. */
  add(record: T): void {
    this.records.push(record);
    const index = this.base + this.records.length - 1;
    for (const waiter of this.waiters) {
      if (index < waiter.from) continue;
      if (waiter.predicate(record)) {
        this.waiters.delete(waiter);
        waiter.resolve(record);
      } else if (waiter.ends?.(record)) {
        this.waiters.delete(waiter);
        waiter.end();
      }
    }
  }

  /** Fails every pending wait, and every new one until clear(), with this error (the source broke: a rig fault). */
  fail(error: Error): void {
    this.broken ??= error;
    for (const waiter of this.waiters) waiter.cancel(error);
    this.waiters.clear();
  }

  /** The error the timeline was failed with, if any. */
  get failure(): Error | undefined {
    return this.broken;
  }

  /** A cursor: the index the next record will get. */
  mark(): number {
    return this.base + this.records.length;
  }

  /** Every record from a cursor on (all kept when omitted). */
  all(from = this.base): T[] {
    return this.records.slice(Math.max(0, from - this.base));
  }

  /** Forgets everything recorded so far (cursors stay valid and increasing); waits still pending are cancelled,
   * so nothing armed in one scenario can fire in the next. */
  clear(): void {
    this.base += this.records.length;
    this.records.length = 0;
    this.broken = undefined;
    for (const waiter of this.waiters) waiter.cancel(new WaitCancelledError('the timeline was cleared while waiting'));
    this.waiters.clear();
  }

  /** The first record from `from` on that matches; a timeout error quoting the timeline if none comes in time. */
  waitFor(what: string, predicate: (record: T) => boolean, options: WaitOptions<T>): Promise<T> {
    const from = options.from ?? this.base;
    const ends = options.endsWhen?.predicate;
    const ending = options.endsWhen;
    const ended = () =>
      (ending?.error ?? this.timeoutError)(
        `${ending?.what} came without ${what} (${ending?.because ?? 'nothing more can come for it'}); ${this.quoteFrom(from)}`,
      );
    for (const record of this.all(from)) {
      if (predicate(record)) return Promise.resolve(record);
      if (ends?.(record)) return Promise.reject(ended());
    }
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        from,
        predicate,
        ends,
        resolve: (record) => {
          clock.clearTimeout(timer);
          resolve(record);
        },
        end: () => {
          clock.clearTimeout(timer);
          reject(ended());
        },
        cancel: (error) => {
          clock.clearTimeout(timer);
          reject(error);
        },
      };
      const timer = clock.deadline(() => {
        this.waiters.delete(waiter);
        reject(this.timeoutError(`waited ${options.timeoutMs} ms for ${what}; ${this.quoteFrom(from)}`));
      }, options.timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
