// ISO 8583 (terminal ↔ acquirer): spec-driven codec, ASCII-87 packager, TCP framing, response codes, time fields.

export { ASCII87, ASCII87_FIELDS } from './ascii87.ts';
export { asciiEncoding } from './asciiEncoding.ts';
export { fieldLabel, fieldName, type IsoFields, type IsoMessage, packIso, unpackIso } from './codec.ts';
export { describeIso, maskIsoMessage, maskTrack } from './describe.ts';
export { IsoError } from './errors.ts';
export { frameForTcp, TcpDeframer } from './framing.ts';
export { RESPONSE_CODES, responseCodeText } from './responseCodes.ts';
export type { FieldContent, FieldSpec, PackagerSpec, WireEncoding } from './spec.ts';
export { localDate, localTime, transmissionDateTime } from './times.ts';
