// ISO 8583 requests the terminal sends: the 0200 financial request (purchase, refund) built from the card and amount.
//   financialRequest({ kind: 'sale', card, amount, stan: '000001', at, tid: 'T0000001', mid: '898310048160001' })
//     → { mti: '0200', fields: { 2: pan, 3: '000000', 4: '000000010000', 11: '000001', 22: '021', ... } }

import type { Money } from '../../protocols/domain/money.ts';
import { currencyInfo } from '../../protocols/domain/money.ts';
import type { CardMethod } from '../../protocols/ecr/index.ts';
import { type IsoMessage, localDate, localTime, transmissionDateTime } from '../../protocols/iso8583/index.ts';
import { midField, tidField } from './config.ts';
import type { TransactionKind } from './receipt.ts';

/** A card as the reader captured it. */
export interface CardRead {
  method: CardMethod;
  pan: string;
  /** YYMM */
  expiry: string;
  track2?: string;
}

export interface FinancialRequestInput {
  kind: TransactionKind;
  card: CardRead;
  amount: Money;
  stan: string;
  at: Date;
  tid: string;
  mid: string;
  /** encrypted PIN block, 16 hex, when the cardholder entered a PIN */
  pinBlock?: string;
}

/** DE22 point-of-service entry mode per card method. */
export const ENTRY_MODES: Readonly<Record<CardMethod, string>> = { swipe: '021', chip: '051', tap: '071', qr: '031' };

/** DE3 processing code per transaction kind. */
export const PROCESSING_CODES: Readonly<Record<TransactionKind, string>> = { sale: '000000', refund: '200000' };

const TRACK2_MAX = 37;

/** Track 2 equivalent data for a swiped card: PAN '=' YYMM, service code 101, zero discretionary data. */
export function track2For(card: CardRead): string {
  return card.track2 ?? `${card.pan}=${card.expiry}101${'0'.repeat(TRACK2_MAX)}`.slice(0, TRACK2_MAX);
}

/** Builds the 0200 for a purchase or refund. */
export function financialRequest(input: FinancialRequestInput): IsoMessage {
  const { card, amount, at } = input;
  const fields: IsoMessage['fields'] = {
    2: card.pan,
    3: PROCESSING_CODES[input.kind],
    4: String(amount.minor).padStart(12, '0'),
    7: transmissionDateTime(at),
    11: input.stan,
    12: localTime(at),
    13: localDate(at),
    14: card.expiry,
    22: ENTRY_MODES[card.method],
    25: '00',
    41: tidField(input.tid),
    42: midField(input.mid),
    49: currencyInfo(amount.currency).numeric,
  };
  if (card.method === 'swipe') fields[35] = track2For(card);
  if (input.pinBlock) fields[52] = input.pinBlock;
  return { mti: '0200', fields };
}

/** The original-data-elements field (DE90): original MTI + STAN + DE7, then 22 zeros (acquirer ID fields unused). */
export function originalDataElements(original: IsoMessage): string {
  const { 7: transmission = '', 11: stan = '' } = original.fields;
  return `${original.mti}${stan}${transmission}${'0'.repeat(22)}`;
}

/** Builds the 0400 reversing a stored original: its fields, a new DE7, the ORIGINAL STAN, DE39 reason, DE90. */
export function reversalRequest(original: IsoMessage, reason: string, at: Date): IsoMessage {
  return {
    mti: '0400',
    fields: { ...original.fields, 7: transmissionDateTime(at), 39: reason, 90: originalDataElements(original) },
  };
}

/** Builds the 0800 sign-on (DE70 '001') the terminal sends at power-up. */
export function signOnRequest(input: { stan: string; at: Date; tid: string; mid: string }): IsoMessage {
  const fields: IsoMessage['fields'] = {
    7: transmissionDateTime(input.at),
    11: input.stan,
    41: tidField(input.tid),
    42: midField(input.mid),
    70: '001',
  };
  return { mti: '0800', fields };
}
