// ISO 8583 requests as a terminal sends them (0200 sale, 0400 reversal, 0800 echo), for tests against the acquirer.
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import { encryptPinBlock } from '../../protocols/pinblock/index.ts';
import type { CardAccountSeed } from '../../simulators/acquirer/index.ts';
import { MID, TID } from './bankFixture.ts';

/** The DE7 (transmission date and time, MMDDhhmmss) the requests carry unless told otherwise. */
export const DE7 = '0504100000';

export interface SaleOptions {
  stan: string;
  pin?: string | null; // the PIN entered (default the card's); null: no PIN (tap, DE22 071, no DE52)
  de7?: string;
  tid?: string;
  expiry?: string; // default the card's
}

/** A 0200 purchase of amountMinor fen (CNY) at the test merchant, with a PIN block unless pin is null. */
export function saleRequest(card: CardAccountSeed, amountMinor: number, options: SaleOptions): IsoMessage {
  const pin = options.pin === undefined ? card.pin : options.pin;
  const fields: IsoMessage['fields'] = {
    2: card.pan,
    3: '000000',
    4: String(amountMinor).padStart(12, '0'),
    7: options.de7 ?? DE7,
    11: options.stan,
    12: '180000',
    13: '0504',
    14: options.expiry ?? card.expiry,
    22: pin === null ? '071' : '051',
    25: '00',
    41: options.tid ?? TID,
    42: MID,
    49: '156',
  };
  if (pin !== null) fields[52] = encryptPinBlock(pin, card.pan);
  return { mti: '0200', fields };
}

/** The 0400 a terminal sends for an original request: DE11 is the original STAN, DE90 the original data elements. */
export function reversalOf(original: IsoMessage, de7 = '0504100100'): IsoMessage {
  const f = original.fields;
  return {
    mti: '0400',
    fields: {
      2: f[2],
      3: f[3],
      4: f[4],
      7: de7,
      11: f[11],
      39: '98',
      41: f[41],
      42: f[42],
      49: f[49],
      90: `${original.mti}${f[11]}${f[7]}${'0'.repeat(22)}`,
    },
  };
}

/** A 0800 echo test (DE70 301) with this STAN. */
export function echoRequest(stan: string): IsoMessage {
  return { mti: '0800', fields: { 7: DE7, 11: stan, 41: TID, 70: '301' } };
}

/** A STAN counter: each call returns the next six-digit STAN, from 000001. */
export function stanCounter(): () => string {
  let stan = 0;
  return () => String(++stan).padStart(6, '0');
}
