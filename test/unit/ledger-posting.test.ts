import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { type CardAccountSeed, Ledger, type PurchaseRequest } from '../../simulators/acquirer/index.ts';
import { ALICE, BOB, CAROL, cny, DAVE, MERCHANTS, MID, seededLedger, VISA } from '../support/bankFixture.ts';
import { ledgerPurchase } from '../support/ledgerRequests.ts';

const CARDS: CardAccountSeed[] = [
  ALICE,
  BOB,
  CAROL,
  DAVE,
  { ...VISA, alias: 'sam', balance: { minor: 9000, currency: 'USD' } },
];

let stan = 0;
/** Alice buys for 100.00 CNY with the next STAN, unless `over` says otherwise. */
function purchase(over: Partial<PurchaseRequest> = {}): PurchaseRequest {
  stan += 1;
  return ledgerPurchase(ALICE, String(stan).padStart(6, '0'), 10000, over);
}

describe('ledger purchases', () => {
  const ledger = seededLedger(CARDS);
  beforeEach(() => ledger.reset());
  after(() => ledger.close());

  test('an approved purchase debits the cardholder, credits the merchant and journals balanced postings', () => {
    const auth = ledger.authorizePurchase(purchase());
    assert.equal(auth.responseCode, '00');
    assert.equal(auth.posted, true);
    assert.match(auth.rrn, /^\d{12}$/);
    assert.match(auth.authCode ?? '', /^\d{6}$/);
    assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(10000));
    const [entry] = ledger.journal();
    assert.equal(entry?.kind, 'purchase');
    assert.equal(entry?.posted, true);
    assert.equal(entry?.maskedPan, '622848*********0018');
    assert.equal(entry?.cardAlias, 'alice');
    assert.deepEqual(entry?.amount, cny(10000));
    assert.deepEqual(
      ledger.postings().map((p) => [p.account, p.amount.minor]),
      [
        ['card:alice', -10000],
        [`merchant:${MID}`, 10000],
      ],
    );
    assert.deepEqual(ledger.audit(), []);
  });

  test('each decline is journalled with posted: false and moves nothing', () => {
    const cases: Array<[string, Partial<PurchaseRequest>]> = [
      ['51', { pan: '6214831234567890125', pinEntered: '654321' }],
      ['14', { pan: '6200000000000000000' }],
      ['14', { pan: '6222021234123412342', pinEntered: '222222' }],
      ['14', { expiry: '2912' }],
      ['54', { pan: '6258076543210005', expiry: '2001', pinEntered: '111111' }],
      ['05', { mid: '999999999999999' }],
      ['05', { currency: 'USD' }],
      ['05', { pan: '4111111111111111', pinEntered: '1234' }],
      ['05', { currency: 'numeric:999' }],
      ['05', { amountMinor: 0 }],
    ];
    for (const [code, over] of cases) {
      const auth = ledger.authorizePurchase(purchase(over));
      assert.equal(auth.responseCode, code, JSON.stringify(over));
      assert.equal(auth.authCode, null);
    }
    assert.equal(ledger.journal().length, cases.length);
    assert.ok(ledger.journal().every((e) => !e.posted && e.kind === 'purchase'));
    assert.deepEqual(ledger.postings(), []);
    assert.deepEqual(ledger.cardBalance('bob'), cny(5000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(0));
  });

  test('a tap without PIN (no DE52) is allowed', () => {
    assert.equal(ledger.authorizePurchase(purchase({ pinEntered: null })).responseCode, '00');
  });

  test('wrong PINs answer 55, 55, then 75 at the third; 75 stays, even for the right PIN, until reset', () => {
    const codes = ['1', '2', '3'].map(() => ledger.authorizePurchase(purchase({ pinEntered: '000000' })).responseCode);
    assert.deepEqual(codes, ['55', '55', '75']);
    assert.equal(ledger.findCardByPan(ALICE.pan)?.pinTries, 3);
    assert.equal(ledger.authorizePurchase(purchase()).responseCode, '75');
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    ledger.reset();
    assert.equal(ledger.findCardByPan(ALICE.pan)?.pinTries, 0);
    assert.equal(ledger.authorizePurchase(purchase()).responseCode, '00');
  });

  test('the right PIN clears the try counter; an unreadable PIN block counts as wrong', () => {
    assert.equal(ledger.authorizePurchase(purchase({ pinEntered: '' })).responseCode, '55');
    assert.equal(ledger.findCardByPan(ALICE.pan)?.pinTries, 1);
    assert.equal(ledger.authorizePurchase(purchase()).responseCode, '00');
    assert.equal(ledger.findCardByPan(ALICE.pan)?.pinTries, 0);
  });

  test('a balance inquiry checks the PIN, returns the balance and moves nothing', () => {
    const auth = ledger.inquireBalance(purchase({ amountMinor: 0 }));
    assert.equal(auth.responseCode, '00');
    assert.deepEqual(auth.balance, cny(50000));
    assert.equal(ledger.inquireBalance(purchase({ pinEntered: '999999' })).balance, null);
    assert.deepEqual(
      ledger.journal().map((e) => [e.kind, e.responseCode, e.posted]),
      [
        ['balance-inquiry', '00', false],
        ['balance-inquiry', '55', false],
      ],
    );
  });
});

describe('ledger atomicity', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'posrig-ledger-'));
  const file = path.join(dir, 'ledger.db');
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a failure between the debit and the credit posting leaves nothing half-written', () => {
    const ledger = Ledger.open(file);
    const saboteur = new Database(file);
    try {
      ledger.seed(CARDS, MERCHANTS);
      assert.equal(saboteur.pragma('journal_mode', { simple: true }), 'wal');
      // The credit posting (positive amount) aborts: the debit row and the card's balance update already happened.
      saboteur.exec(`CREATE TRIGGER sabotage BEFORE INSERT ON postings WHEN NEW.amount_minor > 0
                     BEGIN SELECT RAISE(ABORT, 'forced failure at the credit posting'); END`);
      assert.throws(() => ledger.authorizePurchase(purchase()), /forced failure at the credit posting/);
      assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
      assert.deepEqual(ledger.merchantBalance(MID), cny(0));
      assert.deepEqual(ledger.journal(), []);
      assert.deepEqual(ledger.postings(), []);
      assert.deepEqual(ledger.audit(), []);

      saboteur.exec('DROP TRIGGER sabotage');
      assert.equal(ledger.authorizePurchase(purchase()).responseCode, '00');
      assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
    } finally {
      saboteur.close();
      ledger.close();
    }
  });

  test('an unknown merchant is declined 05 before anything moves', () => {
    const ledger = Ledger.open(':memory:');
    ledger.seed(CARDS, []);
    const auth = ledger.authorizePurchase(purchase());
    assert.equal(auth.responseCode, '05');
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.deepEqual(ledger.postings(), []);
    assert.equal(ledger.journal()[0]?.posted, false);
    ledger.close();
  });
});
