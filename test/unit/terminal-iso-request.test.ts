import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packIso, unpackIso } from '../../protocols/iso8583/index.ts';
import { decryptPinBlock, encryptPinBlock } from '../../protocols/pinblock/index.ts';
import { financialRequest, responseMti, track2For } from '../../simulators/terminal/index.ts';

const AT = new Date(Date.UTC(2025, 11, 31, 23, 59, 58));
const CARD = { method: 'swipe', pan: '4111111111111111', expiry: '3012' } as const;

describe('terminal 0200 request', () => {
  it('carries the purchase fields and survives pack/unpack', () => {
    const request = financialRequest({
      kind: 'sale',
      card: CARD,
      amount: { minor: 12345, currency: 'CNY' },
      stan: '000007',
      at: AT,
      tid: 'T1',
      mid: '12345',
      pinBlock: encryptPinBlock('1234', CARD.pan),
    });
    const back = unpackIso(packIso(request));
    assert.equal(back.mti, '0200');
    assert.equal(back.fields[2], CARD.pan);
    assert.equal(back.fields[3], '000000');
    assert.equal(back.fields[4], '000000012345');
    assert.equal(back.fields[7], '1231235958');
    assert.equal(back.fields[11], '000007');
    assert.equal(back.fields[14], '3012');
    assert.equal(back.fields[22], '021');
    assert.equal(back.fields[25], '00');
    assert.equal(back.fields[35], '4111111111111111=30121010000000000000');
    assert.equal(back.fields[41], 'T1      ', 'TID space-padded to 8');
    assert.equal(back.fields[42], '12345          ', 'MID space-padded to 15');
    assert.equal(back.fields[49], '156');
    assert.equal(decryptPinBlock(back.fields[52] ?? '', CARD.pan), '1234');
  });

  it('sets DE22 per card method, DE35 only for swipe, DE52 only with a PIN, DE3 20 for refunds', () => {
    const base = { amount: { minor: 1, currency: 'CNY' }, stan: '000001', at: AT, tid: 'T0000001', mid: 'M' } as const;
    const entry = (method: 'swipe' | 'chip' | 'tap' | 'qr') =>
      financialRequest({ ...base, kind: 'sale', card: { ...CARD, method } });
    assert.deepEqual(
      (['swipe', 'chip', 'tap', 'qr'] as const).map((m) => entry(m).fields[22]),
      ['021', '051', '071', '031'],
    );
    assert.equal(entry('chip').fields[35], undefined);
    assert.equal(entry('chip').fields[52], undefined);
    assert.equal(financialRequest({ ...base, kind: 'refund', card: CARD }).fields[3], '200000');
  });

  it('keeps a track 2 the reader supplied and caps a made-up one at 37 characters', () => {
    assert.equal(track2For({ ...CARD, track2: '4111111111111111=3012201' }), '4111111111111111=3012201');
    assert.equal(track2For({ ...CARD, pan: '6228480402564890018' }).length, 37);
  });

  it('derives the response MTI from the request MTI', () => {
    assert.equal(responseMti('0200'), '0210');
    assert.equal(responseMti('0400'), '0410');
    assert.equal(responseMti('0800'), '0810');
    assert.throws(() => responseMti('0210'), /not a request MTI/);
  });
});
