// The seeded defects only an ordering of events exposes, on the simulated terminal behind the real fault proxy and
// acquirer, each against clean firmware (docs/protocol.md §8 reprint, §15.1, §15.3): every step alone is right, one
// order of them is not.
//   reversal-lost-in-flight  timeout → 0400 out (never reaching the host) → power cut → power-up: sent again, or lost
//   reprint-after-decline    approved sale → declined sale → reprint: the approved receipt, or the declined sale's
//   pin-count-kept           two wrong PINs → approved → next sale, one wrong PIN: asked again, or ended as for 75

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Defect } from '../../simulators/terminal/index.ts';
import { ALICE, BOB, cny, seededLedger } from '../support/bankFixture.ts';
import type { EventOf } from '../support/ecrHarness.ts';
import { proxiedTerminal, swallow } from '../support/proxiedTerminal.ts';

const WRONG_PIN = '密码错误，请重新输入';
type Card = { pan: string; expiry: string; pin: string };

describe('defects only an ordering exposes, on the simulated terminal through the fault proxy', () => {
  const ledger = seededLedger([ALICE, BOB]);
  const bench = proxiedTerminal(ledger, { stateDirPrefix: 'posrig-orderings-' });
  const { boot, stateDir, arm, sent, proxySees, event, messages } = bench;

  /** Starts a sale and presents the card; returns where its events start. */
  async function sale(card: Card, amount: number): Promise<number> {
    const from = bench.harness.events.length;
    await bench.harness.send({ type: 'sale', amount, currency: 'CNY' });
    await bench.harness.send({ type: 'input.card', method: 'chip', pan: card.pan, expiry: card.expiry });
    return from;
  }

  async function enterPin(pin: string): Promise<number> {
    const from = bench.harness.events.length;
    await bench.harness.send({ type: 'input.keys', keys: [...pin.split(''), 'ENTER'] });
    return from;
  }

  /** The PIN is asked for again after a 55: the wrong-PIN screen, then `state` `pin`. */
  async function askedAgain(from: number): Promise<void> {
    await event('display', (e) => e.lines[0] === WRONG_PIN, from);
    await event('state', (e) => e.state === 'pin', from);
  }

  const shown = (from: number) =>
    bench.harness.events
      .slice(from)
      .filter((e): e is EventOf<'display'> => e.type === 'display')
      .map((e) => e.lines[0]);

  describe('reversal-lost-in-flight', () => {
    for (const defects of [[], ['reversal-lost-in-flight']] as Defect[][]) {
      const clean = defects.length === 0;
      it(
        clean
          ? 'clean: a 0400 out when the power goes is still stored, and goes out again after the sign-on'
          : 'defect: the record was taken off the store as its 0400 left — lost with the power, never sent again',
        async () => {
          // a response timeout long enough that the power goes while the terminal still waits for the 0410
          boot(defects, { stateDir: stateDir(), responseTimeoutMs: 1000 });
          arm(swallow('response', '0210')); // the host approves, the terminal times out: reversal 98
          arm(swallow('request', '0400')); // the first 0400 never reaches the host
          await sale(ALICE, 1000);
          await enterPin(ALICE.pin);
          await proxySees('request', '0400');
          bench.terminal.powerOff(); // while the terminal waits for the 0410
          await bench.terminal.powerOn();
          const from = await sale(ALICE, 1500);
          await enterPin(ALICE.pin);
          assert.equal((await event('result', () => true, from)).outcome, 'approved');
          if (clean) {
            assert.deepEqual(sent(), ['0200/000001', '0400/000001', '0800/000002', '0400/000001', '0200/000003']);
            assert.deepEqual(ledger.cardBalance('alice'), cny(48500), 'the timed-out sale reversed');
            return;
          }
          assert.deepEqual(sent(), ['0200/000001', '0400/000001', '0800/000002', '0200/000003'], 'no 0400 again');
          assert.deepEqual(bench.terminal.pendingReversals, [], 'nothing left to reverse');
          assert.deepEqual(ledger.cardBalance('alice'), cny(47500), 'the timed-out sale stays taken');
        },
      );
    }
  });

  describe('reprint-after-decline', () => {
    for (const defects of [[], ['reprint-after-decline']] as Defect[][]) {
      const clean = defects.length === 0;
      it(
        clean
          ? 'clean: a reprint after a declined sale repeats the approved sale before it'
          : "defect: a reprint after a declined sale prints a 'receipt' of the declined sale",
        async () => {
          boot(defects);
          await sale(ALICE, 1000);
          await enterPin(ALICE.pin);
          assert.equal((await event('result')).outcome, 'approved');
          const declined = await sale(BOB, 9000); // BOB holds 50.00: 51
          await enterPin(BOB.pin);
          assert.equal((await event('result', () => true, declined)).responseCode, '51');
          const from = bench.harness.events.length;
          await bench.harness.send({ type: 'reprint' });
          const copy = await event('print', (e) => e.reprint, from);
          assert.equal(copy.copy, 'cardholder');
          assert.ok(copy.lines.includes('重打印凭证'), 'marked either way');
          const amount = copy.lines.find((line) => line.startsWith('金额'));
          assert.equal(amount, clean ? '金额: ¥10.00' : '金额: ¥90.00');
          assert.deepEqual(ledger.cardBalance('bob'), cny(5000), 'the declined sale moved no money either way');
        },
      );
    }
  });

  describe('pin-count-kept', () => {
    for (const defects of [[], ['pin-count-kept']] as Defect[][]) {
      const clean = defects.length === 0;
      it(
        clean
          ? 'clean: two wrong PINs before an approval do not count against the next sale'
          : 'defect: the count survives the approval — the next sale ends at its first wrong PIN, as for 75',
        async () => {
          boot(defects);
          await sale(ALICE, 1000);
          await askedAgain(await enterPin('000000'));
          await askedAgain(await enterPin('111111'));
          await enterPin(ALICE.pin);
          assert.equal((await event('result')).outcome, 'approved');
          const second = await sale(ALICE, 1500);
          const wrong = await enterPin('000000');
          if (clean) {
            await askedAgain(wrong);
            await enterPin(ALICE.pin);
            assert.equal((await event('result', () => true, second)).outcome, 'approved');
            assert.deepEqual(ledger.cardBalance('alice'), cny(47500));
            return;
          }
          const result = await event('result', () => true, second);
          assert.deepEqual([result.outcome, result.responseCode], ['declined', '75']);
          assert.ok(!shown(wrong).includes(WRONG_PIN), `not asked again: ${shown(wrong).join(', ')}`);
          assert.equal(messages.filter((m) => m.mti === '0210').at(-1)?.responseCode, '55', 'the host said 55');
          assert.deepEqual(ledger.cardBalance('alice'), cny(49000), 'only the first sale taken');
        },
      );
    }
  });
});
