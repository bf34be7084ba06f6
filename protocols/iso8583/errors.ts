// IsoError: one error kind for everything wrong in an ISO 8583 message, naming the field and the byte offset.
//   'DE035 Track 2 data at offset 92: LL length 45 exceeds max 37'

/** A message that cannot be packed, unpacked or framed; `field` is the data element (absent for MTI/bitmap/framing). */
export class IsoError extends Error {
  override name = 'IsoError';
  readonly field?: number;
  readonly offset: number;

  constructor(message: string, offset: number, field?: number) {
    super(message);
    this.offset = offset;
    if (field !== undefined) this.field = field;
  }
}
