import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { findUnmaskedPans } from '../../protocols/domain/pan.ts';
import { frameForTcp, packIso } from '../../protocols/iso8583/index.ts';
import { AcquirerHost, type CardAccountSeed, IsoTcpClient, type IsoTrace } from '../../simulators/acquirer/index.ts';
import { ALICE, BOB, CAROL, cny, DAVE, hostClock, MID, seededLedger, TID } from '../support/bankFixture.ts';
import { DE7, type SaleOptions, saleRequest } from '../support/isoMessages.ts';

const CARD = { alice: ALICE, bob: BOB, carol: CAROL, dave: DAVE };

let stan = 100;
/** A packed-ready 0200 as the simulated terminal sends it. */
function sale(card: CardAccountSeed, amountMinor: number, options: Omit<SaleOptions, 'stan'> = {}) {
  stan += 1;
  return saleRequest(card, amountMinor, { ...options, stan: String(stan).padStart(6, '0') });
}

describe('acquirer host: purchases and balance inquiries over TCP', () => {
  const ledger = seededLedger(Object.values(CARD));
  const host = new AcquirerHost({ ledger, now: hostClock });
  const traces: IsoTrace[] = [];
  host.on('trace', (t: IsoTrace) => traces.push(t));
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

  test('an approved 0200 debits the card, credits the merchant and answers 0210 with RRN and auth code', async () => {
    const request = sale(CARD.alice, 10000);
    const reply = await client.request(request);
    assert.equal(reply.mti, '0210');
    assert.equal(reply.fields[39], '00');
    assert.match(reply.fields[37] ?? '', /^\d{12}$/);
    assert.match(reply.fields[38] ?? '', /^\d{6}$/);
    for (const n of [2, 3, 4, 7, 11, 12, 13, 41, 42, 49])
      assert.equal(reply.fields[n], request.fields[n], `DE${n} echoed`);
    assert.equal(reply.fields[52], undefined);
    assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(10000));
    const entry = ledger.journal()[0];
    assert.deepEqual(
      [entry?.tid, entry?.stan, entry?.transmission, entry?.rrn],
      [TID, request.fields[11], DE7, reply.fields[37]],
    );
  });

  test('traces carry both directions, masked: no PAN in clear, no PIN block', async () => {
    traces.length = 0;
    await client.request(sale(CARD.alice, 100));
    assert.deepEqual(
      traces.map((t) => [t.dir, t.message.mti]),
      [
        ['in', '0200'],
        ['out', '0210'],
      ],
    );
    const text = JSON.stringify(traces);
    assert.deepEqual(findUnmaskedPans(text), []);
    assert.equal(traces[0]?.message.fields[2], '622848*********0018');
    assert.equal(traces[0]?.message.fields[52], undefined);
  });

  test('insufficient funds answers 51 without an auth code and posts nothing', async () => {
    const reply = await client.request(sale(CARD.bob, 10000));
    assert.equal(reply.fields[39], '51');
    assert.equal(reply.fields[38], undefined);
    assert.deepEqual(ledger.cardBalance('bob'), cny(5000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(0));
    assert.deepEqual(ledger.postings(), []);
  });

  test('wrong PIN answers 55, then 75 at the third try, and 75 even for the right PIN until reset', async () => {
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 3; i++) codes.push((await client.request(sale(CARD.alice, 100, { pin: '999999' }))).fields[39]);
    assert.deepEqual(codes, ['55', '55', '75']);
    assert.equal((await client.request(sale(CARD.alice, 100))).fields[39], '75');
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    ledger.reset();
    assert.equal((await client.request(sale(CARD.alice, 100))).fields[39], '00');
  });

  test('a tap without DE52 needs no PIN', async () => {
    assert.equal((await client.request(sale(CARD.alice, 100, { pin: null }))).fields[39], '00');
  });

  test('unknown PAN, lost card and wrong expiry answer 14; an expired card answers 54', async () => {
    const stranger = { ...CARD.alice, pan: '6200000000000000003' };
    assert.equal((await client.request(sale(stranger, 100))).fields[39], '14');
    assert.equal((await client.request(sale(CARD.dave, 100))).fields[39], '14');
    assert.equal((await client.request(sale(CARD.alice, 100, { expiry: '2912' }))).fields[39], '14');
    assert.equal((await client.request(sale(CARD.carol, 100))).fields[39], '54');
    assert.equal(ledger.journal().length, 4);
    assert.deepEqual(ledger.postings(), []);
  });

  test('a foreign currency or an unknown MID answers 05', async () => {
    const usd = sale(CARD.alice, 100);
    usd.fields[49] = '840';
    assert.equal((await client.request(usd)).fields[39], '05');
    const stranger = sale(CARD.alice, 100);
    stranger.fields[42] = '999999999999999';
    assert.equal((await client.request(stranger)).fields[39], '05');
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
  });

  test('a balance inquiry (DE3 31xxxx) returns DE54 and moves nothing', async () => {
    const inquiry = sale(CARD.alice, 0);
    inquiry.fields[3] = '310000';
    delete inquiry.fields[4];
    const reply = await client.request(inquiry);
    assert.equal(reply.fields[39], '00');
    assert.equal(reply.fields[54], '1002156C000000050000');
    assert.deepEqual(ledger.postings(), []);
    assert.equal(ledger.journal()[0]?.kind, 'balance-inquiry');
  });

  test('a duplicate 0200 (same TID, STAN, DE7) replays the first response and is not posted twice', async () => {
    const request = sale(CARD.alice, 2500);
    const first = await client.request(request);
    const second = await client.request(request);
    assert.deepEqual(second, first);
    assert.deepEqual(ledger.cardBalance('alice'), cny(47500));
    assert.equal(ledger.journal().length, 1);
  });

  test('two requests in one TCP write are both answered, in order', async () => {
    const a = sale(CARD.alice, 100);
    const b = sale(CARD.bob, 100000);
    client.sendRaw(Buffer.concat([frameForTcp(packIso(a)), frameForTcp(packIso(b))]));
    const [ra, rb] = [await client.receive(), await client.receive()];
    assert.deepEqual([ra.fields[11], ra.fields[39]], [a.fields[11], '00']);
    assert.deepEqual([rb.fields[11], rb.fields[39]], [b.fields[11], '51']);
  });
});
