// ISO87B: ISO 8583:1987 in binary, as jPOS ISO87BPackager (= iso87binary.xml) lays it out. The field table is the same
// as ASCII-87's (ascii87.ts): jPOS uses, row for row, the binary twin of each ASCII field class with the same length —
// IFB_NUMERIC for IFA_NUMERIC, IFB_LLNUM for IFA_LLNUM, IFB_LLCHAR / IFB_LLLCHAR for IFA_LLCHAR / IFA_LLLCHAR,
// IFB_AMOUNT for IFA_AMOUNT, IFB_BINARY for IFA_BINARY, IF_CHAR for IF_CHAR — so only the wire encoding differs.
//   packIso({ mti: '0800', fields: { 11: '000001', 70: '301' } }, ISO87B)
//     → 0800 | 8020000000000000 | 0400000000000000 | 000001 | 0301   (MTI, bitmaps, DE11, DE70)

import { ASCII87_FIELDS } from './ascii87.ts';
import { binaryEncoding } from './binaryEncoding.ts';
import type { PackagerSpec } from './spec.ts';

/** jPOS ISO87BPackager: BCD numerics, binary bitmap, BCD LL/LLL lengths, ASCII text, raw binary fields. DE28–31/DE97
 * may carry a digit where the C/D sign goes, as jPOS itself writes them. */
export const ISO87B: PackagerSpec = Object.freeze({
  name: 'ISO87B',
  fields: ASCII87_FIELDS,
  encoding: binaryEncoding,
  unsignedAmounts: true,
});
