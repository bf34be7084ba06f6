import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import { SimulatorBankProbe } from '../../rigs/bank/simulatorBankProbe.ts';
import {
  checkPaymentTruth,
  ledgerDiff,
  pendingReversalsFrom,
  type TruthInput,
  transactionsFrom,
} from '../../rigs/truth/index.ts';
import type { HostDefect } from '../../simulators/acquirer/index.ts';
import { ALICE, MID, startBank } from '../support/bankFixture.ts';
import { reversalOf, saleRequest } from '../support/isoMessages.ts';

const TID = 'T0000001';
const sale = (stan: string, amountMinor: number): IsoMessage => saleRequest(ALICE, amountMinor, { stan, tid: TID });

let n = 0;
const id = () => `e${++n}`;
/** What a terminal that timed out, reversed and got its 0410 tells the harness. */
function timedOutEvents(stan: string): TerminalEvent[] {
  const reversal = (status: string) => ({ type: 'reversal', id: id(), stan, status }) as unknown as TerminalEvent;
  return [
    reversal('stored'),
    { type: 'display', id: id(), lines: ['交易失败', '交易超时'] },
    { type: 'result', id: id(), command: 'sale', ref: 'c1', outcome: 'timeout', amount: 10000, currency: 'CNY', stan },
    reversal('sent'),
    reversal('confirmed'),
  ];
}

/** A real ledger and host (with these seeded defects) behind the simulator bank probe; the scenario runs over TCP. */
async function timedOutScenario(defects: HostDefect[]): Promise<TruthInput> {
  const { ledger, client, close } = await startBank({ defects });
  try {
    const probe = new SimulatorBankProbe(ledger, MID);
    const balancesBefore = await probe.balances();
    const original = sale('000012', 10000);
    assert.equal((await client.request(original)).fields[39], '00'); // the host approved; the 0210 "was lost"
    assert.equal((await client.request(reversalOf(original, '0504100130'))).fields[39], '00');
    const events = timedOutEvents('000012');
    return {
      transactions: transactionsFrom(events, TID),
      journal: await probe.journal(),
      balancesBefore,
      balancesAfter: await probe.balances(),
      pendingReversals: pendingReversalsFrom(events),
    };
  } finally {
    await close();
  }
}

describe('payment truth against the real ledger and acquirer host', () => {
  test('clean host: a timed-out sale that the terminal reversed passes the invariant', async () => {
    const input = await timedOutScenario([]);
    assert.deepEqual(checkPaymentTruth(input), []);
    assert.deepEqual(input.balancesAfter, input.balancesBefore);
  });

  test("'double-post-reversal' host: the invariant fails with a readable ledger diff", async () => {
    const input = await timedOutScenario(['double-post-reversal']);
    const violations = checkPaymentTruth(input);
    assert.deepEqual(
      violations.map((v) => v.rule),
      ['net-effect'],
    );
    assert.equal(
      violations[0]?.message,
      `STAN 000012 (${TID}): the ledger's net effect is -100.00 CNY; it must be exactly 0 or exactly 100.00 CNY ` +
        '(the terminal reported "timeout")',
    );
    const diff = ledgerDiff(input).split('\n');
    assert.deepEqual(diff.slice(0, 4), [
      'Balances (2 accounts)',
      'account                       before        after       change',
      'card:alice                500.00 CNY   600.00 CNY  +100.00 CNY',
      'merchant:104110045110012    0.00 CNY  -100.00 CNY  -100.00 CNY',
    ]);
    const journal = diff.slice(diff.indexOf('Journal (2 entries)') + 1, diff.indexOf('Journal (2 entries)') + 4);
    assert.match(journal[0] ?? '', /^id +kind +TID +STAN +amount +RC +posted +reverses +moved +card$/);
    assert.match(
      journal[1] ?? '',
      /^ *1 +purchase +T0000001 +000012 +100\.00 CNY +00 +yes +- +100\.00 CNY +622848\*+0018$/,
    );
    assert.match(
      journal[2] ?? '',
      /^ *2 +reversal +T0000001 +000012 +100\.00 CNY +00 +yes +1 +200\.00 CNY +622848\*+0018$/,
    );
    assert.ok(diff.includes('000012  T0000001  timeout  100.00 CNY  no              0  -100.00 CNY'), diff.join('\n'));
    assert.ok(!diff.join('\n').includes(ALICE.pan));
  });
});
