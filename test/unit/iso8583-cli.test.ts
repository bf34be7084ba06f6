import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { Command } from 'commander';
import {
  decodeHexToText,
  encodeJsonToHex,
  Iso8583InputError,
  packagingOption,
  registerIso8583,
} from '../../cli/iso8583.ts';
import { IsoError } from '../../protocols/iso8583/index.ts';

const json = JSON.stringify({
  mti: '0200',
  fields: {
    2: '4111111111111111',
    3: '000000',
    4: '000000010000',
    11: '000042',
    41: 'T0000001',
    52: '2A3D408A1977DDE9',
  },
});

const expectedLines = [
  'MTI 0200',
  'DE002 Primary account number: 411111******1111',
  'DE003 Processing code: 000000',
  'DE004 Amount, transaction: 000000010000',
  'DE011 System trace audit number: 000042',
  'DE041 Card acceptor terminal identification: T0000001',
  'DE052 PIN data: [PIN block]',
];

describe('iso8583 CLI functions', () => {
  it('encode gives uppercase hex of the ASCII-87 bytes; decode prints MTI and masked, named fields', () => {
    const hex = encodeJsonToHex(json);
    assert.match(hex, /^[0-9A-F]+$/);
    assert.equal(Buffer.from(hex, 'hex').subarray(0, 4).toString('latin1'), '0200');
    assert.equal(decodeHexToText(hex), expectedLines.join('\n'));
  });

  it('--frame adds the 2-byte length header, which decode detects', () => {
    const plain = encodeJsonToHex(json);
    const framed = encodeJsonToHex(json, { frame: true });
    assert.equal(framed.slice(4), plain);
    assert.equal(Number.parseInt(framed.slice(0, 4), 16), plain.length / 2);
    assert.equal(decodeHexToText(framed), [`Length header ${plain.length / 2}`, ...expectedLines].join('\n'));
  });

  it('decode accepts whitespace and lowercase hex', () => {
    const spaced = encodeJsonToHex(json).toLowerCase().replace(/(..)/g, '$1 ');
    assert.equal(decodeHexToText(`  ${spaced}\n`), expectedLines.join('\n'));
  });

  it('bad hex names the character', () => {
    assert.throws(
      () => decodeHexToText('3030zz'),
      (e: unknown) => e instanceof Iso8583InputError && /character 5 \("z"\)/.test(e.message),
    );
    assert.throws(() => decodeHexToText('303'), /odd number of hex digits \(3\)/);
    assert.throws(() => decodeHexToText('  '), /nothing to decode/);
  });

  it('a hex message that does not unpack is an IsoError naming where', () => {
    assert.throws(
      () => decodeHexToText(Buffer.from('0200XX').toString('hex')),
      (e: unknown) => e instanceof IsoError && /Primary bitmap at offset 4/.test(e.message),
    );
  });

  it('bad JSON or a wrong shape names what is wrong', () => {
    assert.throws(
      () => encodeJsonToHex('{mti'),
      (e: unknown) => e instanceof Iso8583InputError && /not valid JSON/.test(e.message),
    );
    assert.throws(() => encodeJsonToHex('[]'), /expected an object/);
    assert.throws(() => encodeJsonToHex('{"fields":{}}'), /mti must be a string/);
    assert.throws(() => encodeJsonToHex('{"mti":"0200"}'), /fields must be an object/);
    assert.throws(
      () => encodeJsonToHex('{"mti":"0200","fields":{"4":10000}}'),
      /fields\.4 must be a string, got number/,
    );
  });

  it('a field the codec rejects is an IsoError naming the field', () => {
    assert.throws(
      () => encodeJsonToHex('{"mti":"0200","fields":{"4":"100"}}'),
      (e: unknown) =>
        e instanceof IsoError && e.field === 4 && /DE004 Amount, transaction at offset 20/.test(e.message),
    );
  });
});

/** What `posrig <args>` prints on stdout, the iso8583 command registered on a program of its own. */
async function run(args: string[]): Promise<string> {
  const program = new Command('posrig').exitOverride();
  registerIso8583(program);
  const out: string[] = [];
  const write = mock.method(process.stdout, 'write', (chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    write.mock.restore();
  }
  return out.join('');
}

describe('registerIso8583', () => {
  it('adds `iso8583 encode` and `iso8583 decode` that print hex and the decoded lines', async () => {
    const hex = (await run(['iso8583', 'encode', json, '--frame'])).trim();
    assert.equal(hex, encodeJsonToHex(json, { frame: true }));
    const text = await run(['iso8583', 'decode', hex.slice(0, 10), hex.slice(10)]);
    assert.equal(text, `${[`Length header ${(hex.length - 4) / 2}`, ...expectedLines].join('\n')}\n`);
  });

  it('lets input errors reach the caller (main prints them and exits 2)', async () => {
    await assert.rejects(run(['iso8583', 'decode', 'nothex']), Iso8583InputError);
  });
});

describe('iso8583 CLI --packaging binary', () => {
  // a 0800 with DE11 and DE70 in the ISO87B layout (checked against jPOS's own images in iso8583-binary.test.ts),
  // framed: length 001C, TPDU 60 0003 0000, MTI 0800, primary and secondary bitmaps, DE11, DE70
  const signOn = JSON.stringify({ mti: '0800', fields: { 11: '000001', 70: '301' } });
  const framed = '001C' + '6000030000' + '0800' + '8020000000000000' + '0400000000000000' + '000001' + '0301';

  it('encode --packaging binary packs ISO87B; --frame adds the length header and the TPDU', () => {
    assert.equal(encodeJsonToHex(signOn, { packaging: 'binary' }), framed.slice(14));
    assert.equal(encodeJsonToHex(signOn, { packaging: 'binary', frame: true }), framed);
    assert.equal(
      encodeJsonToHex(signOn, { packaging: 'binary', frame: true, tpdu: '6000060000' }),
      framed.replace('6000030000', '6000060000'),
    );
    assert.equal(encodeJsonToHex(signOn, { packaging: 'binary', tpdu: '6000030000' }), framed.slice(4));
  });

  it('decode --packaging binary shows the length header, the TPDU and the fields', () => {
    const lines = [
      'Length header 28',
      'TPDU 60 0003 0000 (destination 0003, source 0000)',
      'MTI 0800',
      'DE011 System trace audit number: 000001',
      'DE070 Network management information code: 301',
    ];
    assert.equal(decodeHexToText(framed, { packaging: 'binary' }), lines.join('\n'));
    assert.equal(decodeHexToText(framed.slice(14), { packaging: 'binary' }), lines.slice(2).join('\n'));
  });

  it('a binary message with a PAN is masked like an ASCII one', () => {
    const hex = encodeJsonToHex(json, { packaging: 'binary' });
    assert.equal(hex.slice(0, 4), '0200');
    assert.equal(decodeHexToText(hex, { packaging: 'binary' }), expectedLines.join('\n'));
  });

  it('bad --packaging or --tpdu names the option', () => {
    assert.throws(() => packagingOption('bcd'), /--packaging: expected ascii or binary, got "bcd"/);
    assert.equal(packagingOption(undefined), 'ascii');
    assert.throws(() => encodeJsonToHex(signOn, { packaging: 'binary', tpdu: '60' }), /--tpdu: expected 10 hex digits/);
    assert.throws(() => encodeJsonToHex(signOn, { packaging: 'binary', tpdu: '7000030000' }), /ID 0x70 is not 0x60/);
    assert.throws(() => encodeJsonToHex(signOn, { tpdu: '6000030000' }), /only the binary packaging carries a TPDU/);
  });

  it('the subcommands take --packaging', async () => {
    assert.equal(await run(['iso8583', 'encode', signOn, '--packaging', 'binary', '--frame']), `${framed}\n`);
    assert.match(
      await run(['iso8583', 'decode', '--packaging', 'binary', framed]),
      /^Length header 28\nTPDU 60 0003 0000 .*\nMTI 0800\n/,
    );
  });
});
