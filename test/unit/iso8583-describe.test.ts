import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUnmaskedPans } from '../../protocols/domain/pan.ts';
import {
  describeIso,
  fieldName,
  type IsoMessage,
  localDate,
  localTime,
  maskIsoMessage,
  maskTrack,
  RESPONSE_CODES,
  responseCodeText,
  transmissionDateTime,
} from '../../protocols/iso8583/index.ts';

const message: IsoMessage = {
  mti: '0200',
  fields: {
    2: '6228480402564890018',
    3: '000000',
    4: '000000010000',
    35: '6228480402564890018=2712101000001',
    45: 'B6228480402564890018^ZHANG/SAN^2712101000000',
    41: 'T0000001',
    48: 'ref 6228480402564890018 end',
    52: '2A3D408A1977DDE9',
  },
};

describe('describeIso', () => {
  it('prints the MTI, then one line per field in order, named and masked; DE52 hidden', () => {
    assert.deepEqual(describeIso(message), [
      'MTI 0200',
      'DE002 Primary account number: 622848*********0018',
      'DE003 Processing code: 000000',
      'DE004 Amount, transaction: 000000010000',
      'DE035 Track 2 data: 622848*********0018=*************',
      'DE041 Card acceptor terminal identification: T0000001',
      `DE045 Track 1 data: B622848*********0018^${'*'.repeat('ZHANG/SAN^2712101000000'.length)}`,
      'DE048 Additional data - private: ref 622848*********0018 end',
      'DE052 PIN data: [PIN block]',
    ]);
  });

  it('never shows a PAN or the PIN block', () => {
    const text = describeIso(message).join('\n');
    assert.deepEqual(findUnmaskedPans(text), []);
    assert.doesNotMatch(text, /2A3D408A1977DDE9/);
    assert.doesNotMatch(text, /ZHANG/);
  });
});

describe('maskIsoMessage', () => {
  it('masks DE2/DE35/DE45, PANs in text fields, drops DE52, and leaves the original alone', () => {
    const masked = maskIsoMessage(message);
    assert.equal(masked.fields[2], '622848*********0018');
    assert.equal(masked.fields[35], '622848*********0018=*************');
    assert.equal(masked.fields[45]?.startsWith('B622848*********0018^'), true);
    assert.equal(masked.fields[48], 'ref 622848*********0018 end');
    assert.equal(masked.fields[52], undefined);
    assert.equal(52 in masked.fields, false);
    assert.equal(masked.fields[4], '000000010000');
    assert.equal(message.fields[2], '6228480402564890018');
    assert.equal(message.fields[52], '2A3D408A1977DDE9');
    assert.deepEqual(findUnmaskedPans(JSON.stringify(masked)), []);
  });

  it('maskTrack keeps the separator and length', () => {
    assert.equal(maskTrack('4111111111111111D2512101'), '411111******1111D*******');
    assert.equal(maskTrack('4111111111111111=2512101').length, 24);
  });
});

describe('field names, response codes, time fields', () => {
  it('names fields from the table', () => {
    assert.equal(fieldName(2), 'Primary account number');
    assert.equal(fieldName(39), 'Response code');
    assert.equal(fieldName(90), 'Original data elements');
    assert.equal(fieldName(200), 'unknown field');
  });

  it('knows every response code posrig uses', () => {
    for (const code of ['00', '05', '14', '25', '51', '54', '55', '61', '75', '91', '94', '96']) {
      assert.ok(RESPONSE_CODES[code], code);
    }
    assert.equal(RESPONSE_CODES['00'], 'Approved');
    assert.equal(RESPONSE_CODES['05'], 'Do not honor');
    assert.equal(responseCodeText('51'), 'Insufficient funds');
    assert.equal(responseCodeText('Q1'), 'Unknown response code Q1');
  });

  it('DE7 is MMDDhhmmss in UTC', () => {
    assert.equal(transmissionDateTime(new Date('2025-03-05T07:08:09Z')), '0305070809');
    assert.equal(transmissionDateTime(new Date('2025-12-31T23:59:59Z')), '1231235959');
  });

  it('DE12/DE13 are local hhmmss and MMDD', () => {
    const d = new Date(2025, 0, 2, 3, 4, 5); // local time
    assert.equal(localTime(d), '030405');
    assert.equal(localDate(d), '0102');
  });
});
