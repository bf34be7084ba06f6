// Waiting on an EventEmitter with a timeout: the next matching event, or the n-th.
import type { EventEmitter } from 'node:events';

/** The next event matching the predicate; rejects after timeoutMs. */
export function waitFor<T>(
  emitter: EventEmitter,
  event: string,
  matches: (value: T) => boolean,
  timeoutMs = 2000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (value: T) => {
      if (!matches(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no '${event}' event matched within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, listener);
  });
}

/** Resolves after `count` matching events. */
export function countEvents<T>(emitter: EventEmitter, event: string, matches: (value: T) => boolean, count: number) {
  let seen = 0;
  return waitFor<T>(emitter, event, (value) => matches(value) && ++seen === count);
}
