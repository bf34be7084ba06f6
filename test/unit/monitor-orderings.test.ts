// The behaviour monitor on the defects only an ordering of events exposes (docs/protocol.md §8 reprint, §15.1, §15.3):
// each rule both ways — a correct terminal gives no finding; the break gives exactly its rule, saying what happened.
//   reprint-last-receipt    approved sale, declined sale, reprint: the approved sale's receipt, never the declined one
//   wrong-pin-not-reversed  a 55 ends the transaction only at the terminal's own limit (3 in it), never before
//   power-cut-reversal      a reversal out (0400 sent, no 0410) when the power goes is sent again after power-up
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localTimeOfDay } from '../../protocols/domain/time.ts';
import {
  answer0210,
  answer0410,
  approvedSale,
  at,
  cardAndPin,
  display,
  event,
  evidence,
  failure,
  info,
  keys,
  MASKED_PAN,
  messagesOf,
  type Piece,
  pin,
  power,
  reprint,
  request0200,
  reversal,
  reversal0400,
  rulesOf,
  sale,
  signOn,
  state,
  swipe,
  voice,
} from '../support/monitorEvidence.ts';

const time = (ms: number) => localTimeOfDay(at(ms));

const OTHER_PAN = '621483******0125';

/** A sale of 30.00 with another card, declined 51 by the host: no receipt. */
function declinedSale(id: string, t: number): Piece[] {
  const request = request0200({ stan: '000002', amount: 3000 }, t + 210);
  return [
    sale(id, t, 3000),
    state('card', t + 5),
    swipe(t + 100),
    state('pin', t + 105),
    pin(t + 200),
    state('online', t + 205),
    request,
    answer0210(request, '51', t + 258, t + 260),
    state('result', t + 270),
    display(['余额不足', '交易失败'], t + 271),
    voice('交易失败', t + 272),
    state('idle', t + 273),
    event({ type: 'result', command: 'sale', ref: id, outcome: 'declined', responseCode: '51', amount: 3000 }, t + 275),
  ];
}

/** The cardholder copy printed again, marked, with an amount and a card. */
function reprinted(t: number, amount: string, pan: string) {
  const lines = ['POS签购单', `卡号: ${pan}`, `金额: ¥${amount}`, '重打印凭证'];
  return event({ type: 'print', lines, copy: 'cardholder', reprint: true }, t);
}

describe('reprint-last-receipt: a reprint repeats the last approved receipt (§8 reprint, §15.4)', () => {
  const approved = approvedSale('c-1', 0, { stan: '000001' }).pieces;

  it('after an approved and a declined sale, the approved sale is reprinted: no finding', () => {
    const e = evidence([
      ...approved,
      ...declinedSale('c-2', 1000),
      reprint(2000),
      reprinted(2010, '100.00', MASKED_PAN),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('the declined sale reprinted instead: its amount and card are not the last receipt', () => {
    const e = evidence([...approved, ...declinedSale('c-2', 1000), reprint(2000), reprinted(2010, '30.00', OTHER_PAN)]);
    assert.deepEqual(rulesOf(e), ['reprint-last-receipt']);
    assert.match(
      messagesOf(e),
      new RegExp(
        `the reprint asked at ${time(2000)} does not repeat the last receipt, that of sale c-1 \\(STAN 000001\\): it lacks its amount 100\\.00 and its card 411111\\*{6}1111`,
      ),
    );
  });

  it('1100.00 is not the amount 100.00: the amount is never read inside a longer number', () => {
    const e = evidence([...approved, reprint(2000), reprinted(2010, '1100.00', MASKED_PAN)]);
    assert.deepEqual(rulesOf(e), ['reprint-last-receipt']);
  });

  it('no approved transaction in the scenario: the last receipt is not seen, nothing judged', () => {
    const e = evidence([...declinedSale('c-2', 1000), reprint(2000), reprinted(2010, '30.00', OTHER_PAN)]);
    assert.deepEqual(rulesOf(e), []);
  });
});

/** Sale c-1 answered 55 at 260 (request at 210), the terminal's screen for it, and whether it asked again. */
function wrongPinOnce(askAgain: boolean): Piece[] {
  const request = request0200({ stan: '000001' }, 210);
  return [
    ...cardAndPin('c-1', 0),
    request,
    answer0210(request, '55', 258, 260),
    ...(askAgain
      ? [display(['密码错误，请重新输入', '金额: ¥100.00'], 270), voice('密码错误', 271), state('pin', 272)]
      : []),
  ];
}

describe('wrong-pin-not-reversed: after a 55 the terminal asks again, before its own limit (§15.1)', () => {
  it('the first 55 ends the transaction as for 75: the terminal never asked again', () => {
    const pieces = [
      ...wrongPinOnce(false),
      ...failure('c-1', 'declined', 280, { stan: '000001', responseCode: '75', reason: '密码错误次数超限' }),
    ];
    const e = evidence(pieces);
    assert.deepEqual(rulesOf(e), ['wrong-pin-not-reversed']);
    assert.match(
      messagesOf(e),
      new RegExp(
        `sale c-1 \\(STAN 000001\\): after the 55 \\(wrong PIN\\) at ${time(260)} the terminal ended the transaction "declined" with 75 instead of asking for the PIN again, at only 1 wrong PIN\\(s\\) in this transaction`,
      ),
    );
  });

  it('the third 55 of one transaction: the terminal may stop asking on its own', () => {
    const pieces: Piece[] = [...cardAndPin('c-1', 0)];
    for (const [i, stan] of ['000001', '000002', '000003'].entries()) {
      const t = 210 + i * 400;
      const request = request0200({ stan }, t);
      pieces.push(request, answer0210(request, '55', t + 48, t + 50));
      if (i < 2) pieces.push(state('pin', t + 60), pin(t + 200), state('online', t + 205));
    }
    pieces.push(
      ...failure('c-1', 'declined', 1100, { stan: '000003', responseCode: '75', reason: '密码错误次数超限' }),
    );
    assert.deepEqual(rulesOf(evidence(pieces)), []);
  });

  it('asked again, then the host could not be reached: a failure without a new 0200 is no finding', () => {
    const pieces = [
      ...wrongPinOnce(true),
      pin(400),
      state('online', 405),
      ...failure('c-1', 'failed', 500, { reason: '无法连接主机' }),
    ];
    assert.deepEqual(rulesOf(evidence(pieces)), []);
  });

  it('asked again, then cancelled: no finding', () => {
    const pieces = [
      ...wrongPinOnce(true),
      keys(['CANCEL'], 400),
      state('idle', 405),
      ...failure('c-1', 'cancelled', 410, { reason: '交易已取消' }),
    ];
    assert.deepEqual(rulesOf(evidence(pieces)), []);
  });
});

/** Sale c-1 whose 0210 does not match (DE4): failed, reversed with 96; the 0400 out at 300, its 0410 swallowed,
 * the power cut at 330 and back at 2000, then whatever `boot` says. */
function reversalOutAtCut(boot: (request: ReturnType<typeof request0200>) => Piece[]): Piece[] {
  const request = request0200({ stan: '000001' }, 210);
  const r = reversal0400(request, '96', 300, { connection: 2 });
  return [
    ...cardAndPin('c-1', 0),
    request,
    answer0210(request, '00', 258, 260, { fields: { 4: '000000010001' } }),
    reversal('000001', 'stored', 268),
    ...failure('c-1', 'failed', 270, { stan: '000001', reason: '应答报文错误' }),
    r,
    reversal('000001', 'sent', 301),
    answer0410(r, 320, undefined, { fault: 'swallow' }),
    power(false, 330),
    power(true, 2000),
    info(3000),
    state('idle', 3001),
    ...signOn('000002', 3100, { connection: 3 }),
    ...boot(request),
  ];
}

describe('power-cut-reversal: a reversal out when the power goes is sent again after power-up (§15.3)', () => {
  it('sent again after the sign-on: no finding', () => {
    const e = evidence(
      reversalOutAtCut((request) => {
        const again = reversal0400(request, '96', 3130, { connection: 3 });
        return [
          reversal('000001', 'stored', 3120),
          again,
          reversal('000001', 'sent', 3131),
          answer0410(again, 3138, 3140),
          reversal('000001', 'confirmed', 3141, '00'),
        ];
      }),
    );
    assert.deepEqual(rulesOf(e), []);
  });

  it('lost with the power (an answer had come, so it was no request outstanding): never sent again', () => {
    const e = evidence(reversalOutAtCut(() => []));
    assert.deepEqual(rulesOf(e), ['power-cut-reversal']);
    assert.match(
      messagesOf(e),
      new RegExp(
        `0200 STAN 000001 at ${time(210)} was being reversed when the power was cut at ${time(330)}: 0400 STAN 000001 DE39 96 at ${time(300)} had no 0410, yet after power-up \\(${time(2000)}\\) no 0400 for it went out again`,
      ),
    );
  });

  it('its 0410 reached the terminal before the cut: nothing left to send', () => {
    const request = request0200({ stan: '000001' }, 210);
    const r = reversal0400(request, '96', 300, { connection: 2 });
    const pieces = reversalOutAtCut(() => []).map((p) =>
      'direction' in p && p.mti === '0410' ? answer0410(r, 320, 322) : p,
    );
    const e = evidence([...pieces, reversal('000001', 'confirmed', 323, '00')]);
    assert.deepEqual(rulesOf(e), []);
  });
});
