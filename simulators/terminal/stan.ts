// The System Trace Audit Number (ISO 8583 DE11): 000001..999999, then wraps to 000001. Never 000000.
//   const stans = new MemoryStanCounter(); stans.next() → '000001'

/** Where the terminal keeps its STAN; a non-volatile implementation survives power cuts. */
export interface StanCounter {
  /** Advances and returns the next STAN as 6 digits. */
  next(): string;
  /** The last STAN handed out, or null before the first. */
  readonly current: string | null;
}

export const STAN_MAX = 999_999;

export class StanError extends Error {
  override name = 'StanError';
}

/** The STAN after `value` (wrapping 999999 → 1). */
export function nextStanValue(value: number): number {
  return value >= STAN_MAX ? 1 : value + 1;
}

/** Formats a STAN value as the 6-digit DE11 string. */
export function formatStan(value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > STAN_MAX) {
    throw new StanError(`STAN ${value} is outside 1..${STAN_MAX}`);
  }
  return String(value).padStart(6, '0');
}

/** A STAN counter held in memory (lost when the process ends). */
export class MemoryStanCounter implements StanCounter {
  #value: number;

  /** `last` is the last STAN already used (0 = none yet). */
  constructor(last = 0) {
    if (!Number.isInteger(last) || last < 0 || last > STAN_MAX) {
      throw new StanError(`initial STAN ${last} is outside 0..${STAN_MAX}`);
    }
    this.#value = last;
  }

  next(): string {
    this.#value = nextStanValue(this.#value);
    return formatStan(this.#value);
  }

  get current(): string | null {
    return this.#value === 0 ? null : formatStan(this.#value);
  }
}
