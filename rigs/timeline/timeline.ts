// A timeline of timestamped records with the one way to wait on them: resolve with the first record (from a cursor
// on) that matches, or fail after a timeout with an error that quotes what happened meanwhile.
//   const timeline = new Timeline<Note>((from) => `seen: ${timeline.all(from).join(', ')}`);
//   const note = await timeline.waitFor('the 0210', (n) => n.mti === '0210', { timeoutMs: 2000 });

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Only records at or after this cursor (from mark()) count. */
  readonly from?: number;
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
  readonly resolve: (record: T) => void;
  readonly cancel: (error: Error) => void;
}

export type TimeoutErrorFactory = (message: string) => Error;

export class Timeline<T> {
  private readonly records: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();
  private base = 0;

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
      if (index >= waiter.from && waiter.predicate(record)) {
        this.waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
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
    for (const waiter of this.waiters) waiter.cancel(new WaitCancelledError('the timeline was cleared while waiting'));
    this.waiters.clear();
  }

  /** The first record from `from` on that matches; a timeout error quoting the timeline if none comes in time. */
  waitFor(what: string, predicate: (record: T) => boolean, options: WaitOptions): Promise<T> {
    const from = options.from ?? this.base;
    const found = this.all(from).find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        from,
        predicate,
        resolve: (record) => {
          clearTimeout(timer);
          resolve(record);
        },
        cancel: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(this.timeoutError(`waited ${options.timeoutMs} ms for ${what}; ${this.quoteFrom(from)}`));
      }, options.timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
