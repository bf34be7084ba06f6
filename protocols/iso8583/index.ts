// ISO 8583 (terminal ↔ acquirer): spec-driven codec, ASCII-87 and binary ISO87B packagers, TCP framing with the TPDU,
// response codes, time fields, request → response MTI, DE54 additional amounts.

export {
  type AdditionalAmount,
  AdditionalAmountsError,
  availableBalance,
  availableBalanceAmounts,
  formatAdditionalAmounts,
  parseAdditionalAmounts,
} from './additionalAmounts.ts';
export { ASCII87, ASCII87_FIELDS } from './ascii87.ts';
export { asciiEncoding } from './asciiEncoding.ts';
export { ISO87B } from './binary87.ts';
export { binaryEncoding } from './binaryEncoding.ts';
export { fieldLabel, fieldName, type IsoFields, type IsoMessage, packIso, unpackIso } from './codec.ts';
export { describeIso, maskIsoMessage, maskTrack } from './describe.ts';
export { IsoError } from './errors.ts';
export {
  answerTpdu,
  DEFAULT_TPDU,
  frameForTcp,
  TcpDeframer,
  TPDU_ID,
  TPDU_LENGTH,
  tpduProblem,
} from './framing.ts';
export { responseMti } from './mti.ts';
export {
  deframerFor,
  frameBody,
  frameMessage,
  isPackaging,
  PACKAGINGS,
  type Packaging,
  packagerFor,
  packMessage,
  unpackMessage,
  usesTpdu,
} from './packaging.ts';
export { RESPONSE_CODES, responseCodeText } from './responseCodes.ts';
export type { FieldContent, FieldSpec, PackagerSpec, WireEncoding } from './spec.ts';
export { localDate, localTime, transmissionDateTime } from './times.ts';
