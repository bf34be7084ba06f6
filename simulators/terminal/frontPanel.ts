// The terminal's front panel as the harness sees it: display, speaker, printer and error reports, all in one language.
//   panel.display('交易成功', '金额: ¥100.00'); panel.say('approved'); panel.printCopies(receipt, ['merchant', 'cardholder'], false)
// Copies a printer fault stopped are kept (RAM: lost at a power cut) until printUnprinted() once paper is loaded.

import { formatMoneySymbol, type Money } from '../../protocols/domain/money.ts';
import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import { Printer } from './printer.ts';
import { type ReceiptCopy, type ReceiptData, receiptLines } from './receipt.ts';
import { type PromptKey, prompt, type TextSource, type VoiceKey, voice } from './texts.ts';

/** A terminal event before the link gives it an id. */
export type TerminalEventBody = TerminalEvent extends infer E ? (E extends unknown ? Omit<E, 'id'> : never) : never;

interface UnprintedCopy {
  receipt: ReceiptData;
  copy: ReceiptCopy;
}

/** Display, voice, printer and error output of the terminal. */
export class FrontPanel {
  readonly printer = new Printer();
  #unprinted: UnprintedCopy[] = [];
  readonly #emit: (event: TerminalEventBody) => void;
  /** The terminal's language, with the texts it words its own way. */
  readonly language: TextSource;

  constructor(language: TextSource, emit: (event: TerminalEventBody) => void) {
    this.language = language;
    this.#emit = emit;
  }

  /** Sends any event as is. */
  send(event: TerminalEventBody): void {
    this.#emit(event);
  }

  /** Shows lines on the display. */
  display(...lines: string[]): void {
    this.#emit({ type: 'display', lines });
  }

  /** Shows prompts (by key) on the display. */
  show(...keys: PromptKey[]): void {
    this.display(...keys.map((key) => this.text(key)));
  }

  /** Speaks a voice prompt. */
  say(key: VoiceKey): void {
    this.#emit({ type: 'voice', text: voice(this.language, key) });
  }

  /** Reports an error to the harness; `ref` is the id of the command it concerns. */
  error(code: string, message: string, ref?: string): void {
    this.#emit({ type: 'error', code, message, ...(ref ? { ref } : {}) });
  }

  /** Announces a state change. */
  state(state: string): void {
    this.#emit({ type: 'state', state });
  }

  /** A prompt text in the terminal's language. */
  text(key: PromptKey): string {
    return prompt(this.language, key);
  }

  /** The 'AMOUNT: ¥100.00' display line. */
  amountLine(amount: Money): string {
    return `${this.text('amount')}${formatMoneySymbol(amount)}`;
  }

  /** Prints copies in order; stops at a printer fault (shown, spoken and reported), keeps the copies not printed, and
   * returns the fault, else null. */
  printCopies(receipt: ReceiptData, copies: ReceiptCopy[], reprint: boolean): 'paper-out' | 'jam' | null {
    return this.#print(
      copies.map((copy) => ({ receipt, copy })),
      reprint,
    );
  }

  /** How many copies a printer fault stopped. */
  get unprinted(): number {
    return this.#unprinted.length;
  }

  /** Prints the copies a printer fault stopped (as reprints when `reprint`); returns a new fault, else null. */
  printUnprinted(reprint: boolean): 'paper-out' | 'jam' | null {
    const copies = this.#unprinted;
    this.#unprinted = [];
    return this.#print(copies, reprint);
  }

  /** Forgets the copies a printer fault stopped. */
  forgetUnprinted(): void {
    this.#unprinted = [];
  }

  #print(copies: UnprintedCopy[], reprint: boolean): 'paper-out' | 'jam' | null {
    for (const [index, { receipt, copy }] of copies.entries()) {
      const fault = this.printer.fault();
      if (fault) {
        this.#unprinted.push(...copies.slice(index));
        this.show(fault === 'jam' ? 'jam' : 'paperOut', 'fixPrinter');
        this.say(fault === 'jam' ? 'jam' : 'paperOut');
        this.error(`printer-${fault}`, `${copy} copy not printed: printer ${fault}`);
        return fault;
      }
      this.#emit({ type: 'print', lines: receiptLines(receipt, copy, this.language, reprint), copy, reprint });
      this.printer.printed();
    }
    return null;
  }
}
