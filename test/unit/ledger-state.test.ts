import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LedgerError } from '../../simulators/acquirer/index.ts';
import { ALICE, cny, MERCHANTS, MID, seededLedger as seeded } from '../support/bankFixture.ts';
import { ledgerPurchase } from '../support/ledgerRequests.ts';

const sale = (pinEntered: string, stan: string) => ledgerPurchase(ALICE, stan, 2000, { pinEntered });

describe('ledger state', () => {
  test('reset restores seed balances, clears the journal and postings, and zeroes PIN tries', () => {
    const ledger = seeded();
    ledger.authorizePurchase(sale('123456', '000001'));
    ledger.authorizePurchase(sale('000000', '000002'));
    ledger.setCardBalance('alice', cny(100));
    assert.equal(ledger.findCardByPan(ALICE.pan)?.pinTries, 1);
    ledger.reset();
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(0));
    assert.deepEqual(ledger.journal(), []);
    assert.deepEqual(ledger.postings(), []);
    assert.equal(ledger.findCardByPan(ALICE.pan)?.pinTries, 0);
    assert.deepEqual(ledger.audit(), []);
    ledger.close();
  });

  test('RRNs stay unique across reset', () => {
    const ledger = seeded();
    const first = ledger.authorizePurchase(sale('123456', '000001')).rrn;
    ledger.reset();
    const second = ledger.authorizePurchase(sale('123456', '000001')).rrn;
    assert.notEqual(first, second);
    ledger.close();
  });

  test('setCardBalance is an adjustment: the only entry that changes total money, by its signed amount', () => {
    const ledger = seeded();
    const before = ledger.totalMoney('CNY');
    ledger.setCardBalance('alice', cny(80000));
    ledger.setCardBalance('alice', cny(30000));
    assert.deepEqual(ledger.cardBalance('alice'), cny(30000));
    const adjustments = ledger.journal().filter((e) => e.kind === 'adjustment');
    assert.deepEqual(
      adjustments.map((e) => [e.amount.minor, e.posted, e.cardAlias]),
      [
        [30000, true, 'alice'],
        [-50000, true, 'alice'],
      ],
    );
    const adjusted = adjustments.reduce((sum, e) => sum + e.amount.minor, 0);
    assert.equal(ledger.totalMoney('CNY'), before + adjusted);
    assert.deepEqual(ledger.audit(), []);
    ledger.close();
  });

  test('setCardBalance refuses another currency and unknown cards, naming what was wrong', () => {
    const ledger = seeded();
    assert.throws(() => ledger.setCardBalance('alice', { minor: 1, currency: 'USD' }), /holds CNY.*USD/);
    assert.throws(
      () => ledger.cardBalance('zoe'),
      (e: unknown) => e instanceof LedgerError && /"zoe".*alice/.test(e.message),
    );
    assert.throws(() => ledger.merchantBalance('nope'), LedgerError);
    ledger.close();
  });

  test('seed is idempotent and validates, naming the field', () => {
    const ledger = seeded();
    ledger.authorizePurchase(sale('123456', '000001'));
    ledger.seed([ALICE], MERCHANTS);
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.deepEqual(ledger.journal(), []);
    assert.throws(() => ledger.seed([{ ...ALICE, expiry: '3013' }], MERCHANTS), /cards\[0\]\.expiry/);
    assert.throws(() => ledger.seed([ALICE, { ...ALICE, alias: 'twin' }], MERCHANTS), /cards\[1\]\.pan.*twice/);
    assert.throws(() => ledger.seed([ALICE], [{ mid: MID, name: 'x', currency: 'XYZ' }]), /merchants\[0\]\.currency/);
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000), 'a rejected seed changes nothing');
    ledger.close();
  });

  test('findCardByPan returns the card seed with its try counter', () => {
    const ledger = seeded();
    assert.deepEqual(ledger.findCardByPan(ALICE.pan), { ...ALICE, pinTries: 0 });
    assert.equal(ledger.findCardByPan('4000000000000002'), undefined);
    ledger.close();
  });
});
