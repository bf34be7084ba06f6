import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import { encryptPinBlock } from '../../protocols/pinblock/index.ts';
import { SimulatorBankProbe } from '../../rigs/bank/simulatorBankProbe.ts';
import {
  checkPaymentTruth,
  ledgerDiff,
  pendingReversalsFrom,
  type TruthInput,
  transactionsFrom,
} from '../../rigs/truth/index.ts';
import {
  AcquirerHost,
  type CardAccountSeed,
  type HostDefect,
  IsoTcpClient,
  Ledger,
} from '../../simulators/acquirer/index.ts';

const MID = '104110045110012';
const TID = 'T0000001';
const cny = (minor: number) => ({ minor, currency: 'CNY' });
const ALICE: CardAccountSeed = {
  alias: 'alice',
  pan: '6228480402564890018',
  expiry: '3012',
  pin: '123456',
  balance: cny(50000),
  status: 'active',
};

function sale(stan: string, amountMinor: number): IsoMessage {
  return {
    mti: '0200',
    fields: {
      2: ALICE.pan,
      3: '000000',
      4: String(amountMinor).padStart(12, '0'),
      7: '0504100000',
      11: stan,
      12: '180000',
      13: '0504',
      14: ALICE.expiry,
      22: '051',
      25: '00',
      41: TID,
      42: MID,
      49: '156',
      52: encryptPinBlock(ALICE.pin, ALICE.pan),
    },
  };
}

/** The 0400 the terminal sends after a response timeout: original STAN in DE11, original data elements in DE90. */
function reversalOf(original: IsoMessage): IsoMessage {
  const f = original.fields;
  return {
    mti: '0400',
    fields: {
      2: f[2],
      3: f[3],
      4: f[4],
      7: '0504100130',
      11: f[11],
      39: '98',
      41: f[41],
      42: f[42],
      49: f[49],
      90: `${original.mti}${f[11]}${f[7]}${'0'.repeat(22)}`,
    },
  };
}

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
  const ledger = Ledger.open(':memory:');
  ledger.seed([ALICE], [{ mid: MID, name: 'Test Shop', currency: 'CNY' }]);
  const host = new AcquirerHost({ ledger, defects, now: () => new Date('2026-05-04T10:00:05Z') });
  const client = await IsoTcpClient.connect(await host.start());
  try {
    const probe = new SimulatorBankProbe(ledger, MID);
    const balancesBefore = await probe.balances();
    const original = sale('000012', 10000);
    assert.equal((await client.request(original)).fields[39], '00'); // the host approved; the 0210 "was lost"
    assert.equal((await client.request(reversalOf(original))).fields[39], '00');
    const events = timedOutEvents('000012');
    return {
      transactions: transactionsFrom(events, TID),
      journal: await probe.journal(),
      balancesBefore,
      balancesAfter: await probe.balances(),
      pendingReversals: pendingReversalsFrom(events),
    };
  } finally {
    client.close();
    await host.stop();
    ledger.close();
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
