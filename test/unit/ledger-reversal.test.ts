import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import type { CardAccountSeed, PurchaseRequest } from '../../simulators/acquirer/index.ts';
import { ALICE, BOB, cny, MID, seededLedger, TID, VISA } from '../support/bankFixture.ts';
import { ledgerPurchase, ledgerReversalOf as reversalOf } from '../support/ledgerRequests.ts';

const CARDS: CardAccountSeed[] = [ALICE, BOB, VISA];

const purchase = (card: CardAccountSeed, stan: number, amountMinor: number, tid = TID): PurchaseRequest =>
  ledgerPurchase(card, String(stan).padStart(6, '0'), amountMinor, { tid });

/** Deterministic PRNG (mulberry32), so the random walk is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ledger reversals', () => {
  const ledger = seededLedger(CARDS);
  beforeEach(() => ledger.reset());
  after(() => ledger.close());
  const alice = CARDS[0] as CardAccountSeed;

  test('a reversal puts the money back once; a repeat answers 00 and moves nothing', () => {
    const sale = purchase(alice, 1, 12345);
    const original = ledger.authorizePurchase(sale);
    const first = ledger.reverse(reversalOf(sale));
    assert.deepEqual([first.responseCode, first.posted, first.reverses], ['00', true, original.journalId]);
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(0));
    const again = ledger.reverse(reversalOf(sale, '0504100200'));
    assert.deepEqual([again.responseCode, again.posted, again.reverses], ['00', false, original.journalId]);
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.equal(ledger.postings().length, 4);
    assert.deepEqual(ledger.audit(), []);
  });

  test('the reversal of a declined original answers 00 and moves nothing', () => {
    const sale = purchase(alice, 2, 99999999);
    assert.equal(ledger.authorizePurchase(sale).responseCode, '51');
    const outcome = ledger.reverse(reversalOf(sale));
    assert.deepEqual([outcome.responseCode, outcome.posted], ['00', false]);
    assert.deepEqual(ledger.postings(), []);
  });

  test('an unknown original is journalled and answered 25; the late original is then declined', () => {
    const sale = purchase(alice, 3, 1000);
    const outcome = ledger.reverse(reversalOf(sale));
    assert.equal(outcome.responseCode, '25');
    const [entry] = ledger.journal();
    assert.deepEqual(
      [entry?.kind, entry?.responseCode, entry?.posted, entry?.reverses],
      ['reversal', '25', false, null],
    );
    assert.equal(entry?.maskedPan, '622848*********0018');
    assert.equal(ledger.authorizePurchase(sale).responseCode, '05');
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
  });

  test('the original is looked up by TID too', () => {
    const sale = purchase(alice, 4, 1000, 'TID00001');
    ledger.authorizePurchase(sale);
    assert.equal(ledger.reverse({ ...reversalOf(sale), tid: 'TID00002' }).responseCode, '25');
    assert.deepEqual(ledger.cardBalance('alice'), cny(49000));
  });

  test('money is conserved over many random purchases and reversals', () => {
    const next = random(20260504);
    const total = ledger.totalMoney('CNY');
    const sales: PurchaseRequest[] = [];
    const outstanding = new Map<string, number>(CARDS.map((c) => [c.alias, 0]));
    for (let i = 1; i <= 400; i++) {
      if (sales.length > 0 && next() < 0.35) {
        const sale = sales[Math.floor(next() * sales.length)] as PurchaseRequest;
        const outcome = ledger.reverse(reversalOf(sale, String(504100000 + i).padStart(10, '0')));
        const card = CARDS.find((c) => c.pan === sale.pan) as CardAccountSeed;
        if (outcome.posted) outstanding.set(card.alias, (outstanding.get(card.alias) ?? 0) - sale.amountMinor);
      } else {
        const card = CARDS[Math.floor(next() * CARDS.length)] as CardAccountSeed;
        const sale = purchase(card, i, 1 + Math.floor(next() * 5000));
        const auth = ledger.authorizePurchase(sale);
        sales.push(sale);
        if (auth.posted) outstanding.set(card.alias, (outstanding.get(card.alias) ?? 0) + sale.amountMinor);
      }
      assert.equal(ledger.totalMoney('CNY'), total, `after step ${i}`);
    }
    for (const card of CARDS) {
      assert.equal(ledger.cardBalance(card.alias).minor, card.balance.minor - (outstanding.get(card.alias) ?? 0));
    }
    const merchantExpected = [...outstanding.values()].reduce((sum, v) => sum + v, 0);
    assert.deepEqual(ledger.merchantBalance(MID), cny(merchantExpected));
    assert.ok(
      ledger.journal().some((e) => e.responseCode === '51'),
      'the walk should hit insufficient funds',
    );
    assert.ok(ledger.journal().some((e) => e.kind === 'reversal' && e.posted));
    assert.deepEqual(ledger.audit(), []);
  });
});
