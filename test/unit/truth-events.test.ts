import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import { pendingReversalsFrom, transactionsFrom } from '../../rigs/truth/index.ts';

const TID = 'T0000001';
let n = 0;
const id = () => `t${++n}`;
const print = (copy: 'merchant' | 'cardholder', reprint = false): TerminalEvent => ({
  type: 'print',
  id: id(),
  lines: ['POS签购单'],
  copy,
  reprint,
});
const result = (
  stan: string | undefined,
  outcome: 'approved' | 'declined' | 'timeout',
  ref: string,
): TerminalEvent => ({
  type: 'result',
  id: id(),
  command: 'sale',
  outcome,
  ref,
  amount: 10000,
  currency: 'CNY',
  ...(stan === undefined ? {} : { stan }),
});
/** The `reversal` event, built structurally so this test compiles before and after it joins the TerminalEvent union. */
const reversal = (stan: string, status: 'stored' | 'sent' | 'confirmed') =>
  ({ type: 'reversal', id: id(), stan, status }) as unknown as TerminalEvent;

describe('transactionsFrom', () => {
  test('a result with a STAN is a transaction; its receipt is the prints since the previous result', () => {
    const events: TerminalEvent[] = [
      { type: 'display', id: id(), lines: ['交易成功'] },
      print('merchant'),
      print('cardholder'),
      result('000012', 'approved', 'c1'),
      result('000013', 'declined', 'c2'),
      result(undefined, 'declined', 'c3'), // declined before going online: no STAN, no transaction
    ];
    assert.deepEqual(transactionsFrom(events, TID), [
      {
        stan: '000012',
        tid: TID,
        outcome: 'approved',
        amount: { minor: 10000, currency: 'CNY' },
        receiptPrinted: true,
        reprints: 0,
      },
      {
        stan: '000013',
        tid: TID,
        outcome: 'declined',
        amount: { minor: 10000, currency: 'CNY' },
        receiptPrinted: false,
        reprints: 0,
      },
    ]);
  });

  test('reprints after a result belong to that transaction and are counted', () => {
    const events = [
      print('merchant'),
      result('000012', 'approved', 'c1'),
      print('cardholder', true), // paper loaded: the missing copy, marked
      print('cardholder', true), // the merchant asked for a reprint
      result('000013', 'timeout', 'c2'),
    ];
    const [first, second] = transactionsFrom(events, TID);
    assert.equal(first?.reprints, 2);
    assert.equal(first?.receiptPrinted, true);
    assert.equal(second?.reprints, 0);
    assert.equal(second?.receiptPrinted, false);
  });

  test('the same result sent again (lastResult) is not a second transaction', () => {
    const again = result('000012', 'approved', 'c1');
    const events = [print('cardholder'), again, { ...again, id: id() } as TerminalEvent];
    assert.equal(transactionsFrom(events, TID).length, 1);
  });
});

describe('pendingReversalsFrom', () => {
  test('STANs stored or sent but never confirmed, oldest first', () => {
    const events = [
      reversal('000012', 'stored'),
      reversal('000012', 'sent'),
      reversal('000013', 'stored'),
      reversal('000012', 'sent'),
      reversal('000012', 'confirmed'),
      reversal('000014', 'stored'),
      reversal('000014', 'sent'),
    ];
    assert.deepEqual(pendingReversalsFrom(events), ['000013', '000014']);
  });

  test('no reversal events: nothing pending', () => {
    assert.deepEqual(pendingReversalsFrom([print('merchant'), result('000012', 'approved', 'c1')]), []);
  });
});
