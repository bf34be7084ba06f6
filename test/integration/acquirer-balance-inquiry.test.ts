import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import { AcquirerHost, type CardAccountSeed, IsoTcpClient } from '../../simulators/acquirer/index.ts';
import { ALICE, BOB, CAROL, cny, DAVE, hostClock, MID, seededLedger, TID } from '../support/bankFixture.ts';
import { DE7, type SaleOptions, saleRequest } from '../support/isoMessages.ts';

let stan = 500;
const nextStan = () => String(++stan).padStart(6, '0');

/** A 0200 purchase as the simulated terminal sends it. */
function sale(card: CardAccountSeed, amountMinor: number, options: Omit<SaleOptions, 'stan'> = {}): IsoMessage {
  return saleRequest(card, amountMinor, { ...options, stan: nextStan() });
}

/** A 0200 balance inquiry: a purchase's card, expiry, PIN and merchant fields, DE3 310000, no DE4. */
function inquiry(card: CardAccountSeed, options: Omit<SaleOptions, 'stan'> = {}): IsoMessage {
  const request = sale(card, 0, options);
  request.fields[3] = '310000';
  delete request.fields[4];
  return request;
}

/** posrig's merchant balance inquiry: DE3 310000, no card (no DE2, DE35, DE14, DE52), DE42 the MID. */
function merchantInquiry(mid = MID): IsoMessage {
  return {
    mti: '0200',
    fields: { 3: '310000', 7: DE7, 11: nextStan(), 12: '180000', 13: '0504', 25: '00', 41: TID, 42: mid, 49: '156' },
  };
}

describe('acquirer host: balance inquiry (DE3 31xxxx) over TCP', () => {
  const ledger = seededLedger([ALICE, BOB, CAROL, DAVE]);
  const host = new AcquirerHost({ ledger, now: hostClock });
  let client: IsoTcpClient;

  before(async () => {
    client = await IsoTcpClient.connect(await host.start());
  });
  beforeEach(() => ledger.reset());
  after(async () => {
    client.close();
    await host.stop();
    ledger.close();
  });

  test('answers 0210 00 with DE54 (account 10, available 02, currency, C, 12 digits), journalled, moving nothing', async () => {
    const request = inquiry(ALICE);
    const reply = await client.request(request);
    assert.equal(reply.mti, '0210');
    assert.equal(reply.fields[39], '00');
    assert.equal(reply.fields[54], '1002156C000000050000');
    assert.match(reply.fields[37] ?? '', /^\d{12}$/);
    assert.match(reply.fields[38] ?? '', /^\d{6}$/);
    for (const n of [2, 3, 7, 11, 41, 42, 49]) assert.equal(reply.fields[n], request.fields[n], `DE${n} echoed`);
    assert.equal(reply.fields[4], undefined);
    const [entry] = ledger.journal();
    assert.deepEqual(
      [entry?.kind, entry?.responseCode, entry?.posted, entry?.tid, entry?.stan, entry?.cardAlias, entry?.mti],
      ['balance-inquiry', '00', false, TID, request.fields[11], 'alice', '0200'],
    );
    assert.deepEqual(ledger.postings(), []);
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(0));
  });

  test('a zero DE4 and a card read from track 2 only (DE35, no DE2, no DE14) are answered alike', async () => {
    const request = inquiry(BOB);
    request.fields[4] = '000000000000';
    request.fields[35] = `${BOB.pan}=${BOB.expiry}1010000000000`;
    delete request.fields[2];
    delete request.fields[14];
    const reply = await client.request(request);
    assert.deepEqual([reply.fields[39], reply.fields[54]], ['00', '1002156C000000005000']);
  });

  test('after a purchase the inquiry shows the debit; a balance below zero is signed D', async () => {
    assert.equal((await client.request(sale(ALICE, 12345))).fields[39], '00');
    assert.equal((await client.request(inquiry(ALICE))).fields[54], '1002156C000000037655');
    ledger.setCardBalance('bob', cny(-250));
    assert.equal((await client.request(inquiry(BOB))).fields[54], '1002156D000000000250');
  });

  test('a wrong PIN answers 55 without DE54, the third 75 — the try counter shared with purchases — moving nothing', async () => {
    const codes: Array<[string | undefined, string | undefined]> = [];
    for (let i = 0; i < 2; i++) {
      const reply = await client.request(inquiry(ALICE, { pin: '999999' }));
      codes.push([reply.fields[39], reply.fields[54]]);
    }
    const purchase = await client.request(sale(ALICE, 100, { pin: '000000' }));
    codes.push([purchase.fields[39], purchase.fields[54]]);
    const right = await client.request(inquiry(ALICE));
    codes.push([right.fields[39], right.fields[54]]);
    assert.deepEqual(codes, [
      ['55', undefined],
      ['55', undefined],
      ['75', undefined],
      ['75', undefined],
    ]);
    assert.deepEqual(ledger.postings(), []);
    assert.deepEqual(
      ledger.journal().map((e) => [e.kind, e.posted]),
      [
        ['balance-inquiry', false],
        ['balance-inquiry', false],
        ['purchase', false],
        ['balance-inquiry', false],
      ],
    );
  });

  test('a right PIN clears the try counter, as for a purchase', async () => {
    assert.equal((await client.request(inquiry(ALICE, { pin: '999999' }))).fields[39], '55');
    assert.equal((await client.request(inquiry(ALICE))).fields[39], '00');
    assert.equal(ledger.findCardByPan(ALICE.pan)?.pinTries, 0);
  });

  test('declines as for a purchase: unknown PAN 14, lost 14, wrong expiry 14, expired 54, currency or MID 05', async () => {
    const stranger = { ...ALICE, pan: '6200000000000000003' };
    const foreign = inquiry(ALICE);
    foreign.fields[49] = '840';
    const elsewhere = inquiry(ALICE);
    elsewhere.fields[42] = '999999999999999';
    const requests = [
      inquiry(stranger),
      inquiry(DAVE),
      inquiry(ALICE, { expiry: '2912' }),
      inquiry(CAROL),
      foreign,
      elsewhere,
    ];
    const replies = [];
    for (const request of requests) replies.push(await client.request(request));
    assert.deepEqual(
      replies.map((r) => [r.fields[39], r.fields[54]]),
      ['14', '14', '14', '54', '05', '05'].map((code) => [code, undefined]),
    );
    assert.deepEqual(ledger.postings(), []);
  });

  test('a scripted decline waits for the next purchase: the inquiry before it is approved', async () => {
    ledger.declineNextPurchase('51');
    assert.equal((await client.request(inquiry(ALICE))).fields[39], '00');
    assert.equal((await client.request(sale(ALICE, 100))).fields[39], '51');
    assert.equal((await client.request(sale(ALICE, 100))).fields[39], '00');
  });

  test('a scripted decline may be any DE39 (an 2) but 00: letters too, as acquirers use them', async () => {
    ledger.declineNextPurchase('N7');
    assert.equal((await client.request(sale(ALICE, 100))).fields[39], 'N7');
    assert.throws(() => ledger.declineNextPurchase('00'), /not a decline response code/);
    assert.throws(() => ledger.declineNextPurchase('n7'), /two digits or capitals/);
  });

  test('a repeated inquiry (same TID, STAN, DE7) gets the first answer again and is journalled once', async () => {
    const request = inquiry(ALICE);
    const first = await client.request(request);
    await client.request(sale(ALICE, 1000));
    const again = await client.request(request);
    assert.deepEqual(again, first);
    assert.equal(ledger.journal().filter((e) => e.kind === 'balance-inquiry').length, 1);
  });

  test("posrig's merchant inquiry (no card, DE42 the MID) answers the merchant account's balance in DE54", async () => {
    await client.request(sale(ALICE, 10000));
    const request = merchantInquiry();
    const reply = await client.request(request);
    assert.deepEqual([reply.mti, reply.fields[39], reply.fields[54]], ['0210', '00', '1002156C000000010000']);
    assert.equal(reply.fields[2], undefined);
    assert.equal(reply.fields[42], MID);
    const entry = ledger.journal().at(-1);
    assert.deepEqual(
      [entry?.kind, entry?.responseCode, entry?.posted, entry?.cardAlias, entry?.maskedPan, entry?.mid, entry?.stan],
      ['balance-inquiry', '00', false, null, null, MID, request.fields[11]],
    );
    assert.deepEqual(ledger.merchantBalance(MID), cny(10000));
    assert.equal(ledger.postings().length, 2, 'only the purchase posted');
    assert.deepEqual(ledger.audit(), []);
  });

  test('a merchant inquiry for an unknown MID, without DE42 or in another currency answers 05 without DE54', async () => {
    const unknown = merchantInquiry('999999999999999');
    const noMid = merchantInquiry();
    delete noMid.fields[42];
    const foreign = merchantInquiry();
    foreign.fields[49] = '840';
    const replies = [];
    for (const request of [unknown, noMid, foreign]) replies.push(await client.request(request));
    assert.deepEqual(
      replies.map((r) => [r.fields[39], r.fields[54]]),
      [
        ['05', undefined],
        ['05', undefined],
        ['05', undefined],
      ],
    );
    assert.deepEqual(
      ledger.journal().map((e) => [e.kind, e.posted]),
      Array.from({ length: 3 }, () => ['balance-inquiry', false]),
    );
  });
});
