// The reversal paths the suite never walked, on the simulated terminal behind the real fault proxy and acquirer: a
// reversal retried until its 0410 arrives, an owed reversal delivered before the next sale, an answer that does not
// echo DE4/DE11/DE41, a cancel while the request is out, the sign-on before the reversals at power-up — and each
// seeded defect of these paths (docs/protocol.md §15.5) changing exactly what it names.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Defect } from '../../simulators/terminal/index.ts';
import { cny, seededLedger, VISA } from '../support/bankFixture.ts';
import type { EventOf } from '../support/ecrHarness.ts';
import { proxiedTerminal, swallow } from '../support/proxiedTerminal.ts';

const ALICE = { ...VISA, alias: 'alice' };

describe('reversal paths of the simulated terminal, through the fault proxy', () => {
  const ledger = seededLedger([ALICE]);
  const bench = proxiedTerminal(ledger, {
    stateDirPrefix: 'posrig-reversal-paths-',
    record: (m) => m.direction === 'request',
  });
  const { boot, stateDir, arm, sent, proxySees, event, messages: requests } = bench;

  async function sale(amount: number): Promise<number> {
    const from = bench.harness.events.length;
    await bench.harness.send({ type: 'sale', amount, currency: 'CNY' });
    await bench.harness.send({ type: 'input.card', method: 'chip', pan: ALICE.pan, expiry: ALICE.expiry });
    await bench.harness.send({ type: 'input.keys', keys: [...ALICE.pin.split(''), 'ENTER'] });
    return from;
  }

  /** Every reversal event from `from` on, as "STAN status [code]". */
  const reversals = (from = 0) =>
    bench.harness.events
      .slice(from)
      .filter((e): e is EventOf<'reversal'> => e.type === 'reversal')
      .map((e) => `${e.stan} ${e.status}${e.responseCode ? ` ${e.responseCode}` : ''}`);
  const lines = (from = 0) =>
    bench.harness.events
      .slice(from)
      .filter((e): e is EventOf<'display'> => e.type === 'display')
      .map((e) => e.lines.join(' | '));

  /** A barrier: once the info answering this hello arrived, everything the terminal did before it has arrived. */
  async function barrier(): Promise<void> {
    const from = bench.harness.events.length;
    await bench.harness.send({ type: 'hello', protocol: '1' });
    await event('info', () => true, from);
  }

  describe('reversal-not-retried', () => {
    for (const defects of [[], ['reversal-not-retried']] as Defect[][]) {
      const clean = defects.length === 0;
      it(
        clean
          ? 'clean: a 0400 that got no 0410 is sent again before the next sale'
          : 'defect: the unanswered 0400 is not sent again — the next sale goes out, the reversal waits for power-up',
        async () => {
          boot(defects, { stateDir: stateDir(), reversalRetryMs: 60_000 });
          arm(swallow('response', '0210'), swallow('request', '0400'));
          await sale(1000);
          await event('result');
          await proxySees('request', '0400');
          const from = await sale(1500);
          assert.equal((await event('result', () => true, from)).outcome, 'approved');
          if (clean) {
            assert.deepEqual(sent(), ['0200/000001', '0400/000001', '0400/000001', '0200/000002']);
            assert.deepEqual(bench.terminal.pendingReversals, []);
            assert.deepEqual(ledger.cardBalance('alice'), cny(48500));
            return;
          }
          assert.deepEqual(sent(), ['0200/000001', '0400/000001', '0200/000002'], 'no second 0400');
          assert.deepEqual(
            bench.terminal.pendingReversals.map((r) => [r.stan, r.due]),
            [['000001', true]],
            'still stored',
          );
          assert.deepEqual(ledger.cardBalance('alice'), cny(47500), 'the first sale stays taken');
          bench.terminal.powerOff();
          const up = bench.harness.events.length;
          await bench.terminal.powerOn();
          await event('reversal', (e) => e.status === 'confirmed', up);
          assert.deepEqual(ledger.cardBalance('alice'), cny(48500), 'retried once the power came back');
        },
      );
    }
  });

  describe('sale-before-reversal', () => {
    for (const defects of [[], ['sale-before-reversal']] as Defect[][]) {
      const clean = defects.length === 0;
      it(
        clean
          ? 'clean: the next sale waits for the attempt in progress, delivers the reversal, then sends its 0200'
          : 'defect: the next sale sends its 0200 while the reversal is still owed',
        async () => {
          boot(defects, { reversalRetryMs: 60_000 });
          arm(swallow('response', '0210'), swallow('response', '0410'));
          await sale(1000);
          await event('result');
          await proxySees('response', '0410'); // the host reversed; the terminal never hears it
          const from = await sale(1500);
          assert.equal((await event('result', () => true, from)).outcome, 'approved');
          if (clean) {
            assert.deepEqual(sent(), ['0200/000001', '0400/000001', '0400/000001', '0200/000002']);
            assert.deepEqual(reversals(from), ['000001 sent', '000001 confirmed 00']);
          } else {
            assert.deepEqual(sent(), ['0200/000001', '0400/000001', '0200/000002']);
            assert.deepEqual(reversals(from), []);
            assert.deepEqual(
              bench.terminal.pendingReversals.map((r) => r.stan),
              ['000001'],
            );
          }
          assert.deepEqual(ledger.cardBalance('alice'), cny(48500), 'the host reversed the first either way');
        },
      );
    }

    it("clean: a reversal the host never gets fails the sale with '冲正未完成' and no 0200", async () => {
      boot([], { reversalRetryMs: 60_000 });
      arm(swallow('response', '0210'), { ...swallow('request', '0400'), times: Number.POSITIVE_INFINITY });
      await sale(1000);
      await event('result');
      const from = await sale(1500);
      const result = await event('result', () => true, from);
      assert.equal(result.outcome, 'failed');
      assert.ok(lines(from).includes('交易失败 | 冲正未完成'));
      assert.ok(!sent().includes('0200/000002'), 'no 0200 while a reversal is due');
      assert.deepEqual(ledger.cardBalance('alice'), cny(49000), 'only the first sale, still to be reversed');
    });
  });

  describe('mismatch-accepted', () => {
    for (const field of [4, 11, 41] as const) {
      it(`clean: a 0210 with another DE${field} fails (应答报文错误) and is reversed with 96`, async () => {
        boot();
        arm({ action: { kind: 'alter', fields: [field] }, direction: 'response', mti: '0210' });
        await sale(2000);
        const result = await event('result');
        assert.equal(result.outcome, 'failed');
        assert.ok(lines().includes('交易失败 | 应答报文错误'));
        await event('reversal', (e) => e.status === 'confirmed');
        assert.equal(requests.find((m) => m.mti === '0400')?.responseCode, '96');
        assert.equal(bench.harness.events.filter((e) => e.type === 'print').length, 0);
        assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
      });
    }

    for (const field of [4, 11] as const) {
      it(`defect: a 0210 with another DE${field} is taken as the answer — approved, never reversed`, async () => {
        boot(['mismatch-accepted']);
        arm({ action: { kind: 'alter', fields: [field] }, direction: 'response', mti: '0210' });
        await sale(2000);
        const result = await event('result');
        assert.equal(result.outcome, 'approved');
        await barrier();
        assert.deepEqual(reversals(), []);
        assert.deepEqual(bench.terminal.pendingReversals, []);
        assert.deepEqual(ledger.cardBalance('alice'), cny(48000));
      });
    }
  });

  describe('cancel-not-reversed', () => {
    for (const defects of [[], ['cancel-not-reversed']] as Defect[][]) {
      const clean = defects.length === 0;
      it(
        clean
          ? 'clean: an abort while the request is out ends cancelled and reverses it with 17'
          : 'defect: an abort while the request is out ends cancelled and is never reversed',
        async () => {
          boot(defects);
          arm(swallow('response', '0210'));
          await sale(3000);
          await proxySees('response', '0210'); // the host approved; the terminal still waits
          await bench.harness.send({ type: 'abort' });
          assert.equal((await event('result')).outcome, 'cancelled');
          if (clean) {
            await event('reversal', (e) => e.status === 'confirmed');
            assert.equal(requests.find((m) => m.mti === '0400')?.responseCode, '17');
            assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
          } else {
            await barrier();
            assert.deepEqual(reversals(), []);
            assert.deepEqual(bench.terminal.pendingReversals, []);
            assert.deepEqual(ledger.cardBalance('alice'), cny(47000), 'the approval stands');
          }
        },
      );
    }
  });

  describe('reversal-before-sign-on', () => {
    for (const defects of [[], ['reversal-before-sign-on']] as Defect[][]) {
      const clean = defects.length === 0;
      it(
        clean
          ? 'clean: at power-up the 0800 sign-on goes out before the stored reversal (06)'
          : 'defect: at power-up the stored reversal goes out before the 0800 sign-on',
        async () => {
          boot(defects, { stateDir: stateDir() });
          arm(swallow('request', '0200'));
          await sale(7000);
          await proxySees('request', '0200');
          bench.terminal.powerOff();
          const up = bench.harness.events.length;
          await bench.terminal.powerOn();
          const confirmed = await event('reversal', (e) => e.status === 'confirmed', up);
          assert.equal(confirmed.responseCode, '25', 'the host never saw the 0200');
          const order = clean
            ? ['0200/000001', '0800/000002', '0400/000001']
            : ['0200/000001', '0400/000001', '0800/000002'];
          assert.deepEqual(sent(), order);
          assert.equal(requests.find((m) => m.mti === '0400')?.responseCode, '06');
          assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
        },
      );
    }
  });
});
