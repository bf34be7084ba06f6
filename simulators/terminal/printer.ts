// The terminal's receipt printer, with the test hook that makes it run out of paper or jam (now or after one copy).
//   printer.set('paper-out', 'first-copy'); printer.fault() → null; printer.printed(); printer.fault() → 'paper-out'

export type PrinterState = 'ok' | 'paper-out' | 'jam';

/** Printer state as the firmware sees it. */
export class Printer {
  #state: PrinterState = 'ok';
  #afterFirstCopy: PrinterState | null = null;

  /** Sets the printer state now, or arms it to take effect once the next copy has been printed. */
  set(state: PrinterState, after: 'now' | 'first-copy' = 'now'): void {
    if (after === 'first-copy' && state !== 'ok') {
      this.#afterFirstCopy = state;
      return;
    }
    this.#state = state;
    this.#afterFirstCopy = null;
  }

  /** The fault that stops printing, or null when the printer can print. */
  fault(): Exclude<PrinterState, 'ok'> | null {
    return this.#state === 'ok' ? null : this.#state;
  }

  /** Records that a copy came out; an armed fault takes effect now. */
  printed(): void {
    if (this.#afterFirstCopy) {
      this.#state = this.#afterFirstCopy;
      this.#afterFirstCopy = null;
    }
  }

  /** Back to a working printer. */
  reset(): void {
    this.set('ok');
  }
}
