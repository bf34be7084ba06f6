// Pending reversals: the record a terminal writes before sending a financial request, so a request that got no
// (usable) answer can be reversed with a 0400 later — retried until the host answers 0410.
//   store.arm({ stan: '000007', transmission, request, armedAt }); store.markDue('000007', '98');
//   store.pending → [{ stan: '000007', due: true, reason: '98', ... }]; store.clear('000007') once the 0410 arrived

import type { IsoMessage } from '../../protocols/iso8583/index.ts';

/** One financial request that may need reversing. `request` keeps only what a 0400 needs (no track 2, no PIN block). */
export interface PendingReversal {
  stan: string;
  transmission: string /* DE7 of the original */;
  request: IsoMessage;
  armedAt: Date;
  /** true once the original is known to need reversing (timeout, lost connection, bad response, abort, power cut) */
  due: boolean;
  /** DE39 reason for the 0400: '98' no response, '96' unusable response, '17' cancelled, '06' power failure */
  reason?: string;
}

/** Where pending reversals live; the non-volatile implementation (nonVolatileStore.ts) survives power cuts. */
export interface ReversalStore {
  /** Records a request before it is sent. */
  arm(entry: Omit<PendingReversal, 'due' | 'reason'>): void;
  /** The request was answered, never left the terminal, or its reversal was confirmed: nothing to reverse. */
  clear(stan: string): void;
  /** The request needs reversing, with a DE39 reason. */
  markDue(stan: string, reason: string): void;
  readonly pending: readonly PendingReversal[];
}

/** Data elements of the original kept for its reversal: PAN, processing code, amount, DE7, STAN, times, expiry, entry
 * mode, condition code, TID, MID, currency. */
export const REVERSAL_FIELDS: readonly number[] = [2, 3, 4, 7, 11, 12, 13, 14, 22, 25, 41, 42, 49];

/** The record to store for a request: the request cut down to REVERSAL_FIELDS, not yet due. */
export function reversalRecord(entry: Omit<PendingReversal, 'due' | 'reason'>): PendingReversal {
  const fields: IsoMessage['fields'] = {};
  for (const de of REVERSAL_FIELDS) {
    const value = entry.request.fields[de];
    if (value !== undefined) fields[de] = value;
  }
  return { ...entry, request: { mti: entry.request.mti, fields }, due: false };
}

/** A reversal store held in memory (lost at a power cut). */
export class MemoryReversalStore implements ReversalStore {
  #entries = new Map<string, PendingReversal>();

  arm(entry: Omit<PendingReversal, 'due' | 'reason'>): void {
    this.#entries.set(entry.stan, reversalRecord(entry));
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
