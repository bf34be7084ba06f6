// The harness end of an ECR link for terminal tests: sends commands with fresh ids, records every event and link fault
// (a damaged frame, an invalid event), wakes waiters, waits for an event.
import type { Duplex } from 'node:stream';
import {
  EcrLink,
  type EcrMessage,
  type EcrMessageError,
  type FrameError,
  type HarnessCommand,
  type TerminalEvent,
} from '../../protocols/ecr/index.ts';

/** A terminal event of one type. */
export type EventOf<T extends TerminalEvent['type']> = Extract<TerminalEvent, { type: T }>;

/** How long waitForEvent waits by default. */
const WAIT_MS = 4000;

/** A harness command without its id (the harness numbers them). */
export type CommandWithoutId = HarnessCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

/** An EcrLink on `stream` that records the terminal's events and calls each subscriber on every one. */
export class RecordingHarness {
  readonly events: TerminalEvent[] = [];
  /** What the link refused: frames it NAKed or dropped, payloads that are not valid events (EcrMessageError). */
  readonly faults: (FrameError | EcrMessageError)[] = [];
  readonly #link: EcrLink;
  #waiters: (() => void)[] = [];
  #ids = 0;

  constructor(stream: Duplex) {
    this.#link = new EcrLink(stream, { name: 'harness' });
    this.#link.on('message', (m: EcrMessage) => {
      this.events.push(m as TerminalEvent);
      for (const wake of this.#waiters) wake();
    });
    this.#link.on('fault', (fault: FrameError | EcrMessageError) => {
      this.faults.push(fault);
      for (const wake of this.#waiters) wake();
    });
  }

  /** Sends the command with the next id (h1, h2, …); resolves on its ACK. */
  send(command: CommandWithoutId): Promise<void> {
    return this.#link.send({ ...command, id: `h${++this.#ids}` } as HarnessCommand);
  }

  /** The first event of this type (from index `from`) that matches; rejects after `timeoutMs` quoting what came. */
  waitForEvent<T extends TerminalEvent['type']>(
    type: T,
    match: (e: EventOf<T>) => boolean = () => true,
    from = 0,
    timeoutMs = WAIT_MS,
  ): Promise<EventOf<T>> {
    const find = () => this.events.slice(from).find((e): e is EventOf<T> => e.type === type && match(e as EventOf<T>));
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (!found) return;
        clearTimeout(timer);
        this.unsubscribe(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.unsubscribe(check);
        reject(new Error(`no ${type} event within ${timeoutMs} ms; got ${JSON.stringify(this.events.slice(from))}`));
      }, timeoutMs);
      this.subscribe(check);
      check();
    });
  }

  /** Calls `wake` on every event from now on. */
  subscribe(wake: () => void): void {
    this.#waiters.push(wake);
  }

  /** Stops calling `wake`. */
  unsubscribe(wake: () => void): void {
    this.#waiters = this.#waiters.filter((w) => w !== wake);
  }

  /** Closes the link. */
  close(): void {
    this.#link.close();
  }
}
