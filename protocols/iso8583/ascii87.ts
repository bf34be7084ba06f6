// ASCII87: ISO 8583:1987 in ASCII, field by field as jPOS iso87ascii.xml (ISO87APackager) defines it.
// Each row names the jPOS field packager class it mirrors, so the table can be audited line by line against the XML.
// Names are jPOS's, in sentence case with its typos fixed. DE35 is IFA_LLNUM in jPOS; its content is track 2 ('z': digits, '=').

import { asciiEncoding } from './asciiEncoding.ts';
import type { FieldContent, FieldSpec, PackagerSpec } from './spec.ts';

const fixed = (content: FieldContent, length: number, name: string): FieldSpec => ({
  name,
  kind: 'fixed',
  length,
  content,
});
const ll = (content: FieldContent, length: number, name: string): FieldSpec => ({
  name,
  kind: 'llvar',
  length,
  content,
});
const lll = (content: FieldContent, length: number, name: string): FieldSpec => ({
  name,
  kind: 'lllvar',
  length,
  content,
});

// jPOS class → kind + content
const ifaNumeric = (length: number, name: string) => fixed('n', length, name);
const ifChar = (length: number, name: string) => fixed('ans', length, name);
const ifaAmount = (length: number, name: string) => fixed('x+n', length, name); // length includes the C/D sign
const ifaBinary = (bytes: number, name: string) => fixed('b', bytes, name); // 2 hex chars per byte on the wire
const ifaLlnum = (max: number, name: string) => ll('n', max, name);
const ifaLlchar = (max: number, name: string) => ll('ans', max, name);
const ifaLllchar = (max: number, name: string) => lll('ans', max, name);
const track2 = (max: number, name: string) => ll('z', max, name); // jPOS IFA_LLNUM

const RESERVED: Record<number, FieldSpec> = {};
for (let f = 105; f <= 111; f++) RESERVED[f] = ifaLllchar(999, 'Reserved ISO use');
for (let f = 112; f <= 119; f++) RESERVED[f] = ifaLllchar(999, 'Reserved national use');
for (let f = 120; f <= 127; f++) RESERVED[f] = ifaLllchar(999, 'Reserved private use');

/** The ASCII-87 field table, DE2..DE128. */
export const ASCII87_FIELDS: Readonly<Record<number, FieldSpec>> = Object.freeze({
  2: ifaLlnum(19, 'Primary account number'),
  3: ifaNumeric(6, 'Processing code'),
  4: ifaNumeric(12, 'Amount, transaction'),
  5: ifaNumeric(12, 'Amount, settlement'),
  6: ifaNumeric(12, 'Amount, cardholder billing'),
  7: ifaNumeric(10, 'Transmission date and time'),
  8: ifaNumeric(8, 'Amount, cardholder billing fee'),
  9: ifaNumeric(8, 'Conversion rate, settlement'),
  10: ifaNumeric(8, 'Conversion rate, cardholder billing'),
  11: ifaNumeric(6, 'System trace audit number'),
  12: ifaNumeric(6, 'Time, local transaction'),
  13: ifaNumeric(4, 'Date, local transaction'),
  14: ifaNumeric(4, 'Date, expiration'),
  15: ifaNumeric(4, 'Date, settlement'),
  16: ifaNumeric(4, 'Date, conversion'),
  17: ifaNumeric(4, 'Date, capture'),
  18: ifaNumeric(4, 'Merchant type'),
  19: ifaNumeric(3, 'Acquiring institution country code'),
  20: ifaNumeric(3, 'PAN extended country code'),
  21: ifaNumeric(3, 'Forwarding institution country code'),
  22: ifaNumeric(3, 'Point of service entry mode'),
  23: ifaNumeric(3, 'Card sequence number'),
  24: ifaNumeric(3, 'Network international identifier'),
  25: ifaNumeric(2, 'Point of service condition code'),
  26: ifaNumeric(2, 'Point of service PIN capture code'),
  27: ifaNumeric(1, 'Authorization identification response length'),
  28: ifaAmount(9, 'Amount, transaction fee'),
  29: ifaAmount(9, 'Amount, settlement fee'),
  30: ifaAmount(9, 'Amount, transaction processing fee'),
  31: ifaAmount(9, 'Amount, settlement processing fee'),
  32: ifaLlnum(11, 'Acquiring institution identification code'),
  33: ifaLlnum(11, 'Forwarding institution identification code'),
  34: ifaLlchar(28, 'PAN extended'),
  35: track2(37, 'Track 2 data'),
  36: ifaLllchar(104, 'Track 3 data'),
  37: ifChar(12, 'Retrieval reference number'),
  38: ifChar(6, 'Authorization identification response'),
  39: ifChar(2, 'Response code'),
  40: ifChar(3, 'Service restriction code'),
  41: ifChar(8, 'Card acceptor terminal identification'),
  42: ifChar(15, 'Card acceptor identification code'),
  43: ifChar(40, 'Card acceptor name/location'),
  44: ifaLlchar(25, 'Additional response data'),
  45: ifaLlchar(76, 'Track 1 data'),
  46: ifaLllchar(999, 'Additional data - ISO'),
  47: ifaLllchar(999, 'Additional data - national'),
  48: ifaLllchar(999, 'Additional data - private'),
  49: ifChar(3, 'Currency code, transaction'),
  50: ifChar(3, 'Currency code, settlement'),
  51: ifChar(3, 'Currency code, cardholder billing'),
  52: ifaBinary(8, 'PIN data'),
  53: ifaNumeric(16, 'Security related control information'),
  54: ifaLllchar(120, 'Additional amounts'),
  55: ifaLllchar(999, 'Reserved ISO'),
  56: ifaLllchar(999, 'Reserved ISO'),
  57: ifaLllchar(999, 'Reserved national'),
  58: ifaLllchar(999, 'Reserved national'),
  59: ifaLllchar(999, 'Reserved national'),
  60: ifaLllchar(999, 'Reserved private'),
  61: ifaLllchar(999, 'Reserved private'),
  62: ifaLllchar(999, 'Reserved private'),
  63: ifaLllchar(999, 'Reserved private'),
  64: ifaBinary(8, 'Message authentication code'),
  65: ifaBinary(1, 'Bitmap, extended'),
  66: ifaNumeric(1, 'Settlement code'),
  67: ifaNumeric(2, 'Extended payment code'),
  68: ifaNumeric(3, 'Receiving institution country code'),
  69: ifaNumeric(3, 'Settlement institution country code'),
  70: ifaNumeric(3, 'Network management information code'),
  71: ifaNumeric(4, 'Message number'),
  72: ifaNumeric(4, 'Message number, last'),
  73: ifaNumeric(6, 'Date, action'),
  74: ifaNumeric(10, 'Credits, number'),
  75: ifaNumeric(10, 'Credits, reversal number'),
  76: ifaNumeric(10, 'Debits, number'),
  77: ifaNumeric(10, 'Debits, reversal number'),
  78: ifaNumeric(10, 'Transfer, number'),
  79: ifaNumeric(10, 'Transfer, reversal number'),
  80: ifaNumeric(10, 'Inquiries, number'),
  81: ifaNumeric(10, 'Authorizations, number'),
  82: ifaNumeric(12, 'Credits, processing fee amount'),
  83: ifaNumeric(12, 'Credits, transaction fee amount'),
  84: ifaNumeric(12, 'Debits, processing fee amount'),
  85: ifaNumeric(12, 'Debits, transaction fee amount'),
  86: ifaNumeric(16, 'Credits, amount'),
  87: ifaNumeric(16, 'Credits, reversal amount'),
  88: ifaNumeric(16, 'Debits, amount'),
  89: ifaNumeric(16, 'Debits, reversal amount'),
  90: ifaNumeric(42, 'Original data elements'),
  91: ifChar(1, 'File update code'),
  92: ifChar(2, 'File security code'),
  93: ifChar(6, 'Response indicator'),
  94: ifChar(7, 'Service indicator'),
  95: ifChar(42, 'Replacement amounts'),
  96: ifaBinary(16, 'Message security code'),
  97: ifaAmount(17, 'Amount, net settlement'),
  98: ifChar(25, 'Payee'),
  99: ifaLlnum(11, 'Settlement institution identification code'),
  100: ifaLlnum(11, 'Receiving institution identification code'),
  101: ifaLlchar(17, 'File name'),
  102: ifaLlchar(28, 'Account identification 1'),
  103: ifaLlchar(28, 'Account identification 2'),
  104: ifaLllchar(100, 'Transaction description'),
  ...RESERVED,
  128: ifaBinary(8, 'Message authentication code 2'),
});

/** jPOS iso87ascii.xml: MTI 4 ASCII digits, bitmaps 16 hex chars, LL/LLL ASCII prefixes, binary as hex text. */
export const ASCII87: PackagerSpec = Object.freeze({
  name: 'ASCII-87',
  fields: ASCII87_FIELDS,
  encoding: asciiEncoding,
});
