// The BankProbe of a host posrig does not run — an acquirer's test host, or `posrig sim host` — read by ISO 8583
// balance inquiry: a 0200 with DE3 310000 (card, expiry, PIN block; no DE4), answered by a 0210 whose DE54 holds the
// available balance. The probe is a terminal of its own: DE41 'POSRIGPB' unless told, its own STANs, DE7 the time now,
// one connection per inquiry. The merchant's balance only by posrig's extension (merchant: true — a balance inquiry
// with no card, DE42 the MID; docs/host.md). A real host's books are the acquirer's: setting a balance, scripting a
// decline or reading the journal is refused with a RigFault that says so.
//   const bank = new IsoBankProbe({ address: { host: '10.0.0.5', port: 5000 }, mid, currency: 'CNY', cards });
//   await bank.balance(cards.get('alice'));  // { minor: 50000, currency: 'CNY' }

import { randomInt } from 'node:crypto';
import { currencyInfo, formatMoney, type Money, sameMoney } from '../../protocols/domain/money.ts';
import { maskPan } from '../../protocols/domain/pan.ts';
import {
  AdditionalAmountsError,
  availableBalance,
  type IsoFields,
  type IsoMessage,
  localDate,
  localTime,
  type Packaging,
  responseCodeText,
  transmissionDateTime,
} from '../../protocols/iso8583/index.ts';
import { encryptPinBlock, TEST_PIN_KEY } from '../../protocols/pinblock/index.ts';
import type { CardBook, TestCard } from '../file/cardBook.ts';
import { RigFault } from '../verdict/culprit.ts';
import type { BankJournalEntry, BankProbe } from './bankProbe.ts';
import { exchangeIso, IsoExchangeError } from './isoExchange.ts';

/** The probe's terminal ID (DE41) unless the rig names another: never the terminal's, so STANs never mix. */
export const PROBE_TID = 'POSRIGPB';

export interface IsoBankProbeOptions {
  readonly address: { readonly host: string; readonly port: number };
  readonly mid: string; // DE42: the rig's merchant
  readonly currency: string; // DE49, ISO 4217 alphabetic (the rig's currency)
  readonly cards: CardBook; // PAN, expiry and PIN of every card the probe may be asked about
  readonly tid?: string; // DE41, default PROBE_TID
  readonly pinKey?: string; // the host's PIN key (3DES, 32 or 48 hex) for DE52; default the built-in TEST_PIN_KEY
  readonly merchant?: boolean; // ask the merchant's balance by posrig's extension; default false
  readonly pin?: boolean; // send the card's PIN in DE52; default true (a real host wants it)
  readonly packaging?: Packaging; // default 'ascii'
  readonly tpdu?: Uint8Array; // binary packaging: the TPDU to send
  readonly timeoutMs?: number; // to connect, and for the answer; default 10 000
  readonly now?: () => Date; // DE7, DE12, DE13; default the real clock
}

type Inquiry = { balance: Money } | { refused: string };

export class IsoBankProbe implements BankProbe {
  private readonly options: IsoBankProbeOptions;
  private readonly tid: string;
  private readonly currencyNumeric: string;
  private readonly where: string;
  private stan = randomInt(0, 999_999); // a random start: a second probe in the same second never repeats a request key

  /** RigFault for a currency posrig does not know (bank.probe.iso8583). */
  constructor(options: IsoBankProbeOptions) {
    this.options = options;
    this.tid = options.tid ?? PROBE_TID;
    try {
      this.currencyNumeric = currencyInfo(options.currency).numeric;
    } catch (error) {
      throw new RigFault(`bank.probe.iso8583: ${(error as Error).message}`);
    }
    const { host, port } = options.address;
    this.where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }

  /** Refused unless the host already holds this balance: a real host's test cards are funded by the acquirer. */
  async setBalance(card: TestCard, amount: Money): Promise<void> {
    const now = await this.balance(card);
    if (sameMoney(now, amount)) return;
    throw new RigFault(
      `card "${card.alias}" (${maskPan(card.pan)}): the host at ${this.where} holds ${formatMoney(now)}, the scenario ` +
        `wants ${formatMoney(amount)}; a real host's test cards are funded by the acquirer, posrig cannot set them ` +
        '(bank.probe.iso8583)',
    );
  }

  /** The card's available balance by balance inquiry; RigFault when the host declines it (DE39 and its meaning). */
  async balance(card: TestCard): Promise<Money> {
    const answer = await this.inquire(this.cardFields(card), `card "${card.alias}" (${maskPan(card.pan)})`);
    if ('balance' in answer) return answer.balance;
    const hint = /DE39 (55|75)\b/.test(answer.refused)
      ? `; is the PIN in ${this.options.cards.file} the card's, and the PIN key the host's?`
      : '';
    throw new RigFault(
      `the host at ${this.where} refused the balance inquiry for card "${card.alias}" (${maskPan(card.pan)}): ` +
        `${answer.refused}${hint} (bank.probe.iso8583)`,
    );
  }

  /** The merchant's balance by posrig's extension; RigFault when it is off or the host does not answer it. */
  async merchantBalance(): Promise<Money> {
    const problem = `the host at ${this.where} does not report the merchant's balance (bank.probe.iso8583.merchant)`;
    if (!this.options.merchant) {
      throw new RigFault(
        `${problem}: merchant is off — turn it on for a host that answers posrig's merchant balance inquiry (docs/host.md)`,
      );
    }
    const answer = await this.inquire({}, `merchant ${this.options.mid}`);
    if ('balance' in answer) return answer.balance;
    throw new RigFault(`${problem}: it answered the merchant balance inquiry with ${answer.refused}`);
  }

  /** Every card the host reports (cards it declines are left out) and, with merchant on, the merchant if it answers. */
  async balances(): Promise<Map<string, Money>> {
    const balances = new Map<string, Money>();
    for (const card of this.options.cards.all()) {
      const answer = await this.inquire(this.cardFields(card), `card "${card.alias}" (${maskPan(card.pan)})`);
      if ('balance' in answer) balances.set(`card:${card.alias}`, answer.balance);
    }
    if (this.options.merchant) {
      const answer = await this.inquire({}, `merchant ${this.options.mid}`);
      if ('balance' in answer) balances.set(`merchant:${this.options.mid}`, answer.balance);
    }
    return balances;
  }

  /** A real host does not show its journal. */
  async journal(): Promise<BankJournalEntry[] | undefined> {
    return undefined;
  }

  /** Refused: only a simulated bank can be scripted. */
  async declineNextPurchase(responseCode: string): Promise<void> {
    throw new RigFault(
      `posrig cannot tell a real host to decline (the next purchase with response code ${responseCode}): the host at ` +
        `${this.where} is read by balance inquiry only (bank.probe.iso8583); run this scenario on a rig whose bank is simulated`,
    );
  }

  /** Nothing to do: a real host's books are not posrig's to reset. */
  async reset(): Promise<void> {}

  /** DE2, DE14, DE22 and, with the PIN on (default), DE52 of a card's inquiry. */
  private cardFields(card: TestCard): IsoFields {
    const withPin = this.options.pin ?? true;
    const fields: IsoFields = { 2: card.pan, 14: card.expiry, 22: withPin ? '011' : '012' };
    if (withPin) fields[52] = encryptPinBlock(card.pin, card.pan, this.options.pinKey ?? TEST_PIN_KEY);
    return fields;
  }

  /** One balance inquiry; the balance, or why the host refused it. RigFault when the host cannot be asked. */
  private async inquire(own: IsoFields, what: string): Promise<Inquiry> {
    const request = this.request(own);
    let answer: IsoMessage;
    try {
      answer = await exchangeIso(request, {
        address: this.options.address,
        timeoutMs: this.options.timeoutMs ?? 10_000,
        ...(this.options.packaging ? { packaging: this.options.packaging } : {}),
        ...(this.options.tpdu ? { tpdu: this.options.tpdu } : {}),
      });
    } catch (error) {
      if (!(error instanceof IsoExchangeError)) throw error;
      throw new RigFault(
        `bank.probe.iso8583: cannot ask the host at ${this.where} for the balance of ${what} ` +
          `(STAN ${request.fields[11]}): ${error.message}`,
      );
    }
    const code = answer.fields[39];
    if (code !== '00') return { refused: code ? `DE39 ${code} (${responseCodeText(code)})` : 'a 0210 without DE39' };
    const de54 = answer.fields[54];
    if (de54 === undefined) return { refused: 'DE39 00 but no DE54 (additional amounts)' };
    try {
      return { balance: availableBalance(de54) };
    } catch (error) {
      if (!(error instanceof AdditionalAmountsError)) throw error;
      throw new RigFault(
        `the host at ${this.where} answered the balance inquiry for ${what} with DE54 "${de54}": ${error.message} ` +
          '(bank.probe.iso8583)',
      );
    }
  }

  /** A balance inquiry 0200 with the next STAN and the time now; `own` adds the card fields (none: the merchant). */
  private request(own: IsoFields): IsoMessage {
    const at = this.options.now?.() ?? new Date();
    this.stan = this.stan >= 999_999 ? 1 : this.stan + 1;
    const fields: IsoFields = {
      3: '310000',
      7: transmissionDateTime(at),
      11: String(this.stan).padStart(6, '0'),
      12: localTime(at),
      13: localDate(at),
      25: '00',
      41: this.tid,
      42: this.options.mid,
      49: this.currencyNumeric,
      ...own,
    };
    return { mti: '0200', fields };
  }
}
