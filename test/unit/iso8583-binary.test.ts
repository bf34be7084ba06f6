// Binary ISO 8583 (ISO87B) and the TPDU, checked against bytes that other software wrote — never posrig's own encoder:
//   1. jPOS's packager test images (github.com/jpos/jPOS, jpos/src/test/resources/org/jpos/iso/packagers/):
//      ISO87BPackager.bin and ISO87B-Field64.bin are what jPOS's ISO87BPackager packs for the message in ISO87.xml /
//      ISO87-Field64.xml (PackagerTestCase.testISO87BPackager / testF64Binary compare them byte for byte). Their DE28–31
//      are '000000100' … — a digit where the C/D sign goes, as jPOS writes it.
//   2. jPOS's field packager unit tests (jpos/src/test/java/org/jpos/iso/IFB_AMOUNTTest, IFB_LLNUMTest, IFB_LLLCHARTest).
//   3. A China UnionPay-style POS purchase frame published in "POS调试8583报文-消费" (https://www.codetd.com/article/5053461,
//      from https://blog.csdn.net/MaxWoods/article/details/86490475): length 01AA, TPDU 60 0006 0000, then a 6-byte
//      CUP application header and MTI 0200. Its body uses CUP's own field layouts (BCD DE48/DE60, binary DE55), so only
//      the framing and the TPDU are checked against it.
//   4. The TPDU answer rule follows jPOS NACChannel.sendMessageHeader (tpdu-swap: destination and source swapped).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  answerTpdu,
  deframerFor,
  describeIso,
  frameBody,
  frameMessage,
  ISO87B,
  IsoError,
  type IsoMessage,
  isPackaging,
  type PackagerSpec,
  packIso,
  packMessage,
  tpduProblem,
  unpackIso,
  unpackMessage,
} from '../../protocols/iso8583/index.ts';

const JPOS_ISO87B_IMAGE = [
  '0800FFFFFFFFFFFFFFFF00000040000000001912345678901234567890000000000000000100000000000200000000000300',
  '0611191024123456781234567812345678000001010203061110010112011206111234085800320400000000010003000101',
  '30000001003000000200300000030030000004000612345606654321284142434445464748494A4B4C4D4E4F505152535455',
  '565758595A3031371234567890123456D123456789012345678900004454484520515549434B2042524F574E20464F58204A',
  '554D504544204F56455220544845204C415A5920444F47313233343536373839414243313233343536303041424330303031',
  '414243443132333435363738393031323334354A504F532043415244204143434550544F52202F205757572E4A504F532E4F',
  '524720202020202020246A504F536A504F536A504F536A504F536A504F536A504F53244A504F534A504F534A504F534A504F',
  '534A504F534A504F5300214144444954494F4E414C2044415441202D2049534F00264144444954494F4E414C204441544120',
  '2D204E4154494F4E414C00254144444954494F4E414C2044415441202D205052495641544530333230333230333200010203',
  '0405060712345678901234560024303030303030303031303030303030303030303032303030000441424344000445464748',
  '0004494A4B4C00044D4E4F500004515253540004555657580004595A303100044130303200084142434444434241CAFEBABE',
  'CAFEBABE000000000000000000000000000000000000000000',
].join('');

const JPOS_ISO87B_FIELD64_IMAGE = [
  '08007FFFFFFFFFFFFFFF19123456789012345678900000000000000001000000000002000000000003000611191024123456',
  '7812345678123456780000010102030611100101120112061112340858003204000000000100030001013000000100300000',
  '0200300000030030000004000612345606654321284142434445464748494A4B4C4D4E4F505152535455565758595A303137',
  '1234567890123456D123456789012345678900004454484520515549434B2042524F574E20464F58204A554D504544204F56',
  '455220544845204C415A5920444F473132333435363738394142433132333435363030414243303030314142434431323334',
  '35363738393031323334354A504F532043415244204143434550544F52202F205757572E4A504F532E4F5247202020202020',
  '20246A504F536A504F536A504F536A504F536A504F536A504F53244A504F534A504F534A504F534A504F534A504F534A504F',
  '5300214144444954494F4E414C2044415441202D2049534F00264144444954494F4E414C2044415441202D204E4154494F4E',
  '414C00254144444954494F4E414C2044415441202D2050524956415445303332303332303332000102030405060712345678',
  '9012345600243030303030303030313030303030303030303030323030300004414243440004454647480004494A4B4C0004',
  '4D4E4F500004515253540004555657580004595A303100044130303200084142434444434241CAFEBABECAFEBABE',
].join('');

const CUP_PURCHASE_FRAME = [
  '01AA60000600006031003110030200702406C020C19A31166224242900000113000000000000000001000403280607100000',
  '0012346224242900000113D280620139490310133130303030303139383530313030303832343130303032000100313536D1',
  'EEF419D0AE2609260000000000000001399F260895BBE372271DDA7C9F2701809F101307010103A00000010A010000000000',
  'ED538FE49F37047F9F349E9F36020157950500000000009A031908309C01009F02060000000000015F2A02015682027C009F',
  '1A0201569F03060000000000009F3303E0E1C89F3501229F1E0831303030303031398408A0000003330101029F0902008C9F',
  '4104000004030153313232303839383630363137303830303032353833393933313331314846543137303830333031313431',
  '34323031393038333030393334333531353032303031373232424433302E3632313535352C3131342E333631393534413236',
  '3030313032303230323136303030303239303231303031353730383033303630303031313330343038303432343732393230',
  '35303848373036323830310014220000240006003846363531423236',
].join('');

/** The message of jPOS's ISO87.xml, field by field as its XML gives the values. */
const JPOS_ISO87_FIELDS: IsoMessage['fields'] = {
  2: '1234567890123456789',
  3: '000000',
  4: '000000000100',
  5: '000000000200',
  6: '000000000300',
  7: '0611191024',
  8: '12345678',
  9: '12345678',
  10: '12345678',
  11: '000001',
  12: '010203',
  13: '0611',
  14: '1001',
  15: '0112',
  16: '0112',
  17: '0611',
  18: '1234',
  19: '858',
  20: '032',
  21: '400',
  22: '000',
  23: '001',
  24: '003',
  25: '00',
  26: '01',
  27: '1',
  28: '000000100',
  29: '000000200',
  30: '000000300',
  31: '000000400',
  32: '123456',
  33: '654321',
  34: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ01',
  35: '1234567890123456=12345678901234567890',
  36: 'THE QUICK BROWN FOX JUMPED OVER THE LAZY DOG',
  37: '123456789ABC',
  38: '123456',
  39: '00',
  40: 'ABC',
  41: '0001ABCD',
  42: '123456789012345',
  43: 'JPOS CARD ACCEPTOR / WWW.JPOS.ORG       ',
  44: 'jPOSjPOSjPOSjPOSjPOSjPOS',
  45: 'JPOSJPOSJPOSJPOSJPOSJPOS',
  46: 'ADDITIONAL DATA - ISO',
  47: 'ADDITIONAL DATA - NATIONAL',
  48: 'ADDITIONAL DATA - PRIVATE',
  49: '032',
  50: '032',
  51: '032',
  52: '0001020304050607',
  53: '1234567890123456',
  54: '000000001000000000002000',
  55: 'ABCD',
  56: 'EFGH',
  57: 'IJKL',
  58: 'MNOP',
  59: 'QRST',
  60: 'UVWX',
  61: 'YZ01',
  62: 'A002',
  63: 'ABCDDCBA',
  64: 'CAFEBABECAFEBABE',
};

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const bytesOf = (text: string) => Buffer.from(text, 'hex');

function expectIsoError(fn: () => unknown, pattern: RegExp, field?: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof IsoError, `expected IsoError, got ${String(e)}`);
    assert.match(e.message, pattern);
    if (field !== undefined) assert.equal(e.field, field);
    return true;
  });
}

describe('ISO87B against jPOS test images', () => {
  const images: Array<[string, string, IsoMessage]> = [
    [
      'ISO87BPackager.bin (DE2–DE64 and DE90, secondary bitmap)',
      JPOS_ISO87B_IMAGE,
      { mti: '0800', fields: { ...JPOS_ISO87_FIELDS, 90: '0'.repeat(42) } },
    ],
    [
      'ISO87B-Field64.bin (DE2–DE64, primary bitmap only)',
      JPOS_ISO87B_FIELD64_IMAGE,
      { mti: '0800', fields: JPOS_ISO87_FIELDS },
    ],
  ];
  for (const [label, image, expected] of images) {
    it(`${label} decodes to the XML's values`, () => {
      assert.deepEqual(unpackIso(bytesOf(image), ISO87B), expected);
      assert.deepEqual(unpackMessage(bytesOf(image), 'binary'), expected);
    });
    it(`${label}: encode(decode(x)) == x`, () => {
      assert.equal(hex(packIso(unpackIso(bytesOf(image), ISO87B), ISO87B)), image);
      assert.equal(hex(packMessage(unpackMessage(bytesOf(image), 'binary'), 'binary')), image);
    });
  }

  it('reads DE28–DE31 whose first character is a digit, not C/D, as jPOS writes them', () => {
    const fields = unpackIso(bytesOf(JPOS_ISO87B_IMAGE), ISO87B).fields;
    assert.deepEqual(
      [fields[28], fields[29], fields[30], fields[31]],
      ['000000100', '000000200', '000000300', '000000400'],
    );
    // and C/D still work: the sign is one ASCII byte, the 8 digits BCD
    const signed = packIso({ mti: '0200', fields: { 28: 'D00000150' } }, ISO87B);
    assert.equal(hex(signed.subarray(2 + 8)), '4400000150');
    assert.equal(unpackIso(signed, ISO87B).fields[28], 'D00000150');
  });

  it('the same message in ASCII-87 and ISO87B decodes to the same fields (one table, two packagings)', () => {
    const message = unpackMessage(bytesOf(JPOS_ISO87B_FIELD64_IMAGE), 'binary');
    const { 28: _a, 29: _b, 30: _c, 31: _d, ...signless } = message.fields; // ASCII-87 packs C/D amounts only
    const ascii = { mti: message.mti, fields: signless };
    assert.deepEqual(unpackMessage(packMessage(ascii, 'ascii'), 'ascii'), ascii);
  });
});

describe('ISO87B field encodings against jPOS field packager tests', () => {
  const custom: PackagerSpec = {
    ...ISO87B,
    fields: {
      ...ISO87B.fields,
      60: { name: 'IFB_AMOUNT(6) test', kind: 'fixed', length: 6, content: 'x+n' },
      61: { name: 'IFB_AMOUNT(5) test', kind: 'fixed', length: 5, content: 'x+n' },
      62: { name: 'IFB_LLNUM(10) test', kind: 'llvar', length: 10, content: 'n' },
      63: { name: 'IFB_LLLCHAR(10) test', kind: 'lllvar', length: 10, content: 'ans' },
    },
  };
  // [source, field, value, the bytes jPOS's test expects]
  const cases: Array<[string, number, string, string]> = [
    ['IFB_AMOUNTTest.testPack: IFB_AMOUNT(6) "D123" → {68, 00, 01, 23}', 60, 'D00123', '44000123'],
    ['IFB_AMOUNTTest.testPackOddDigits: IFB_AMOUNT(5) → {68, 01, 23}', 61, 'D0123', '440123'],
    ['IFB_LLNUMTest.testPack: "1234" → {04, 12, 34}', 62, '1234', '041234'],
    ['IFB_LLLCHARTest.testPack: "ABCD" → {00, 04, 41, 42, 43, 44}', 63, 'ABCD', '000441424344'],
  ];
  for (const [source, field, value, wire] of cases) {
    it(source, () => {
      const bytes = packIso({ mti: '0100', fields: { [field]: value } }, custom);
      assert.equal(hex(bytes.subarray(2 + 8)), wire);
      const back = Buffer.concat([bytes.subarray(0, 10), bytesOf(wire)]);
      assert.equal(unpackIso(back, custom).fields[field], value);
    });
  }
});

describe('TPDU framing', () => {
  it('a published UnionPay purchase frame: length 01AA counts TPDU + body; TPDU 60 0006 0000 is split off', () => {
    const frame = bytesOf(CUP_PURCHASE_FRAME);
    assert.equal(frame.length, 2 + 0x01aa);
    const frames = deframerFor('binary').pushFrames(frame);
    assert.equal(frames.length, 1);
    const [only] = frames;
    assert.equal(hex(only?.tpdu ?? Buffer.alloc(0)), '6000060000');
    assert.equal(tpduProblem(only?.tpdu ?? Buffer.alloc(0)), undefined);
    assert.equal(only?.body.length, 0x01aa - 5);
    // then CUP's 6-byte application header and the BCD MTI 0200, as the article decodes it
    assert.equal(hex(only?.body.subarray(0, 8) ?? Buffer.alloc(0)), '6031003110030200');
  });

  it('split anyhow, the frame still comes out whole', () => {
    const frame = bytesOf(CUP_PURCHASE_FRAME);
    const deframer = deframerFor('binary');
    const got = [...frame].flatMap((byte) => deframer.pushFrames(Buffer.from([byte])));
    assert.equal(got.length, 1);
    assert.equal(hex(got[0]?.body ?? Buffer.alloc(0)), hex(frame.subarray(7)));
  });

  it('the answer carries the TPDU with destination and source swapped (jPOS NACChannel tpdu-swap)', () => {
    assert.equal(hex(answerTpdu(bytesOf('6000060000'))), '6000000006');
    assert.equal(hex(answerTpdu(bytesOf('6000030000'))), '6000000003');
    assert.equal(hex(answerTpdu(answerTpdu(bytesOf('6012345678')))), '6012345678');
  });

  it('refuses a TPDU whose ID is not 0x60, and says when it looks like ASCII-87', () => {
    assert.match(tpduProblem(bytesOf('7000030000')) ?? '', /^TPDU at offset 2: ID 0x70 is not 0x60$/);
    assert.match(
      tpduProblem(Buffer.from('0200F')) ?? '',
      /ID 0x30 is not 0x60 \(an ASCII digit: is the terminal sending ASCII-87\?\)/,
    );
    assert.match(tpduProblem(bytesOf('6000')) ?? '', /2 bytes, a TPDU has 5/);
  });

  it('frameMessage puts length, TPDU and the binary body on the wire; ascii has no TPDU', () => {
    const message: IsoMessage = { mti: '0800', fields: { 11: '000001', 70: '301' } };
    const binary = frameMessage(message, 'binary', { tpdu: bytesOf('6000060000') });
    assert.equal(
      hex(binary),
      '001C' + '6000060000' + '0800' + '8020000000000000' + '0400000000000000' + '000001' + '0301',
    );
    assert.equal(hex(frameMessage(message, 'binary').subarray(2, 7)), '6000030000', 'default TPDU');
    const [frame] = deframerFor('binary').pushFrames(binary);
    assert.deepEqual(unpackMessage(frame?.body ?? Buffer.alloc(0), 'binary'), message);
    const ascii = frameMessage(message, 'ascii');
    assert.equal(ascii.subarray(2, 6).toString('latin1'), '0800');
    assert.deepEqual(deframerFor('ascii').pushFrames(ascii)[0]?.tpdu.length, 0);
    assert.equal(hex(frameBody(packMessage(message, 'ascii'), 'ascii')), hex(ascii));
  });
});

describe('ISO87B errors name field and offset', () => {
  it('a non-BCD nibble in a numeric field', () => {
    // MTI 0200, bitmap DE3 only, DE3 = 00 0A 00
    expectIsoError(
      () => unpackIso(bytesOf('02002000000000000000000A00'), ISO87B),
      /^DE003 Processing code at offset 10: character 4 is "A": n allows digits only$/,
      3,
    );
  });

  it('a non-BCD MTI and a non-BCD length prefix are quoted in hex', () => {
    expectIsoError(
      () => unpackIso(bytesOf('0F000000000000000000'), ISO87B),
      /^MTI at offset 0: must be 4 digits, got 0x0F00$/,
    );
    expectIsoError(
      () => unpackIso(bytesOf(`020040000000000000001A${'41'.repeat(10)}`), ISO87B),
      /^DE002 Primary account number at offset 10: length prefix 0x1A is not numeric$/,
      2,
    );
  });

  it('a truncated LL field and trailing bytes', () => {
    expectIsoError(
      () => unpackIso(bytesOf('02004000000000000000' + '16' + '4111'), ISO87B),
      /^DE002 Primary account number at offset 11: needs 8 bytes, only 2 left \(message truncated\)$/,
      2,
    );
    expectIsoError(
      () => unpackIso(bytesOf('0200200000000000000000000000'), ISO87B),
      /^Message at offset 13: 1 trailing bytes after the last field \(DE003\)$/,
    );
  });

  it('pack refuses what ASCII-87 refuses, except a digit as the x+n sign', () => {
    expectIsoError(
      () => packIso({ mti: '0200', fields: { 4: '100' } }, ISO87B),
      /DE004 .*length 3, fixed length is 12/,
      4,
    );
    expectIsoError(
      () => packIso({ mti: '0200', fields: { 28: 'X00000150' } }, ISO87B),
      /x\+n starts with 'C' or 'D' or a digit/,
      28,
    );
    expectIsoError(() => packIso({ mti: '0200', fields: { 28: '000000150' } }), /x\+n starts with 'C' or 'D'$/, 28);
  });
});

describe('binary packaging helpers', () => {
  it('isPackaging knows ascii and binary only', () => {
    assert.ok(isPackaging('ascii') && isPackaging('binary'));
    assert.ok(!isPackaging('bcd') && !isPackaging(undefined));
  });

  it('describeIso masks a binary message like an ASCII one', () => {
    const message = unpackMessage(bytesOf(JPOS_ISO87B_FIELD64_IMAGE), 'binary');
    const lines = describeIso(message, ISO87B);
    assert.ok(lines.includes('DE002 Primary account number: 123456*********6789'), lines.join('\n'));
    assert.ok(lines.includes('DE052 PIN data: [PIN block]'));
  });
});
