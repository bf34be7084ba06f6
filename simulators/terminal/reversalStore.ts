// Pending reversals: the record a terminal writes before sending a financial request, so a request that got no
// answer can be reversed (0400) later. Recording only for now; sending and retrying reversals is a later step.
//   store.arm({ mti: '0200', stan: '000007', ... }); store.markDue('000007', '98'); store.pending → [{ ..., due: true }]

import type { IsoMessage } from '../../protocols/iso8583/index.ts';

/** One financial request that may need reversing. `request` has no PIN block (DE52 is dropped before storing). */
export interface PendingReversal {
  stan: string;
  transmission: string /* DE7 of the original */;
  request: IsoMessage;
  armedAt: Date;
  /** true once the original is known to need reversing (timeout, lost connection, bad response, abort) */
  due: boolean;
  /** DE39 reason for the 0400, e.g. '98' response timeout */
  reason?: string;
}

/** Where pending reversals live; a non-volatile implementation survives power cuts. */
export interface ReversalStore {
  /** Records a request before it is sent. */
  arm(entry: Omit<PendingReversal, 'due' | 'reason'>): void;
  /** The request was answered (or never left the terminal): nothing to reverse. */
  clear(stan: string): void;
  /** The request needs reversing, with a DE39 reason. */
  markDue(stan: string, reason: string): void;
  readonly pending: readonly PendingReversal[];
}

/** A reversal store held in memory. */
export class MemoryReversalStore implements ReversalStore {
  #entries = new Map<string, PendingReversal>();

  arm(entry: Omit<PendingReversal, 'due' | 'reason'>): void {
    const { 52: _pinBlock, ...fields } = entry.request.fields;
    this.#entries.set(entry.stan, { ...entry, request: { mti: entry.request.mti, fields }, due: false });
  }

  clear(stan: string): void {
    this.#entries.delete(stan);
  }

  markDue(stan: string, reason: string): void {
    const entry = this.#entries.get(stan);
    if (entry) this.#entries.set(stan, { ...entry, due: true, reason });
  }

  get pending(): readonly PendingReversal[] {
    return [...this.#entries.values()];
  }
}
