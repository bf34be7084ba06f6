// Two Duplex ends joined like a cable: what one writes, the other reads. For wiring a simulator to a link in tests.
import { Duplex, PassThrough } from 'node:stream';

/** Two Duplex ends; what one writes, the other reads. */
export function duplexPair(): [Duplex, Duplex] {
  const aToB = new PassThrough();
  const bToA = new PassThrough();
  return [Duplex.from({ readable: bToA, writable: aToB }), Duplex.from({ readable: aToB, writable: bToA })];
}
