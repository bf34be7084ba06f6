// The terminal firmware's state machine: idle → card → pin → online → result → printing → idle.
// Commands in the wrong state are refused with an `error` event naming the state. Events leave through `emit`
// (without ids; the link adds them) in the order the harness must see them: display/voice/print, then `result` last.
//   const fw = new Firmware({ config, emit, host, stans, reversals, clock });
//   fw.handle({ type: 'sale', id: '1', amount: 10000, currency: 'CNY' });

import type { Money } from '../../protocols/domain/money.ts';
import { maskPan } from '../../protocols/domain/pan.ts';
import type { HarnessCommand } from '../../protocols/ecr/index.ts';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import { encryptPinBlock } from '../../protocols/pinblock/index.ts';
import { type Clock, formatLocalDateTime } from './clock.ts';
import type { ResolvedTerminalConfig } from './config.ts';
import { FrontPanel, type TerminalEventBody } from './frontPanel.ts';
import type { HostReply } from './hostClient.ts';
import { type CardRead, financialRequest } from './isoRequest.ts';
import { outcomeOf } from './outcome.ts';
import type { ReceiptData, TransactionKind } from './receipt.ts';
import type { ReversalStore } from './reversalStore.ts';
import type { StanCounter } from './stan.ts';

export type { TerminalEventBody } from './frontPanel.ts';
export type FirmwareState = 'idle' | 'card' | 'pin' | 'online' | 'result' | 'printing';
type ResultEvent = Extract<TerminalEventBody, { type: 'result' }>;
type ResultFields = Omit<ResultEvent, 'type' | 'command' | 'ref' | 'amount' | 'currency' | 'pan'>;

/** The acquirer as the firmware needs it: one request in, one reply out. */
export interface HostExchange {
  exchange(request: IsoMessage): Promise<HostReply>;
}

export interface FirmwareDeps {
  config: ResolvedTerminalConfig;
  emit: (event: TerminalEventBody) => void;
  host: HostExchange;
  stans: StanCounter;
  reversals: ReversalStore;
  clock: Clock;
}

interface Transaction {
  token: number;
  kind: TransactionKind;
  commandId: string;
  amount: Money;
  card?: CardRead;
  pin: string;
  stan?: string;
}

const PIN_MIN = 4;
const PIN_MAX = 12;
/** DE39 reason recorded when a transaction already sent to the host is abandoned (customer cancellation). */
const REVERSAL_CANCELLED = '17';
const CAPABILITIES = ['swipe', 'chip', 'tap', 'qr', 'pin', 'printer', 'voice'];

/** The simulated firmware: takes harness commands, talks to the host, emits what a cardholder would see and hear. */
export class Firmware {
  readonly #deps: FirmwareDeps;
  readonly #panel: FrontPanel;
  #state: FirmwareState = 'idle';
  #txn: Transaction | null = null;
  #tokens = 0;
  #lastReceipt: ReceiptData | null = null;
  #lastResult: ResultEvent | null = null;

  constructor(deps: FirmwareDeps) {
    this.#deps = deps;
    this.#panel = new FrontPanel(deps.config.language, deps.emit);
  }

  /** The current state. */
  get state(): FirmwareState {
    return this.#state;
  }

  /** Handles one harness command (asynchronous work such as the online phase continues in the background). */
  handle(command: HarnessCommand): void {
    switch (command.type) {
      case 'hello':
        this.#info();
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
        this.#abort();
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
        break;
      case 'void':
      case 'settle':
        this.#panel.error('unsupported', `${command.type} is not supported by this firmware`, command.id);
        break;
    }
  }

  /** Back to idle without a word: the transaction in hand is abandoned, the printer fixed, STAN kept. */
  reset(): void {
    this.#abandon();
    this.#state = 'idle';
    this.#panel.printer.reset();
    this.#lastReceipt = null;
    this.#lastResult = null;
  }

  #info(): void {
    const { model, serial, firmware, language, tid } = this.#deps.config;
    this.#panel.send({
      type: 'info',
      model,
      serial,
      firmware,
      protocol: '1',
      capabilities: CAPABILITIES,
      language,
      tid,
    });
  }

  #start(command: Extract<HarnessCommand, { type: 'sale' | 'refund' }>, kind: TransactionKind): void {
    if (!this.#expect(command, ['idle'])) return;
    const { currency } = this.#deps.config;
    if (command.currency !== currency) {
      this.#panel.error(
        'currency',
        `${kind} in ${command.currency} refused: the terminal works in ${currency}`,
        command.id,
      );
      return;
    }
    if (!Number.isSafeInteger(command.amount) || command.amount <= 0) {
      this.#panel.error('amount', `${kind} amount must be a positive whole number of minor units`, command.id);
      return;
    }
    const amount = { minor: command.amount, currency };
    this.#txn = { token: ++this.#tokens, kind, commandId: command.id, amount, pin: '' };
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
    const { method, pan, expiry, track2 } = command;
    txn.card = track2 ? { method, pan, expiry, track2 } : { method, pan, expiry };
    if (!this.#needsPin(method, txn.amount)) {
      void this.#online(txn);
      return;
    }
    this.#setState('pin');
    this.#panel.display(this.#panel.text('enterPin'), this.#panel.amountLine(txn.amount));
    this.#panel.say('enterPin');
  }

  #keys(command: Extract<HarnessCommand, { type: 'input.keys' }>): void {
    const txn = this.#txn;
    const cancelOnly = command.keys.length > 0 && command.keys.every((k) => k === 'CANCEL');
    if (!this.#expect(command, cancelOnly ? ['card', 'pin'] : ['pin']) || !txn) return;
    for (const key of command.keys) {
      if (key === 'CANCEL') {
        this.#cancel(txn);
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

  #abort(): void {
    const txn = this.#txn;
    this.#abandon();
    this.#setState('idle');
    this.#panel.show('welcome');
    if (txn) this.#finish(txn, { outcome: 'cancelled', message: this.#panel.text('cancelled') });
  }

  #cancel(txn: Transaction): void {
    this.#txn = null;
    txn.pin = '';
    this.#setState('idle');
    this.#panel.show('cancelled');
    this.#finish(txn, { outcome: 'cancelled', message: this.#panel.text('cancelled') });
  }

  /** Drops the transaction in hand; one already sent to the host is marked for reversal. */
  #abandon(): void {
    const txn = this.#txn;
    this.#txn = null;
    if (!txn) return;
    txn.pin = '';
    if (txn.stan && this.#state === 'online') this.#deps.reversals.markDue(txn.stan, REVERSAL_CANCELLED);
  }

  async #online(txn: Transaction): Promise<void> {
    const { config, stans, reversals, clock, host } = this.#deps;
    const card = txn.card;
    if (!card) return;
    this.#setState('online');
    this.#panel.show('processing');
    const at = clock();
    const stan = stans.next();
    txn.stan = stan;
    const pinBlock = txn.pin ? encryptPinBlock(txn.pin, card.pan, config.pinKey) : undefined;
    txn.pin = '';
    const { tid, mid } = config;
    const request = financialRequest({ kind: txn.kind, card, amount: txn.amount, stan, at, tid, mid, pinBlock });
    reversals.arm({ stan, transmission: request.fields[7] ?? '', request, armedAt: at });
    let reply: HostReply;
    try {
      reply = await host.exchange(request);
    } catch (error) {
      reply = { kind: 'unreachable', reason: (error as Error).message };
    }
    if (this.#txn?.token !== txn.token) {
      // abandoned meanwhile (abort, reset): reverse only what the host may have approved
      const declined = reply.kind === 'response' && reply.message.fields[39] !== '00';
      if (reply.kind === 'unreachable' || declined) reversals.clear(stan);
      return;
    }
    const outcome = outcomeOf(reply, this.#panel.language);
    if (outcome.reversal) reversals.markDue(stan, outcome.reversal);
    else reversals.clear(stan);
    this.#txn = null;
    this.#setState('result');
    if (outcome.outcome !== 'approved') {
      this.#panel.display(...outcome.display);
      this.#panel.say('declined');
      this.#setState('idle');
      this.#finish(txn, { ...outcome.result, stan });
      return;
    }
    const receipt: ReceiptData = {
      ...{ merchantName: config.merchantName, mid, tid, pan: maskPan(card.pan), method: card.method, kind: txn.kind },
      ...{ amount: txn.amount, at, stan, rrn: outcome.result.rrn ?? '', authCode: outcome.result.authCode ?? '' },
    };
    this.#lastReceipt = receipt;
    this.#panel.display(this.#panel.text('approved'), this.#panel.amountLine(txn.amount), formatLocalDateTime(at));
    this.#panel.say('approved');
    this.#setState('printing');
    const fault = this.#panel.printCopies(receipt, ['merchant', 'cardholder'], false);
    this.#setState('idle');
    const message = fault ? { message: `receipt not printed: printer ${fault}` } : {};
    this.#finish(txn, { ...outcome.result, stan, ...message });
  }

  #reprint(command: HarnessCommand): void {
    if (!this.#expect(command, ['idle'])) return;
    if (this.#lastReceipt) this.#panel.printCopies(this.#lastReceipt, ['cardholder'], true);
    else this.#panel.error('no-receipt', 'reprint refused: no receipt has been printed yet', command.id);
  }

  #finish(txn: Transaction, fields: ResultFields): void {
    const result: ResultEvent = {
      type: 'result',
      command: txn.kind,
      ref: txn.commandId,
      amount: txn.amount.minor,
      currency: txn.amount.currency,
      ...(txn.card ? { pan: maskPan(txn.card.pan) } : {}),
      ...fields,
    };
    this.#lastResult = result;
    this.#panel.send(result);
  }

  #needsPin(method: CardRead['method'], amount: Money): boolean {
    if (method === 'qr') return false;
    if (method === 'tap') return amount.minor > this.#deps.config.tapNoPinLimit;
    return true;
  }

  #expect(command: HarnessCommand, states: FirmwareState[]): boolean {
    if (states.includes(this.#state)) return true;
    const wanted = states.join(' or ');
    const message = `${command.type} refused: the terminal is ${this.#state} (needs ${wanted})`;
    this.#panel.error('wrong-state', message, command.id);
    return false;
  }

  #setState(state: FirmwareState): void {
    this.#state = state;
    this.#panel.state(state);
  }
}
