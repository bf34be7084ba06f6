import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { ALICE, BOB, cny, MID, seededLedger } from '../support/bankFixture.ts';
import { ledgerPurchase, ledgerReversalOf as reversalOf } from '../support/ledgerRequests.ts';

const purchase = (stan: string, amountMinor: number, pinEntered = ALICE.pin) =>
  ledgerPurchase(ALICE, stan, amountMinor, { pinEntered });

describe('ledger: every balance at once, and the seeded host defects', () => {
  const ledger = seededLedger([ALICE, BOB]);
  beforeEach(() => ledger.reset());
  after(() => ledger.close());

  test('balances() lists every card and merchant account (no system accounts), keyed by kind', () => {
    ledger.setCardBalance('bob', cny(700)); // creates the system adjustments account
    assert.deepEqual(
      ledger.balances(),
      new Map([
        ['card:alice', cny(50000)],
        ['card:bob', cny(700)],
        [`merchant:${MID}`, cny(0)],
      ]),
    );
  });

  test('clean: a reversal moves the money back once', () => {
    const request = purchase('000001', 10000);
    ledger.authorizePurchase(request);
    ledger.reverse(reversalOf(request));
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(0));
  });

  test("'double-post-reversal': one journal entry, its postings twice — the merchant pays it back twice", () => {
    const request = purchase('000001', 10000);
    ledger.authorizePurchase(request, ['double-post-reversal']); // the purchase itself is untouched
    assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
    const outcome = ledger.reverse(reversalOf(request), ['double-post-reversal']);
    assert.equal(outcome.responseCode, '00');
    assert.deepEqual(ledger.cardBalance('alice'), cny(60000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(-10000));
    assert.equal(ledger.journal().filter((e) => e.kind === 'reversal').length, 1);
    assert.equal(ledger.postings().filter((p) => p.journalId === outcome.journalId).length, 4);
    assert.deepEqual(ledger.audit(), []); // still double-entry: money is conserved, the transaction's net is wrong
    // a second reversal stays idempotent even with the defect
    ledger.reverse(reversalOf(request), ['double-post-reversal']);
    assert.deepEqual(ledger.cardBalance('alice'), cny(60000));
  });

  test("'post-declined': a wrong PIN (55) still moves the money; an unknown card cannot", () => {
    const declined = ledger.authorizePurchase(purchase('000001', 10000, '000000'), ['post-declined']);
    assert.equal(declined.responseCode, '55');
    assert.equal(declined.posted, true);
    assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(10000));
    const unknown = ledger.authorizePurchase({ ...purchase('000002', 10000), pan: '4000000000000002' }, [
      'post-declined',
    ]);
    assert.equal(unknown.responseCode, '14');
    assert.equal(unknown.posted, false);
  });

  test("'post-declined' is not switched on by the other defects, nor by default", () => {
    for (const defects of [[], ['double-post-reversal', 'double-post-duplicate']] as const) {
      ledger.reset();
      const declined = ledger.authorizePurchase(purchase('000001', 10000, '000000'), defects);
      assert.equal(declined.posted, false);
      assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    }
  });
});
