import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ASCII87,
  type FieldSpec,
  IsoError,
  type IsoMessage,
  type PackagerSpec,
  packIso,
  unpackIso,
} from '../../protocols/iso8583/index.ts';

const PAN = '6228480402564890018';

const purchase: IsoMessage = {
  mti: '0200',
  fields: {
    2: PAN,
    3: '000000',
    4: '000000010000',
    7: '0315103000',
    11: '000123',
    12: '183000',
    13: '0315',
    14: '2712',
    22: '021',
    25: '00',
    35: `${PAN}=2712101000001`,
    41: 'T0000001',
    42: '123456789012345',
    49: '156',
    52: '2A3D408A1977DDE9',
  },
};

const approval: IsoMessage = {
  mti: '0210',
  fields: {
    2: PAN,
    3: '000000',
    4: '000000010000',
    7: '0315103000',
    11: '000123',
    12: '183000',
    13: '0315',
    37: '250315000123',
    38: 'A1B2C3',
    39: '00',
    41: 'T0000001',
    42: '123456789012345',
    49: '156',
  },
};

const reversal: IsoMessage = {
  mti: '0400',
  fields: {
    2: PAN,
    3: '000000',
    4: '000000010000',
    7: '0315103100',
    11: '000123',
    39: '98',
    41: 'T0000001',
    42: '123456789012345',
    49: '156',
    90: `0200000123031510300000000000000${'0'.repeat(11)}`,
  },
};

const signOn: IsoMessage = { mti: '0800', fields: { 7: '0315103000', 11: '000001', 41: 'T0000001', 70: '001' } };

const balance: IsoMessage = {
  mti: '0210',
  fields: { 3: '310000', 11: '000124', 39: '00', 41: 'T0000001', 54: '1002156C000000050000' },
};

function roundTrip(message: IsoMessage, spec: PackagerSpec = ASCII87): IsoMessage {
  return unpackIso(packIso(message, spec), spec);
}

function expectIsoError(fn: () => unknown, match: RegExp, where: { field?: number; offset?: number } = {}): IsoError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof IsoError, `expected IsoError, got ${String(error)}`);
    assert.match(error.message, match);
    if ('field' in where) assert.equal(error.field, where.field);
    if ('offset' in where) assert.equal(error.offset, where.offset);
    return error;
  }
  assert.fail(`expected IsoError matching ${match}`);
}

describe('ISO 8583 ASCII-87 round trips', () => {
  for (const [label, message] of [
    ['0200 purchase', purchase],
    ['0210 approval', approval],
    ['0210 balance with DE54', balance],
    ['0400 reversal with DE90', reversal],
    ['0800 sign-on with DE70', signOn],
  ] as const) {
    it(`${label} packs and unpacks to the same message`, () => {
      assert.deepEqual(roundTrip(message), message);
    });
  }

  it('lays out MTI, hex bitmaps and fields exactly as ASCII-87 does', () => {
    const bytes = packIso(signOn).toString('latin1');
    // bits 1 (secondary), 7, 11, 41 | bit 70
    assert.equal(
      bytes,
      '0800' + '8220000000800000' + '0400000000000000' + '0315103000' + '000001' + 'T0000001' + '001',
    );
  });

  it('writes a primary bitmap only when no field above 64 is present', () => {
    const bytes = packIso({ mti: '0200', fields: { 3: '000000', 11: '000001' } }).toString('latin1');
    assert.equal(bytes, '02002020000000000000000000000001');
  });

  it('sets the secondary bitmap for DE70, DE90 and DE128 together', () => {
    const message: IsoMessage = {
      mti: '0420',
      fields: { 11: '000009', 70: '301', 90: '0'.repeat(42), 128: '0011223344556677' },
    };
    const bytes = packIso(message);
    assert.equal(bytes.subarray(4, 20).toString('latin1'), '8020000000000000');
    assert.equal(bytes.subarray(20, 36).toString('latin1'), '0400004000000001');
    assert.deepEqual(unpackIso(bytes), message);
  });

  it('carries binary fields as uppercase hex text, twice the byte length', () => {
    const bytes = packIso({ mti: '0200', fields: { 52: '0123456789abcdef' } });
    assert.equal(bytes.subarray(20).toString('latin1'), '0123456789ABCDEF');
    assert.equal(unpackIso(bytes).fields[52], '0123456789ABCDEF');
  });

  it('accepts a Uint8Array view into a larger buffer', () => {
    const framed = Buffer.concat([Buffer.from('xx'), packIso(signOn), Buffer.from('yy')]);
    assert.deepEqual(unpackIso(new Uint8Array(framed.buffer, framed.byteOffset + 2, framed.length - 4)), signOn);
  });
});

describe('ISO 8583 field types', () => {
  const custom: PackagerSpec = {
    ...ASCII87,
    name: 'ASCII-87 + test fields',
    fields: {
      ...ASCII87.fields,
      48: { name: 'Test an', kind: 'fixed', length: 5, content: 'an' },
      55: { name: 'ICC data', kind: 'lllvar', length: 255, content: 'b' },
      60: { name: 'Test LL binary', kind: 'llvar', length: 16, content: 'b' },
      62: { name: 'Test anp', kind: 'llvar', length: 10, content: 'anp' },
    },
  };
  const cases: Array<[string, number, string, string, PackagerSpec?]> = [
    ['fixed n (DE3)', 3, '310000', '310000'],
    ['fixed ans (DE41)', 41, 'T 01-#/!', 'T 01-#/!'],
    ['fixed an (custom DE48)', 48, 'AB12z', 'AB12z', custom],
    ['LLVAR n (DE2)', 2, '4111111111111111', '164111111111111111'],
    ['LLVAR z track 2 (DE35)', 35, '4111111111111111=2512101', '244111111111111111=2512101'],
    ['LLVAR ans (DE44)', 44, 'hello world', '11hello world'],
    ['LLVAR anp (custom DE62)', 62, 'AB 12', '05AB 12', custom],
    ['LLLVAR ans (DE54)', 54, '1002156C000000050000', '0201002156C000000050000'],
    ['fixed binary (DE52)', 52, '00FF00FF00FF00FF', '00FF00FF00FF00FF'],
    ['LL binary (custom DE60)', 60, 'DEADBEEF', '04DEADBEEF', custom],
    ['LLL binary (custom DE55)', 55, '9F2701809F36020001', '0099F2701809F36020001', custom],
    ['x+n amount (DE28)', 28, 'D00000150', 'D00000150'],
    ['x+n amount (DE97)', 97, 'C0000000000012345', 'C0000000000012345'],
  ];
  for (const [label, field, value, wire, spec] of cases) {
    it(`${label} packs to "${wire}" and back`, () => {
      const bytes = packIso({ mti: '0100', fields: { [field]: value } }, spec ?? ASCII87);
      const headerLength = field > 64 ? 36 : 20;
      assert.equal(bytes.subarray(headerLength).toString('latin1'), wire);
      assert.equal(unpackIso(bytes, spec ?? ASCII87).fields[field], value);
    });
  }

  it('an LL field may be empty', () => {
    assert.deepEqual(roundTrip({ mti: '0100', fields: { 44: '' } }), { mti: '0100', fields: { 44: '' } });
  });
});

function validValue(field: FieldSpec, units: number): string {
  const digits = (k: number) => Array.from({ length: k }, (_, i) => String((i * 7 + 3) % 10)).join('');
  switch (field.content) {
    case 'n':
      return digits(units);
    case 'x+n':
      return `C${digits(units - 1)}`;
    case 'b':
      return Array.from({ length: units }, (_, i) => ((i * 37 + 11) % 256).toString(16).padStart(2, '0'))
        .join('')
        .toUpperCase();
    case 'z':
      return units >= 3
        ? `${digits(Math.floor(units / 2))}=${digits(units - Math.floor(units / 2) - 1)}`
        : digits(units);
    case 'an':
      return 'A1'.repeat(units).slice(0, units);
    case 'anp':
      return 'A 1'.repeat(units).slice(0, units);
    case 'ans':
      return Array.from({ length: units }, (_, i) => String.fromCharCode(0x20 + ((i * 13) % 95))).join('');
  }
}

describe('every ASCII-87 field 2..128', () => {
  it('the table defines each of 2..128 with a name, kind, length and content', () => {
    for (let n = 2; n <= 128; n++) {
      const field = ASCII87.fields[n];
      assert.ok(field, `DE${n} missing`);
      assert.ok(field.name.length > 0 && field.length > 0);
    }
    assert.equal(ASCII87.fields[1], undefined);
  });

  it('matches jPOS iso87ascii.xml on the fields posrig uses', () => {
    const shape = (n: number) => {
      const f = ASCII87.fields[n];
      return f && `${f.kind} ${f.content} ${f.length}`;
    };
    assert.equal(shape(2), 'llvar n 19');
    assert.equal(shape(4), 'fixed n 12');
    assert.equal(shape(28), 'fixed x+n 9');
    assert.equal(shape(35), 'llvar z 37');
    assert.equal(shape(36), 'lllvar ans 104');
    assert.equal(shape(41), 'fixed ans 8');
    assert.equal(shape(42), 'fixed ans 15');
    assert.equal(shape(52), 'fixed b 8');
    assert.equal(shape(53), 'fixed n 16');
    assert.equal(shape(54), 'lllvar ans 120');
    assert.equal(shape(65), 'fixed b 1');
    assert.equal(shape(90), 'fixed n 42');
    assert.equal(shape(93), 'fixed ans 6');
    assert.equal(shape(96), 'fixed b 16');
    assert.equal(shape(97), 'fixed x+n 17');
    assert.equal(shape(128), 'fixed b 8');
  });

  for (let n = 2; n <= 128; n++) {
    const field = ASCII87.fields[n] as FieldSpec;
    it(`DE${n} ${field.name} (${field.kind} ${field.content} ${field.length}) round trips`, () => {
      const lengths = field.kind === 'fixed' ? [field.length] : [field.length, Math.min(1, field.length)];
      for (const units of lengths) {
        const message: IsoMessage = { mti: '0100', fields: { [n]: validValue(field, units), 11: '000001' } };
        assert.deepEqual(roundTrip(message), message);
      }
    });
  }

  it('all 127 fields in one message round trip', () => {
    const fields: Record<number, string> = {};
    for (let n = 2; n <= 128; n++) {
      const field = ASCII87.fields[n] as FieldSpec;
      fields[n] = validValue(field, field.kind === 'fixed' ? field.length : Math.min(7, field.length));
    }
    const message = { mti: '0100', fields };
    assert.deepEqual(roundTrip(message), message);
  });
});

describe('packIso rejects bad fields, naming field and offset', () => {
  it('a track 2 over its max names DE035 and where it starts', () => {
    const message = {
      mti: '0200',
      fields: { 2: '4111111111111111', 3: '000000', 4: '000000010000', 35: '4'.repeat(45) },
    };
    // MTI 4 + bitmap 16 + DE2 (2+16) + DE3 6 + DE4 12 = 56
    expectIsoError(() => packIso(message), /^DE035 Track 2 data at offset 56: LL length 45 exceeds max 37$/, {
      field: 35,
      offset: 56,
    });
  });

  it('a letter in a numeric field names the character position, not the value', () => {
    const error = expectIsoError(
      () => packIso({ mti: '0200', fields: { 2: '41111111111x1111' } }),
      /^DE002 Primary account number at offset 20: character 12 is "x": n allows digits only$/,
      { field: 2, offset: 20 },
    );
    assert.doesNotMatch(error.message, /4111/);
  });

  it('a short fixed numeric field is rejected, not zero-padded', () => {
    expectIsoError(
      () => packIso({ mti: '0200', fields: { 4: '10000' } }),
      /^DE004 Amount, transaction at offset 20: length 5, fixed length is 12$/,
      { field: 4 },
    );
  });

  it('a long or short fixed text field is rejected', () => {
    expectIsoError(() => packIso({ mti: '0200', fields: { 41: 'T00000012' } }), /DE041 .* length 9, fixed length is 8/);
    expectIsoError(() => packIso({ mti: '0200', fields: { 42: 'MID1' } }), /DE042 .* length 4, fixed length is 15/);
  });

  it('an LLL field over its max', () => {
    expectIsoError(
      () => packIso({ mti: '0200', fields: { 54: 'x'.repeat(121) } }),
      /DE054 .*LLL length 121 exceeds max 120/,
    );
  });

  it('bad binary: odd hex length, non-hex, wrong byte count', () => {
    expectIsoError(() => packIso({ mti: '0200', fields: { 52: '0123456789ABCDE' } }), /DE052 PIN data .*odd number/);
    expectIsoError(
      () => packIso({ mti: '0200', fields: { 52: '0123456789ABCDEG' } }),
      /character 16 is "G": b allows hex/,
    );
    expectIsoError(() => packIso({ mti: '0200', fields: { 52: '0123456789ABCDEF00' } }), /length 9, fixed length is 8/);
  });

  it('bad x+n amount: missing sign, letter in digits', () => {
    expectIsoError(() => packIso({ mti: '0200', fields: { 28: '000000150' } }), /DE028 .*x\+n starts with 'C' or 'D'/);
    expectIsoError(() => packIso({ mti: '0200', fields: { 28: 'C0000015A' } }), /DE028 .*character 9 is "A"/);
  });

  it('non-ASCII text in an ans field', () => {
    expectIsoError(
      () => packIso({ mti: '0200', fields: { 43: `${'商户'.padEnd(40, ' ')}` } }),
      /DE043 .*printable ASCII/,
    );
  });

  it('a bad MTI, DE1, an unknown field number and a non-string value', () => {
    expectIsoError(() => packIso({ mti: '200', fields: {} }), /^MTI at offset 0: must be 4 digits, got "200"$/);
    expectIsoError(() => packIso({ mti: '0200', fields: { 1: 'x' } }), /DE001 .*bitmap is computed/, { field: 1 });
    expectIsoError(() => packIso({ mti: '0200', fields: { 129: 'x' } }), /"129" is not a field number 2..128/);
    expectIsoError(
      () => packIso({ mti: '0200', fields: { 4: 10000 as unknown as string } }),
      /DE004 .*must be a string, got number/,
    );
  });

  it('a field the packager does not define', () => {
    const small: PackagerSpec = { ...ASCII87, name: 'small', fields: { 3: ASCII87.fields[3] as FieldSpec } };
    expectIsoError(
      () => packIso({ mti: '0200', fields: { 11: '000001' } }, small),
      /DE011 .*packager small defines no field 11/,
    );
  });

  it('skips fields whose value is undefined', () => {
    assert.deepEqual(roundTrip({ mti: '0200', fields: { 3: '000000', 4: undefined } }), {
      mti: '0200',
      fields: { 3: '000000' },
    });
  });
});

describe('unpackIso rejects bad bytes with clear errors', () => {
  const good = packIso(purchase);

  it('every truncation of a message is an IsoError, never a crash or a wrong message', () => {
    for (let cut = 0; cut < good.length; cut++) {
      expectIsoError(() => unpackIso(good.subarray(0, cut)), /at offset \d+: /);
    }
  });

  it('a truncated last field names it and says how much is missing', () => {
    expectIsoError(
      () => unpackIso(good.subarray(0, good.length - 3)),
      /^DE052 PIN data at offset \d+: needs 16 bytes, only 13 left \(message truncated\)$/,
      { field: 52 },
    );
    expectIsoError(() => unpackIso(good.subarray(0, 10)), /^Primary bitmap at offset 4: needs 16 bytes, only 6 left/);
    expectIsoError(() => unpackIso(Buffer.from('02')), /^MTI at offset 0: needs 4 bytes, only 2 left/);
  });

  it('a bad MTI', () => {
    expectIsoError(
      () => unpackIso(Buffer.from(`02X0${good.subarray(4).toString('latin1')}`)),
      /^MTI at offset 0: must be 4 digits/,
    );
  });

  it('bad bitmap hex names the bitmap and the character', () => {
    const bytes = Buffer.from(good);
    bytes[9] = 'Z'.charCodeAt(0);
    expectIsoError(
      () => unpackIso(bytes),
      /^Primary bitmap at offset 4: ".*" is not 16 hex characters \(character 6 is "Z"\)$/,
    );
  });

  it('bad secondary bitmap hex', () => {
    const bytes = packIso(signOn);
    bytes[20] = 'g'.charCodeAt(0);
    expectIsoError(() => unpackIso(bytes), /^Secondary bitmap at offset 20: .*character 1 is "g"/);
  });

  it('a bit set for a field the packager lacks', () => {
    const noDe70: PackagerSpec = { ...ASCII87, name: 'no-70', fields: { ...ASCII87.fields, 70: undefined as never } };
    expectIsoError(
      () => unpackIso(packIso(signOn), noDe70),
      /^DE070 unknown field at offset 20: bit set in bitmap but packager no-70 defines no field 70$/,
      {
        field: 70,
      },
    );
  });

  it('a non-numeric length prefix', () => {
    const bytes = Buffer.from(good);
    bytes[21] = 'x'.charCodeAt(0); // DE2 prefix '19' → '1x'
    expectIsoError(
      () => unpackIso(bytes),
      /^DE002 Primary account number at offset 20: length prefix "1x" is not numeric$/,
      {
        field: 2,
        offset: 20,
      },
    );
  });

  it('a length prefix over the field max', () => {
    const bytes = Buffer.from(good);
    bytes[20] = '2'.charCodeAt(0); // '19' → '29'
    expectIsoError(() => unpackIso(bytes), /^DE002 .* at offset 20: LL length 29 exceeds max 19$/);
  });

  it('a letter in a numeric field', () => {
    const bytes = Buffer.from(good);
    bytes[22 + 19] = 'A'.charCodeAt(0); // first digit of DE3
    expectIsoError(() => unpackIso(bytes), /^DE003 Processing code at offset 41: character 1 is "A"/, { field: 3 });
  });

  it('trailing bytes after the last field', () => {
    expectIsoError(
      () => unpackIso(Buffer.concat([good, Buffer.from('XY')])),
      new RegExp(`^Message at offset ${good.length}: 2 trailing bytes after the last field \\(DE052\\)$`),
    );
  });
});
