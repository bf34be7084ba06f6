import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Money } from '../../protocols/domain/money.ts';
import type { BankJournalEntry } from '../../rigs/bank/bankProbe.ts';
import {
  checkPaymentTruth,
  ledgerDiff,
  type TerminalTransaction,
  type TruthInput,
  type Violation,
} from '../../rigs/truth/index.ts';

const TID = 'T0000001';
const MID = '104110045110012';
const cny = (minor: number): Money => ({ minor, currency: 'CNY' });

/** A hand-built bank: seeded balances, a journal written entry by entry with double-entry postings. */
class FakeBank {
  readonly before = new Map<string, Money>([
    ['card:alice', cny(50000)],
    ['card:bob', cny(5000)],
    [`merchant:${MID}`, cny(0)],
  ]);
  readonly after = new Map(this.before);
  readonly journal: BankJournalEntry[] = [];

  /** A 0200 purchase; moves money when posted. */
  purchase(stan: string, minor: number, rc = '00', options: { posted?: boolean; de7?: string; card?: string } = {}) {
    const posted = options.posted ?? rc === '00';
    return this.entry({ kind: 'purchase', mti: '0200', stan, minor, rc, posted, reverses: null, de7: options.de7 }, [
      [options.card ?? 'card:alice', -minor],
      [`merchant:${MID}`, minor],
    ]);
  }

  /** A 0400 reversal of an earlier entry; `times` > 1 posts the same postings again (a broken host). */
  reversal(of: BankJournalEntry, options: { posted?: boolean; times?: number } = {}) {
    const posted = options.posted ?? of.posted;
    const moves: [string, number][] = [];
    for (let i = 0; i < (options.times ?? 1); i += 1) {
      moves.push([`merchant:${MID}`, -of.amount.minor], ['card:alice', of.amount.minor]);
    }
    const stan = of.stan ?? '';
    return this.entry(
      { kind: 'reversal', mti: '0400', stan, minor: of.amount.minor, rc: '00', posted, reverses: of.id },
      moves,
    );
  }

  /** A test set-up adjustment of alice's card. */
  adjust(minor: number) {
    return this.entry({ kind: 'adjustment', mti: null, stan: null, minor, rc: '00', posted: true, reverses: null }, [
      ['card:alice', minor],
      ['system:adjustments:CNY', -minor],
    ]);
  }

  private entry(
    e: {
      kind: BankJournalEntry['kind'];
      mti: string | null;
      stan: string | null;
      minor: number;
      rc: string;
      posted: boolean;
      reverses: number | null;
      de7?: string | undefined;
    },
    moves: [string, number][],
  ): BankJournalEntry {
    const postings = e.posted ? moves.map(([account, minor]) => ({ account, amount: cny(minor) })) : [];
    for (const p of postings) {
      const was = this.after.get(p.account);
      if (was) this.after.set(p.account, cny(was.minor + p.amount.minor));
    }
    const entry: BankJournalEntry = {
      id: this.journal.length + 1,
      kind: e.kind,
      tid: e.kind === 'adjustment' ? null : TID,
      stan: e.stan,
      responseCode: e.rc,
      amount: cny(e.minor),
      maskedPan: e.kind === 'adjustment' ? null : '622848******0018',
      posted: e.posted,
      reverses: e.reverses,
      transmission: e.mti === null ? null : (e.de7 ?? '0504100000'),
      mti: e.mti,
      postings,
    };
    this.journal.push(entry);
    return entry;
  }

  input(transactions: TerminalTransaction[], pendingReversals: string[] = []): TruthInput {
    return {
      transactions,
      journal: this.journal,
      balancesBefore: this.before,
      balancesAfter: this.after,
      pendingReversals,
    };
  }
}

function said(stan: string, outcome: TerminalTransaction['outcome'], minor = 10000, extra = {}): TerminalTransaction {
  return { stan, tid: TID, outcome, amount: cny(minor), receiptPrinted: outcome === 'approved', reprints: 0, ...extra };
}

const rules = (violations: Violation[]) => violations.map((v) => v.rule);

describe('payment truth: clean scenarios pass', () => {
  test('an approved purchase with a receipt, posted once', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000);
    assert.deepEqual(checkPaymentTruth(bank.input([said('000012', 'approved')])), []);
  });

  test('a declined purchase (51) posts nothing', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 90000, '51');
    assert.deepEqual(checkPaymentTruth(bank.input([said('000012', 'declined', 90000)])), []);
  });

  test('a timed-out purchase that the host approved and the terminal reversed nets to 0', () => {
    const bank = new FakeBank();
    const original = bank.purchase('000012', 10000);
    bank.reversal(original);
    bank.reversal(original, { posted: false }); // a retried 0400: answered 00, moves nothing
    assert.deepEqual(checkPaymentTruth(bank.input([said('000012', 'timeout')])), []);
  });

  test('a wrong PIN (55) then the right PIN: two 0200s, one result, charged once', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000, '55');
    bank.purchase('000013', 10000);
    assert.deepEqual(checkPaymentTruth(bank.input([said('000013', 'approved')])), []);
  });

  test('a test set-up adjustment is money the scenario created on purpose', () => {
    const bank = new FakeBank();
    bank.adjust(-45000);
    bank.purchase('000012', 5000, '00');
    assert.deepEqual(checkPaymentTruth(bank.input([said('000012', 'approved', 5000, { reprints: 1 })])), []);
  });
});

describe('payment truth: each rule catches its breach', () => {
  test('net-effect: a reversal posted twice leaves the transaction at minus its amount', () => {
    const bank = new FakeBank();
    bank.reversal(bank.purchase('000012', 10000), { times: 2 });
    const violations = checkPaymentTruth(bank.input([said('000012', 'timeout')]));
    assert.deepEqual(rules(violations), ['net-effect']);
    assert.equal(
      violations[0]?.message,
      `STAN 000012 (${TID}): the ledger's net effect is -100.00 CNY; it must be exactly 0 or exactly 100.00 CNY ` +
        '(the terminal reported "timeout")',
    );
  });

  test('net-effect: a purchase posted twice (the host posted a duplicate)', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000);
    bank.purchase('000012', 10000);
    const violations = checkPaymentTruth(bank.input([said('000012', 'approved')]));
    assert.deepEqual(rules(violations), ['net-effect']);
    assert.match(
      violations[0]?.message ?? '',
      /net effect is 200\.00 CNY; it must be exactly 0 or exactly 100\.00 CNY/,
    );
  });

  test('approved-not-posted: the terminal printed an approved receipt, the ledger moved nothing', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000, '91', { posted: false });
    const violations = checkPaymentTruth(bank.input([said('000012', 'approved')]));
    assert.deepEqual(rules(violations), ['approved-not-posted']);
    assert.equal(
      violations[0]?.message,
      `STAN 000012 (${TID}): the terminal reported "approved" and printed a receipt for 100.00 CNY but the ledger ` +
        'moved 0.00 CNY (expected 100.00 CNY posted)',
    );
  });

  test('failed-not-zero: a timeout with no reversal leaves the cardholder charged', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000);
    const violations = checkPaymentTruth(bank.input([said('000012', 'timeout')]));
    assert.deepEqual(rules(violations), ['failed-not-zero']);
    assert.equal(
      violations[0]?.message,
      `STAN 000012 (${TID}): the terminal reported "timeout" but the ledger moved 100.00 CNY (expected 0 once reversed)`,
    );
  });

  test('failed-not-zero: a decline that the host posted anyway', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000, '05', { posted: true });
    const violations = checkPaymentTruth(bank.input([said('000012', 'declined')]));
    assert.deepEqual(rules(violations), ['failed-not-zero']);
    assert.match(
      violations[0]?.message ?? '',
      /reported "declined" but the ledger moved 100\.00 CNY \(expected 0: a decline posts nothing\)/,
    );
  });

  test('failed-not-zero: money moved for a request the terminal never reported (lost at a power cut)', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000);
    const violations = checkPaymentTruth(bank.input([]));
    assert.deepEqual(rules(violations), ['failed-not-zero']);
    assert.match(
      violations[0]?.message ?? '',
      /^STAN 000012 \(T0000001\): the ledger moved 100\.00 CNY for a request the terminal never reported an outcome for/,
    );
  });

  test('reprint-moved-money: a reprint that went online and was posted', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000);
    bank.purchase('000013', 10000);
    const violations = checkPaymentTruth(bank.input([said('000012', 'approved', 10000, { reprints: 1 })]));
    assert.deepEqual(rules(violations), ['reprint-moved-money']);
    assert.match(
      violations[0]?.message ?? '',
      /STAN 000013 \(T0000001\).*1 reprint\(s\) \(a reprint must never move money\)/,
    );
  });

  test('a bank shared by a pool: balances move by the other terminals too, so conservation is not judged', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000);
    bank.after.set('card:bob', cny(4000)); // another terminal of the pool charged bob meanwhile
    const input = { ...bank.input([said('000012', 'approved')]), conservation: false };
    assert.deepEqual(checkPaymentTruth(input), []);
    assert.deepEqual(rules(checkPaymentTruth({ ...input, transactions: [said('000012', 'timeout')] })), [
      'failed-not-zero',
    ]);
  });

  test('money-not-conserved: a balance changed without a journal entry', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000);
    bank.after.set('card:bob', cny(4000));
    const violations = checkPaymentTruth(bank.input([said('000012', 'approved')]));
    assert.deepEqual(rules(violations), ['money-not-conserved', 'money-not-conserved']);
    assert.equal(
      violations[0]?.message,
      'money is not conserved: card and merchant balances changed by -10.00 CNY in total, but adjustments account for 0.00 CNY',
    );
    assert.equal(
      violations[1]?.message,
      'money is not conserved: card:bob changed by -10.00 CNY but its journal postings sum to 0.00 CNY',
    );
  });

  test('stan-reused: two different 0200s and two terminal transactions with one STAN', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000, '00', { de7: '0504100000' });
    bank.purchase('000012', 2000, '00', { de7: '0504100107', card: 'card:bob' });
    const violations = checkPaymentTruth(bank.input([said('000012', 'approved'), said('000012', 'approved', 2000)]));
    assert.deepEqual(rules(violations), ['stan-reused']);
    assert.equal(
      violations[0]?.message,
      `STAN 000012 (${TID}) was used more than once: the terminal reported 2 transactions with it (approved, approved); ` +
        'the host received 2 different 0200s with it (DE7 0504100000, 0504100107); a STAN must be unique per terminal within a batch',
    );
  });

  test('stan-reused is not raised for a retransmission with the same DE7 (a duplicate, answered from the first)', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000);
    assert.deepEqual(checkPaymentTruth(bank.input([said('000012', 'approved')])), []);
  });

  test('pending-reversal: the terminal still owes a reversal at the end of the scenario', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000, '00', { posted: false });
    const violations = checkPaymentTruth(bank.input([said('000012', 'timeout')], ['000012']));
    assert.deepEqual(rules(violations), ['pending-reversal']);
    assert.equal(
      violations[0]?.message,
      `STAN 000012 (${TID}): the terminal still holds a reversal the host never confirmed (reported stored/sent, never confirmed)`,
    );
  });

  test('pending-reversal after an approved receipt says so', () => {
    const bank = new FakeBank();
    bank.purchase('000012', 10000);
    const violations = checkPaymentTruth(bank.input([said('000012', 'approved')], ['000012']));
    assert.deepEqual(rules(violations), ['pending-reversal']);
    assert.match(violations[0]?.message ?? '', /although it printed an approved receipt for it/);
  });

  test('without postings (a bank that reports only posted amounts) the posted flags decide', () => {
    const bank = new FakeBank();
    bank.reversal(bank.purchase('000012', 10000));
    const journal = bank.journal.map(({ postings: _, ...rest }) => rest);
    const input = { ...bank.input([said('000012', 'timeout')]), journal };
    assert.deepEqual(checkPaymentTruth(input), []);
    assert.deepEqual(rules(checkPaymentTruth({ ...input, journal: journal.slice(0, 1) })), ['failed-not-zero']);
  });
});

describe('ledgerDiff', () => {
  test('balances, journal and terminal as fixed-width tables, PANs masked', () => {
    const bank = new FakeBank();
    bank.reversal(bank.purchase('000012', 10000), { times: 2 });
    const lines = ledgerDiff(bank.input([said('000012', 'timeout')])).split('\n');
    assert.deepEqual(lines, [
      'Balances (3 accounts)',
      'account                       before        after       change',
      'card:alice                500.00 CNY   600.00 CNY  +100.00 CNY',
      'card:bob                   50.00 CNY    50.00 CNY     0.00 CNY',
      'merchant:104110045110012    0.00 CNY  -100.00 CNY  -100.00 CNY',
      '',
      'Journal (2 entries)',
      'id  kind      TID       STAN        amount  RC  posted  reverses       moved  card',
      ' 1  purchase  T0000001  000012  100.00 CNY  00  yes            -  100.00 CNY  622848******0018',
      ' 2  reversal  T0000001  000012  100.00 CNY  00  yes            1  200.00 CNY  622848******0018',
      '',
      'Terminal (1 transaction)',
      'STAN    TID       outcome      amount  receipt  reprints   ledger net',
      '000012  T0000001  timeout  100.00 CNY  no              0  -100.00 CNY',
      'Pending reversals: none',
    ]);
  });

  test('a clear PAN that slipped into the journal is masked', () => {
    const bank = new FakeBank();
    const entry = bank.purchase('000012', 10000);
    bank.journal[0] = { ...entry, maskedPan: '6228480402564890018' };
    const diff = ledgerDiff(bank.input([said('000012', 'approved')]));
    assert.ok(!diff.includes('6228480402564890018'), diff);
    assert.match(diff, /622848\*+0018/);
  });
});
