// Reads what the ledger needs out of an ISO 8583 request: card data, PIN, amounts, dates, DE90.
//   cardRequestFrom(message, pinKey, now) → { pan, expiry, pinEntered, mid, currency, asOf, ... }

import { currencyFromNumeric } from '../../protocols/domain/money.ts';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import { decryptPinBlock } from '../../protocols/pinblock/index.ts';
import type { PurchaseRequest } from './authorization.ts';
import type { OriginalKey, ReversalRequest } from './reversal.ts';

/** Trimmed text of a field, or null when absent or blank. */
export function text(message: IsoMessage, field: number): string | null {
  const value = message.fields[field]?.trim();
  return value ? value : null;
}

/** PAN from DE2, else from the track 2 image in DE35; '' when neither is present. */
export function panOf(message: IsoMessage): string {
  const pan = text(message, 2);
  if (pan) return pan;
  return /^(\d{12,19})[=D]/.exec(text(message, 35) ?? '')?.[1] ?? '';
}

/** Expiry YYMM from DE14, else from DE35 after the separator; null when neither says. */
export function expiryOf(message: IsoMessage): string | null {
  const expiry = text(message, 14);
  if (expiry) return expiry;
  return /^\d{12,19}[=D](\d{4})/.exec(text(message, 35) ?? '')?.[1] ?? null;
}

/** Alpha currency code from DE49; null when absent; unknown numeric codes come back as 'numeric:NNN' (never a match). */
export function currencyOf(message: IsoMessage): string | null {
  const numeric = text(message, 49);
  if (numeric === null) return null;
  try {
    return currencyFromNumeric(numeric);
  } catch {
    return `numeric:${numeric}`;
  }
}

/** DE4 as minor units; null when absent. */
export function amountOf(message: IsoMessage): number | null {
  const amount = text(message, 4);
  return amount === null ? null : Number(amount);
}

/** The PIN in DE52 (ISO 9564 format 0 under pinKey); null when no PIN was sent; '' when the block cannot be read. */
export function pinOf(message: IsoMessage, pan: string, pinKey: string): string | null {
  const block = text(message, 52);
  if (block === null) return null;
  try {
    return decryptPinBlock(block, pan, pinKey);
  } catch {
    return '';
  }
}

/**
 * YYMM of the transmission date: DE7 carries no year, so take the year that puts DE7 within six months of `now`
 * (a DE7 of 1231… received on 2 January belongs to last year). Falls back to `now` when DE7 is absent or malformed.
 */
export function transmissionMonth(message: IsoMessage, now: Date): string {
  const de7 = text(message, 7);
  const nowMonth = now.getUTCMonth() + 1;
  let year = now.getUTCFullYear();
  let month = nowMonth;
  const sent = de7 && /^\d{10}$/.test(de7) ? Number(de7.slice(0, 2)) : Number.NaN;
  if (sent >= 1 && sent <= 12) {
    month = sent;
    if (month - nowMonth > 6) year -= 1;
    else if (nowMonth - month > 6) year += 1;
  }
  return `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}`;
}

/** A 0200's card request for the ledger. */
export function purchaseRequestFrom(message: IsoMessage, pinKey: string, now: Date): PurchaseRequest {
  const pan = panOf(message);
  return {
    at: now,
    mti: message.mti,
    tid: text(message, 41),
    stan: text(message, 11),
    transmission: text(message, 7),
    pan,
    expiry: expiryOf(message),
    pinEntered: pinOf(message, pan, pinKey),
    mid: text(message, 42),
    currency: currencyOf(message),
    asOf: transmissionMonth(message, now),
    amountMinor: amountOf(message) ?? 0,
  };
}

/** DE90 split into original MTI, STAN and DE7; null when absent or not 42 digits. */
export function originalKeyOf(message: IsoMessage): OriginalKey | null {
  const de90 = text(message, 90);
  if (!de90 || !/^\d{42}$/.test(de90)) return null;
  return { mti: de90.slice(0, 4), stan: de90.slice(4, 10), transmission: de90.slice(10, 20) };
}

/** A 0400's reversal request for the ledger. */
export function reversalRequestFrom(message: IsoMessage, now: Date): ReversalRequest {
  const pan = panOf(message);
  return {
    at: now,
    mti: message.mti,
    tid: text(message, 41),
    stan: text(message, 11),
    transmission: text(message, 7),
    original: originalKeyOf(message),
    pan: pan || null,
    mid: text(message, 42),
    amountMinor: amountOf(message),
    currency: currencyOf(message),
  };
}
