// The terminal firmware's state machine: idle → card → pin → online → result → printing → idle.
// Commands in the wrong state are refused with an `error` event naming the state. Events leave through `emit`
// (without ids; the link adds them) in the order the harness must see them: display/voice/print, then `result` last.
// The online phase (reversals, 0200, reply) is onlinePhase.ts. Seeded defects of what the terminal shows, says, prints
// and reports are checked here: #online (display, voice, copies, result order), #reprint, #finish (result fields),
// announce (info).
//   const fw = new Firmware({ config, emit, host, stans, reversals, sender, clock, defects });
//   fw.handle({ type: 'sale', id: '1', amount: 10000, currency: 'CNY' });

import { clock } from '../../protocols/domain/clock.ts';
import type { Money } from '../../protocols/domain/money.ts';
import { maskPan } from '../../protocols/domain/pan.ts';
import type { HarnessCommand } from '../../protocols/ecr/index.ts';
import { encryptPinBlock } from '../../protocols/pinblock/index.ts';
import { formatLocalDateTime } from './clock.ts';
import { FrontPanel, type TerminalEventBody } from './frontPanel.ts';
import type { CardRead } from './isoRequest.ts';
import { goOnline, type OnlineDeps, type OnlineStep } from './onlinePhase.ts';
import { pinTriesExceededOutcome, reversalPendingOutcome } from './outcome.ts';
import type { ReceiptCopy, ReceiptData, TransactionKind } from './receipt.ts';

export type { TerminalEventBody } from './frontPanel.ts';
export type { HostExchange } from './reversalSender.ts';
export type FirmwareState = 'idle' | 'card' | 'pin' | 'online' | 'result' | 'printing';

/** Each state as a refusal names it: "input.keys refused: the terminal is waiting for a card, not …". */
const STATE_WORDS: Record<FirmwareState, string> = {
  idle: 'idle',
  card: 'waiting for a card',
  pin: 'asking for the PIN',
  online: 'talking to the host',
  result: 'showing the result',
  printing: 'printing',
};
type ResultEvent = Extract<TerminalEventBody, { type: 'result' }>;
type ResultFields = Omit<ResultEvent, 'type' | 'command' | 'ref' | 'amount' | 'currency' | 'pan'>;
type Done = Extract<OnlineStep, { kind: 'done' }>;

/** What the firmware runs on: the online phase's parts (host, STAN counter, reversal store and sender, clock, defects)
 * and where its events go. */
export interface FirmwareDeps extends Omit<OnlineDeps, 'powered'> {
  emit: (event: TerminalEventBody) => void;
}

interface Transaction {
  kind: TransactionKind;
  commandId: string;
  amount: Money;
  card?: CardRead;
  pin: string;
  cancel: AbortController;
}

const PIN_MIN = 4;
const PIN_MAX = 12;
/** Wrong PINs (55) in one transaction after which the terminal stops asking and ends it as for 75. The issuer's
 * limit (3 on the simulated host) answers 75 first; the count starts at zero with every transaction. */
export const PIN_TRY_LIMIT = 3;
const CAPABILITIES = ['swipe', 'chip', 'tap', 'qr', 'pin', 'printer', 'voice'];

/** The simulated firmware: takes harness commands, talks to the host, emits what a cardholder would see and hear. */
export class Firmware {
  readonly #deps: FirmwareDeps;
  readonly #panel: FrontPanel;
  #state: FirmwareState = 'idle';
  #txn: Transaction | null = null;
  #lastReceipt: ReceiptData | null = null;
  #lastResult: ResultEvent | null = null;
  /** Wrong PINs (55) in the transaction in hand; back to 0 as each transaction ends. */
  #wrongPins = 0;
  #powered = true;

  constructor(deps: FirmwareDeps) {
    this.#deps = deps;
    this.#panel = new FrontPanel(deps.config, (event) => {
      if (this.#powered) deps.emit(event);
    });
  }

  /** The current state. */
  get state(): FirmwareState {
    return this.#state;
  }

  /** Handles one harness command (asynchronous work such as the online phase continues in the background). */
  handle(command: HarnessCommand): void {
    switch (command.type) {
      case 'hello':
        this.announce(command.id);
        break;
      case 'sale':
      case 'refund':
        this.#start(command, command.type);
        break;
      case 'input.card':
        this.#card(command);
        break;
      case 'input.keys':
        this.#keys(command);
        break;
      case 'abort':
        this.#abort('welcome');
        break;
      case 'reprint':
        this.#reprint(command);
        break;
      case 'lastResult':
        if (this.#lastResult) this.#panel.send(this.#lastResult);
        else this.#panel.error('no-result', 'lastResult: no transaction has finished yet', command.id);
        break;
      case 'printer.set':
        this.#panel.printer.set(command.state, command.after);
        // the merchant loaded paper / cleared the jam: the copies not printed come out, marked as reprints
        if (command.state === 'ok' && this.#panel.unprinted > 0) this.#panel.printUnprinted(this.#markReprints());
        break;
      case 'void':
      case 'settle':
        this.#panel.error('unsupported', `${command.type} is not supported by this firmware`, command.id);
        break;
    }
  }

  /** Sends `info`: the answer to a hello (naming it in `ref`), and unsolicited at power-up. */
  announce(hello?: string): void {
    const { model, serial, firmware, language } = this.#deps.config;
    const tid = this.#deps.defects.has('info-tid-wrong') ? otherTid(this.#deps.config.tid) : this.#deps.config.tid;
    const info = {
      ...{ model, serial, firmware, protocol: '1', capabilities: CAPABILITIES, language, tid },
      ...(hello ? { ref: hello } : {}),
    };
    this.#panel.send({ type: 'info', ...info });
  }

  /** Sends `state` with the current state (unsolicited at power-up). */
  announceState(): void {
    this.#panel.state(this.#state);
  }

  /** Back to idle without a word: the transaction in hand is abandoned, the printer fixed, STAN kept. */
  reset(): void {
    this.#abandon();
    this.#state = 'idle';
    this.#panel.printer.reset();
    this.#panel.forgetUnprinted();
    this.#lastReceipt = null;
    this.#lastResult = null;
    this.#wrongPins = 0;
  }

  /** The power is gone: RAM is lost, nothing more is shown or stored by this instance. */
  powerLoss(): void {
    this.#powered = false;
    this.#txn?.cancel.abort();
    this.#txn = null;
  }

  #start(command: Extract<HarnessCommand, { type: 'sale' | 'refund' }>, kind: TransactionKind): void {
    if (!this.#expect(command, ['idle'])) return;
    const { currency } = this.#deps.config;
    if (command.currency !== currency) {
      const message = `${kind} in ${command.currency} refused: the terminal works in ${currency}`;
      this.#panel.error('currency', message, command.id);
      return;
    }
    if (!Number.isSafeInteger(command.amount) || command.amount <= 0) {
      this.#panel.error('amount', `${kind} amount must be a positive whole number of minor units`, command.id);
      return;
    }
    const amount = { minor: command.amount, currency };
    this.#txn = { kind, commandId: command.id, amount, pin: '', cancel: new AbortController() };
    this.#setState('card');
    this.#panel.display(this.#panel.text('presentCard'), this.#panel.amountLine(amount));
    this.#panel.say('presentCard');
  }

  #card(command: Extract<HarnessCommand, { type: 'input.card' }>): void {
    const txn = this.#txn;
    if (!this.#expect(command, ['card']) || !txn) return;
    if (!/^\d{12,19}$/.test(command.pan) || !/^\d{4}$/.test(command.expiry)) {
      this.#panel.show('cardReadError', 'presentAgain');
      this.#panel.error('card-read', 'card not read: the PAN must be 12..19 digits and the expiry YYMM', command.id);
      return;
    }
    if (txn.card) {
      this.#panel.error('busy', 'input.card refused: the terminal is reading a card already', command.id);
      return;
    }
    const { method, pan, expiry, track2 } = command;
    txn.card = track2 ? { method, pan, expiry, track2 } : { method, pan, expiry };
    // Reading takes the configured time; the terminal stays in `card` until then (a PIN typed meanwhile is refused).
    const { cardReadMs } = this.#deps.config;
    if (cardReadMs <= 0) {
      this.#cardRead(txn);
      return;
    }
    const timer = clock.setTimeout(() => this.#cardRead(txn), cardReadMs);
    txn.cancel.signal.addEventListener('abort', () => clock.clearTimeout(timer), { once: true });
  }

  /** The card is read: a PIN prompt, or online at once (QR code, a tap at or under the no-PIN limit). */
  #cardRead(txn: Transaction): void {
    const card = txn.card;
    if (this.#txn !== txn || !this.#powered || !card) return;
    const tapNoPin = card.method === 'tap' && txn.amount.minor <= this.#deps.config.tapNoPinLimit;
    if (card.method === 'qr' || tapNoPin) {
      void this.#online(txn);
      return;
    }
    this.#askPin(txn, 'enterPin');
  }

  #keys(command: Extract<HarnessCommand, { type: 'input.keys' }>): void {
    const txn = this.#txn;
    const cancelOnly = command.keys.length > 0 && command.keys.every((k) => k === 'CANCEL');
    if (!this.#expect(command, cancelOnly ? ['card', 'pin'] : ['pin']) || !txn) return;
    for (const key of command.keys) {
      if (key === 'CANCEL') {
        this.#abort('cancelled');
        return;
      }
      if (key === 'CLEAR') txn.pin = '';
      else if (/^\d$/.test(key) && txn.pin.length < PIN_MAX) txn.pin += key;
      else if (key === 'ENTER') {
        if (txn.pin.length >= PIN_MIN) {
          void this.#online(txn);
          return;
        }
        this.#panel.show('pinTooShort', 'enterPin');
        return;
      }
    }
    this.#panel.display(this.#panel.text('enterPin'), '*'.repeat(txn.pin.length));
  }

  #askPin(txn: Transaction, prompt: 'enterPin' | 'wrongPin'): void {
    txn.pin = '';
    this.#setState('pin');
    this.#panel.display(this.#panel.text(prompt), this.#panel.amountLine(txn.amount));
    this.#panel.say(prompt);
  }

  /** Cancels the transaction in hand (abort command, CANCEL key): a request already sent is reversed (reason 17). */
  #abort(screen: 'welcome' | 'cancelled'): void {
    const txn = this.#txn;
    this.#abandon();
    this.#setState('idle');
    this.#panel.show(screen);
    if (txn) this.#finish(txn, { outcome: 'cancelled', message: this.#panel.text('cancelled') });
  }

  #abandon(): void {
    const txn = this.#txn;
    this.#txn = null;
    if (!txn) return;
    txn.pin = '';
    txn.cancel.abort();
  }

  async #online(txn: Transaction): Promise<void> {
    const { config, defects } = this.#deps;
    const card = txn.card;
    if (!card) return;
    this.#setState('online');
    this.#panel.show('processing');
    const pinBlock = txn.pin ? encryptPinBlock(txn.pin, card.pan, config.pinKey) : undefined;
    txn.pin = '';
    const request = {
      ...{ kind: txn.kind, card, amount: txn.amount, signal: txn.cancel.signal },
      // approval shown and said the moment the 0200 is written, before the host had a chance to answer
      ...(defects.has('approval-before-host')
        ? { onSent: () => this.#showApproved(txn.amount, this.#deps.clock()) }
        : {}),
    };
    const powered = () => this.#powered;
    const online = await goOnline({ ...this.#deps, powered }, pinBlock ? { ...request, pinBlock } : request);
    if (online.kind === 'abandoned' || this.#txn !== txn) return;
    const step = online.kind === 'pin-retry' ? this.#wrongPin(online.stan) : online;
    if (step.kind === 'pin-retry') {
      this.#askPin(txn, 'wrongPin');
      return;
    }
    this.#txn = null;
    this.#setState('result');
    const failure = step.kind === 'blocked' ? reversalPendingOutcome(this.#panel.language) : step.outcome;
    if (failure.outcome !== 'approved' || step.kind === 'blocked') {
      this.#panel.display(...failure.display);
      const saidApproved = failure.outcome === 'declined' && defects.has('decline-said-approved');
      this.#panel.say(saidApproved ? 'approved' : 'declined');
      if (step.kind === 'done' && failure.outcome === 'declined' && defects.has('receipt-on-decline')) {
        this.#panel.printCopies(this.#receipt(txn, card, step), ['cardholder'], false);
      }
      // the 'reprint-after-decline' defect: the declined sale becomes the receipt a reprint repeats
      if (step.kind === 'done' && failure.outcome === 'declined' && defects.has('reprint-after-decline')) {
        this.#lastReceipt = this.#receipt(txn, card, step);
      }
      this.#setState('idle');
      this.#finish(txn, { ...failure.result, ...(step.kind === 'done' ? { stan: step.stan } : {}) });
      return;
    }
    const { outcome, stan } = step;
    const receipt = this.#receipt(txn, card, step);
    this.#lastReceipt = receipt;
    this.#showApproved(txn.amount, step.at);
    this.#setState('printing');
    const copies: ReceiptCopy[] = defects.has('cardholder-copy-first')
      ? ['cardholder', 'merchant']
      : ['merchant', 'cardholder'];
    if (defects.has('double-print')) copies.push('cardholder');
    if (defects.has('result-before-receipts')) {
      this.#finish(txn, { ...outcome.result, stan });
      this.#panel.printCopies(receipt, copies, false);
      this.#setState('idle');
      return;
    }
    const fault = this.#panel.printCopies(receipt, copies, false);
    this.#setState('idle');
    const message = fault ? { message: `receipt not printed: printer ${fault}` } : {};
    this.#finish(txn, { ...outcome.result, stan, ...message });
  }

  /** A 55: ask for the PIN again, or, at the terminal's own limit, end the transaction as for 75. */
  #wrongPin(stan: string): Extract<OnlineStep, { kind: 'pin-retry' | 'done' }> {
    this.#wrongPins += 1;
    // 'unlimited-pin-retries' asks again whatever the count, as it does after a 75
    const unlimited = this.#deps.defects.has('unlimited-pin-retries');
    if (this.#wrongPins < PIN_TRY_LIMIT || unlimited) return { kind: 'pin-retry', stan };
    return { kind: 'done', stan, at: this.#deps.clock(), outcome: pinTriesExceededOutcome(this.#panel.language) };
  }

  /** The approval screen and voice prompt. */
  #showApproved(amount: Money, at: Date): void {
    this.#panel.display(this.#panel.text('approved'), this.#panel.amountLine(amount), formatLocalDateTime(at));
    this.#panel.say('approved');
  }

  #receipt(txn: Transaction, card: CardRead, step: Done): ReceiptData {
    const { merchantName, mid, tid } = this.#deps.config;
    const { rrn = '', authCode = '' } = step.outcome.result;
    const ids = { merchantName, mid, tid, pan: maskPan(card.pan), method: card.method, kind: txn.kind };
    return { ...ids, amount: txn.amount, at: step.at, stan: step.stan, rrn, authCode };
  }

  #reprint(command: HarnessCommand): void {
    if (!this.#expect(command, ['idle'])) return;
    if (this.#lastReceipt) this.#panel.printCopies(this.#lastReceipt, ['cardholder'], this.#markReprints());
    else this.#panel.error('no-receipt', 'reprint refused: no receipt has been printed yet', command.id);
  }

  /** Whether reprints carry the duplicate mark (not with the 'unmarked-reprint' defect). */
  #markReprints(): boolean {
    return !this.#deps.defects.has('unmarked-reprint');
  }

  #finish(txn: Transaction, fields: ResultFields): void {
    // the count of wrong PINs starts again with the next transaction (not after an approval: 'pin-count-kept')
    if (fields.outcome !== 'approved' || !this.#deps.defects.has('pin-count-kept')) this.#wrongPins = 0;
    const { kind: command, commandId: ref, amount } = txn;
    const pan = txn.card ? { pan: maskPan(txn.card.pan) } : {};
    const result: ResultEvent = {
      type: 'result',
      command,
      ref,
      amount: amount.minor,
      currency: amount.currency,
      ...pan,
      ...fields,
    };
    const { defects } = this.#deps;
    // what goes on the wire instead: values the spec forbids (section 6), which the link would refuse to send
    const forbidden = {
      ...(defects.has('string-amount') ? { amount: String(amount.minor) } : {}),
      ...(defects.has('clear-pan-in-result') && txn.card ? { pan: txn.card.pan } : {}),
    };
    this.#lastResult = Object.keys(forbidden).length > 0 ? encodedWith(result, forbidden) : result;
    this.#panel.send(this.#lastResult);
  }

  #expect(command: HarnessCommand, states: FirmwareState[]): boolean {
    if (states.includes(this.#state)) return true;
    const wanted = states.map((state) => STATE_WORDS[state]).join(' or ');
    const now = this.#state === 'card' && this.#txn?.card ? 'reading the card' : STATE_WORDS[this.#state];
    const message = `${command.type} refused: the terminal is ${now}, not ${wanted}`;
    this.#panel.error('wrong-state', message, command.id);
    return false;
  }

  #setState(state: FirmwareState): void {
    this.#state = state;
    this.#panel.state(state);
  }
}

/** The TID with its last digit changed ('T0000001' → 'T0000002'): what the 'info-tid-wrong' defect reports. */
function otherTid(tid: string): string {
  const last = tid.at(-1) ?? '';
  return `${tid.slice(0, -1)}${/\d/.test(last) ? (Number(last) + 1) % 10 : '0'}`;
}

/** The event as the link validates it, encoded with `fields` in place: the link validates the object, then
 * JSON.stringify calls its toJSON (the schemas keep unknown keys). How a defect puts a forbidden value on the wire. */
function encodedWith<T extends object>(event: T, fields: Record<string, unknown>): T {
  return Object.assign(event, {
    toJSON(this: T) {
      const { toJSON: _encoder, ...valid } = this as T & { toJSON?: unknown };
      return { ...valid, ...fields };
    },
  });
}
