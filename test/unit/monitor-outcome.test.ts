// The behaviour monitor's rules on what the terminal shows, says, prints and reports (rigs/monitor/outcomeRules.ts,
// the TID of `info` in monitor.ts), the driver's own two (event-valid, pan-masked), and the verdict text
// (monitorText): each rule both ways — a correct terminal per docs/protocol.md gives no finding, each break gives
// exactly its rule, naming what happened and when.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { localTimeOfDay } from '../../protocols/domain/time.ts';
import { type EcrLink, EcrMessageError } from '../../protocols/ecr/index.ts';
import { checkBehaviour, monitorError, monitorText } from '../../rigs/monitor/monitor.ts';
import { EcrTerminalDriver } from '../../rigs/terminal/ecrTerminalDriver.ts';
import { culpritOf } from '../../rigs/verdict/culprit.ts';
import {
  answer0210,
  answer0410,
  approvalAndReceipts,
  approvedSale,
  at,
  CLEAR_PAN,
  cardAndPin,
  display,
  error,
  evidence,
  failure,
  hello,
  info,
  lastResult,
  MASKED_PAN,
  messagesOf,
  power,
  print,
  printerSet,
  reprint,
  request0200,
  result,
  reversal,
  reversal0400,
  rulesOf,
  sale,
  state,
  TID,
  voice,
} from '../support/monitorEvidence.ts';

const time = (ms: number) => localTimeOfDay(at(ms));

describe('a correct terminal gives no finding (outcome rules)', () => {
  it('an approved sale: prompts, 0210 00, approval, merchant then cardholder copy, result last', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([hello(-100, 'h-1'), info(-90, { ref: 'h-1' }), ...pieces]);
    assert.deepEqual(rulesOf(e), []);
    assert.deepEqual(checkBehaviour(e).notJudged, []);
  });

  it('the idle screen and state idle a few seconds after the result belong to no transaction', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    assert.deepEqual(rulesOf(evidence([...pieces, display(['欢迎使用'], 3300), state('idle', 3301)])), []);
  });

  it('two sales in a row, each with its own result and copies', () => {
    const first = approvedSale('c-1', 0, { stan: '000001' });
    const second = approvedSale('c-2', 5000, { stan: '000002', connection: 2 });
    assert.deepEqual(rulesOf(evidence([...first.pieces, ...second.pieces])), []);
  });

  it('a sale refused as busy gets an error and no result; the sale in progress goes on', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([...pieces, sale('c-2', 150), error('busy', 151, 'c-2')]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('paper out after the merchant copy, then the printer fixed: the cardholder copy comes as a marked reprint', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, 260),
      state('result', 270),
      display(['交易成功', '金额: ¥100.00'], 271),
      voice('交易成功', 272),
      state('printing', 273),
      print('merchant', 280),
      display(['打印机缺纸', '请处理后重打印'], 281),
      voice('打印机缺纸', 282),
      error('printer-paper-out', 283),
      state('idle', 284),
      result('c-1', 'approved', 290, { stan: '000001', responseCode: '00', message: 'receipt not printed' }),
      printerSet('ok', 5000),
      print('cardholder', 5010, { reprint: true }),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('a printer error naming the sale (ref is "the command concerned", §9 error) does not make it a refused command', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, 260),
      display(['交易成功', '金额: ¥100.00'], 271),
      voice('交易成功', 272),
      display(['打印机缺纸', '请处理后重打印'], 281),
      voice('打印机缺纸', 282),
      error('printer-paper-out', 283, 'c-1'),
      result('c-1', 'approved', 290, { stan: '000001', responseCode: '00', message: 'receipt not printed' }),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('paper out before any copy: both copies come after the fix, in order, marked', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, 260),
      display(['交易成功', '金额: ¥100.00'], 271),
      voice('交易成功', 272),
      display(['打印机缺纸', '请处理后重打印'], 281),
      error('printer-paper-out', 283),
      result('c-1', 'approved', 290, { stan: '000001', responseCode: '00' }),
      printerSet('ok', 4000),
      print('merchant', 4010, { reprint: true }),
      print('cardholder', 4020, { reprint: true }),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('the reprint command prints the last cardholder copy again, marked, with no result', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([...pieces, reprint(6000, 'c-2'), print('cardholder', 6010, { reprint: true })]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('a reprint refused with no-receipt is no finding', () => {
    assert.deepEqual(rulesOf(evidence([reprint(0, 'c-9'), error('no-receipt', 5, 'c-9')])), []);
  });

  it('lastResult repeats the last result (new id, same ref): not a second result', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([
      ...pieces,
      lastResult(7000),
      result('c-1', 'approved', 7005, { stan: '000001', responseCode: '00' }),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('lastResult answered while the next sale is in progress: neither result is a second one', () => {
    const first = approvedSale('c-1', 0, { stan: '000001' });
    const second = approvedSale('c-2', 5000, { stan: '000002', connection: 2 });
    const e = evidence([
      ...first.pieces,
      ...second.pieces,
      lastResult(5150),
      result('c-1', 'approved', 5151, { stan: '000001', responseCode: '00' }),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('a declined sale says and shows 交易失败, prints nothing', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '51', 258, 260),
      ...failure('c-1', 'declined', 270, { stan: '000001', reason: '余额不足', responseCode: '51' }),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('the unsolicited info at power-up and the answer to hello both name the TID sent as DE41', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([info(-500), hello(-100, 'h-1'), info(-90, { ref: 'h-1' }), ...pieces]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('a TID shorter than DE41 travels space-padded in DE41 (ans 8): still the same TID', () => {
    const request = request0200({ stan: '000001', tid: 'POS1    ' }, 210);
    const e = evidence(
      [
        info(-90, { tid: 'POS1' }),
        ...cardAndPin('c-1', 0),
        request,
        answer0210(request, '00', 258, 260),
        ...approvalAndReceipts('c-1', 270, '000001'),
      ],
      { rig: { tid: 'POS1' } },
    );
    assert.deepEqual(rulesOf(e), []);
  });

  it('an English terminal is judged by the English words', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence(
      [
        sale('c-1', 0),
        request,
        answer0210(request, '51', 258, 260),
        display(['INSUFFICIENT FUNDS', 'DECLINED'], 271),
        voice('DECLINED', 272),
        result('c-1', 'declined', 280, { stan: '000001', responseCode: '51' }),
      ],
      { rig: { language: 'en' } },
    );
    assert.deepEqual(rulesOf(e), []);
  });
});

describe('info-tid: the TID in info is the one sent as DE41, and the rig file says it (§9 info)', () => {
  it('an info naming another TID than DE41 is a firmware defect naming both', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([hello(-100, 'h-1'), info(-90, { ref: 'h-1', tid: 'T0000002' }), ...pieces]);
    const [found, ...more] = checkBehaviour(e).findings;
    assert.deepEqual(more, []);
    assert.equal(found?.rule, 'info-tid');
    assert.equal(found?.culprit, 'firmware defect');
    assert.match(found?.message ?? '', /info says TID T0000002 but it sends DE41 T0000001/);
  });

  it('info and DE41 agree but the rig file names another terminal: a rig fault', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([info(-90, { ref: 'h-1' }), ...pieces], { rig: { tid: 'T0000009' } });
    const [found, ...more] = checkBehaviour(e).findings;
    assert.deepEqual(more, []);
    assert.equal(found?.rule, 'info-tid');
    assert.equal(found?.culprit, 'rig fault');
    assert.match(found?.message ?? '', /T0000001 .*terminal\.id T0000009/);
    const verdict = monitorError(checkBehaviour(e), e);
    assert.equal(culpritOf(verdict), 'rig fault', 'only the rig is wrong: the scenario fails as a rig fault');
    assert.match(
      verdict.message,
      /^behaviour monitor: a rule of docs\/protocol.md broken, first \[info-tid\] \(§9 info\)/,
    );
  });

  it('with no request in the scenario there is nothing to compare with', () => {
    assert.deepEqual(rulesOf(evidence([info(0, { tid: 'T0000002' })])), []);
  });
});

describe('one-result: exactly one result per transaction, none for a refused command (§10.1, §10.2)', () => {
  it('a sale that went online and never ended with a result', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([...cardAndPin('c-1', 0), request, answer0210(request, '00', 258, 260), state('result', 270)]);
    assert.deepEqual(rulesOf(e), ['one-result']);
    assert.match(messagesOf(e), /sale c-1 never ended with a result \(the terminal's last state: result\)/);
  });

  it('a sale left without its result when the terminal accepted the next one', () => {
    const request = request0200({ stan: '000001' }, 210);
    const next = approvedSale('c-2', 400, { stan: '000002', connection: 2 });
    const e = evidence([...cardAndPin('c-1', 0), request, answer0210(request, '00', 258, 260), ...next.pieces]);
    assert.deepEqual(rulesOf(e), ['one-result']);
    assert.match(
      messagesOf(e),
      /sale c-1 never got its result, yet the terminal accepted the next transaction's command/,
    );
  });

  it('no finding while the terminal waits for the card, asks for the PIN again after a 55, or lost its power', () => {
    assert.deepEqual(rulesOf(evidence([sale('c-1', 0), state('card', 5)])), [], 'waiting for the card');
    const wrong = request0200({ stan: '000001' }, 210);
    const again = evidence([
      ...cardAndPin('c-1', 0),
      wrong,
      answer0210(wrong, '55', 258, 260),
      display(['密码错误，请重新输入'], 270),
    ]);
    assert.deepEqual(rulesOf(again), [], 'a 55: the cardholder is asked again (no state event needed)');
    const cut = request0200({ stan: '000001' }, 210);
    const off = evidence([...cardAndPin('c-1', 0), cut, power(false, 300)]);
    assert.deepEqual(rulesOf(off), [], 'the power cut ended it');
  });

  it('a second result for the same sale', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([...pieces, result('c-1', 'approved', 400, { stan: '000001', responseCode: '00' })]);
    assert.deepEqual(rulesOf(e), ['one-result']);
    assert.match(messagesOf(e), new RegExp(`second result \\(approved\\) for c-1 came at ${time(400)}`));
  });

  it('a result for a command the terminal refused', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([
      ...pieces,
      sale('c-2', 1000),
      error('currency', 1005, 'c-2'),
      result('c-2', 'failed', 1010, { message: 'bad currency' }),
    ]);
    assert.deepEqual(rulesOf(e), ['one-result']);
    assert.match(messagesOf(e), /result \(failed\) came for command c-2, which the terminal had refused/);
  });
});

describe('result-last: no copy of a transaction is printed after its result (§10.1)', () => {
  it('the receipts printed after the result, not as reprints', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, 260),
      display(['交易成功', '金额: ¥100.00'], 271),
      voice('交易成功', 272),
      result('c-1', 'approved', 280, { stan: '000001', responseCode: '00' }),
      print('merchant', 290),
      print('cardholder', 300),
    ]);
    assert.deepEqual(rulesOf(e), ['result-last', 'result-last']);
    const text = messagesOf(e);
    assert.match(text, new RegExp(`merchant copy of sale c-1 \\(STAN 000001\\) was printed at ${time(290)}`));
    assert.match(text, new RegExp(`after its result \\(${time(280)}\\)`));
  });
});

describe('merchant-copy-first: the merchant copy before the cardholder copy (§10.3)', () => {
  it('the cardholder copy first', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, 260),
      display(['交易成功', '金额: ¥100.00'], 271),
      voice('交易成功', 272),
      print('cardholder', 280),
      print('merchant', 290),
      result('c-1', 'approved', 300, { stan: '000001', responseCode: '00' }),
    ]);
    assert.deepEqual(rulesOf(e), ['merchant-copy-first']);
    assert.match(
      messagesOf(e),
      new RegExp(`cardholder copy of sale c-1 \\(STAN 000001\\) was printed at ${time(280)}`),
    );
  });
});

describe('copy-once: each copy once; a copy printed again is a marked reprint (§15.4)', () => {
  it('the cardholder copy printed twice in the transaction, the second unmarked', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, 260),
      display(['交易成功'], 271),
      print('merchant', 280),
      print('cardholder', 290),
      print('cardholder', 295),
      result('c-1', 'approved', 300, { stan: '000001', responseCode: '00' }),
    ]);
    assert.deepEqual(rulesOf(e), ['copy-once']);
    assert.match(messagesOf(e), new RegExp(`cardholder copy of sale c-1 .*printed a second time at ${time(295)}`));
  });

  it('a reprint without the duplicate line', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([...pieces, reprint(6000), print('cardholder', 6010, { reprint: true, mark: false })]);
    assert.deepEqual(rulesOf(e), ['copy-once']);
    assert.match(messagesOf(e), new RegExp(`reprint of the cardholder copy at ${time(6010)} has no duplicate line`));
  });

  it('a reprint carrying reprint: false', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence([...pieces, reprint(6000), print('cardholder', 6010, { mark: true })]);
    assert.deepEqual(rulesOf(e), ['copy-once']);
    assert.match(messagesOf(e), new RegExp(`cardholder copy printed at ${time(6010)} .*reprint: false`));
  });
});

/** The 98 reversal of a timed-out request, sent at t and confirmed, as the terminal reports it. */
function reversalDelivered(original: ReturnType<typeof request0200>, t: number) {
  const r = reversal0400(original, '98', t, { connection: 2 });
  return [
    r,
    reversal('000001', 'sent', t + 1),
    answer0410(r, t + 8, t + 10),
    reversal('000001', 'confirmed', t + 11, '00'),
  ];
}

describe('outcome-agree: display, voice, receipt and result agree (§10.3, §15.2.2)', () => {
  it("a timed-out sale's last events and the next sale's command in one millisecond belong each to their own", () => {
    const first = request0200({ stan: '000001' }, 210);
    const second = approvedSale('c-2', 1716, { stan: '000002', connection: 2 });
    const e = evidence([
      ...cardAndPin('c-1', 0),
      first,
      answer0210(first, '00', 258, undefined, { fault: 'swallow' }),
      reversal('000001', 'stored', 1715),
      // one millisecond: the failure screen, voice and result of c-1, then the cash register's next sale
      display(['交易失败', '交易超时'], 1716),
      voice('交易失败', 1716),
      result('c-1', 'timeout', 1716, { stan: '000001' }),
      ...second.pieces,
      ...reversalDelivered(first, 1800),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('a declined sale that says 交易成功 (before any 0210 00: approval-after-host too, the same fact)', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '51', 258, 260),
      display(['余额不足', '交易失败'], 271),
      voice('交易成功', 272),
      result('c-1', 'declined', 280, { stan: '000001', responseCode: '51' }),
    ]);
    assert.deepEqual(rulesOf(e), ['outcome-agree', 'approval-after-host']);
    assert.match(
      messagesOf(e),
      new RegExp(`ended "declined" but the terminal gave the approval voice "交易成功" at ${time(272)}`),
    );
  });

  it('a declined sale that prints a cardholder receipt', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '51', 258, 260),
      display(['余额不足', '交易失败'], 271),
      voice('交易失败', 272),
      print('cardholder', 275),
      result('c-1', 'declined', 280, { stan: '000001', responseCode: '51' }),
    ]);
    assert.deepEqual(rulesOf(e), ['outcome-agree']);
    assert.match(
      messagesOf(e),
      /sale c-1 \(STAN 000001\) ended "declined" but the terminal printed the cardholder copy/,
    );
  });

  it('an approved sale that shows 交易失败', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, 260),
      display(['交易失败'], 271),
      print('merchant', 280),
      print('cardholder', 290),
      result('c-1', 'approved', 300, { stan: '000001', responseCode: '00' }),
    ]);
    assert.deepEqual(rulesOf(e), ['outcome-agree']);
    assert.match(
      messagesOf(e),
      new RegExp(`was approved but the terminal gave the failure display "交易失败" at ${time(271)}`),
    );
  });
});

describe('event-valid and pan-masked: judged by the driver the moment an event arrives (§6, §11)', () => {
  function driver() {
    const link = new EventEmitter();
    const terminal = new EcrTerminalDriver(TID, link as unknown as EcrLink);
    return { link, terminal };
  }
  const resultWith = (pan: string) => ({
    type: 'result',
    id: 'e-0001',
    command: 'sale',
    outcome: 'approved',
    pan,
  });

  it('a masked PAN and a valid event: no failure', () => {
    const { link, terminal } = driver();
    link.emit('message', resultWith(MASKED_PAN));
    assert.equal(terminal.history.failure, undefined);
    assert.equal(terminal.history.all().length, 1);
  });

  it('a clear PAN in an event fails every wait as pan-masked, the number masked in the verdict', () => {
    const { link, terminal } = driver();
    link.emit('message', { type: 'display', id: 'e-0002', lines: [`卡号 ${CLEAR_PAN}`] });
    const text = terminal.history.failure?.message ?? '';
    assert.match(text, /^\[pan-masked\] docs\/protocol\.md §6: .*"display" event/);
    assert.ok(text.includes(MASKED_PAN), text);
    assert.ok(!text.includes(CLEAR_PAN), text);
  });

  it('an invalid event fails every wait as event-valid, naming the field', () => {
    const { link, terminal } = driver();
    link.emit(
      'fault',
      new EcrMessageError('ECR message "result": field "amount" is invalid: expected number', 'amount', 'result'),
    );
    assert.match(
      terminal.history.failure?.message ?? '',
      /^\[event-valid\] docs\/protocol\.md §6, §9, §11: .*"amount"/,
    );
  });

  it('an invalid event carrying a clear PAN is pan-masked, not just invalid', () => {
    const { link, terminal } = driver();
    const fault = new EcrMessageError('ECR message "result": field "pan" is invalid: masked PAN', 'pan', 'result');
    fault.payload = JSON.stringify(resultWith(CLEAR_PAN));
    link.emit('fault', fault);
    const text = terminal.history.failure?.message ?? '';
    assert.match(text, /^\[pan-masked\]/);
    assert.ok(!text.includes(CLEAR_PAN), text);
  });

  it('an event of an unknown type (a newer terminal, §13) is no failure', () => {
    const { link, terminal } = driver();
    link.emit('fault', new EcrMessageError('ECR message: unknown type "battery"', 'type', 'battery', true));
    assert.equal(terminal.history.failure, undefined);
  });
});

describe('monitorText: the verdict a lab reads', () => {
  /** Cardholder copy first, then a second result: two rules, the first at 280. */
  function broken(extra: Parameters<typeof evidence>[1] = {}) {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence(
      [
        ...cardAndPin('c-1', 0),
        request,
        answer0210(request, '00', 258, 260),
        display(['交易成功', `卡号 ${CLEAR_PAN}`], 271),
        print('cardholder', 280),
        print('merchant', 290),
        result('c-1', 'approved', 300, { stan: '000001', responseCode: '00' }),
        result('c-1', 'approved', 400, { stan: '000001', responseCode: '00' }),
      ],
      extra,
    );
    return { e, text: monitorText(checkBehaviour(e), e) };
  }

  it('the first line names how many rules broke and the first rule with its clause', () => {
    const { text } = broken();
    assert.equal(
      text.split('\n')[0],
      'behaviour monitor: 2 rules of docs/protocol.md broken, first [merchant-copy-first] (§10.3)',
    );
    assert.match(text, /\n {2}- \[merchant-copy-first\] §10\.3: the cardholder copy of sale c-1/);
    assert.match(text, /\n {2}- \[one-result\] §10\.1, §10\.2: a second result/);
  });

  it('the timeline around the first finding: commands, events, network, the finding marked', () => {
    const { text } = broken();
    assert.ok(text.includes(`timeline around ${time(280)}:`), text);
    assert.match(text, new RegExp(`${time(0)} → sale`));
    assert.match(text, new RegExp(`${time(210)} ⇢ host {4}0200 STAN 000001`));
    assert.match(text, new RegExp(`${time(258)} ⇠ host {4}0210 STAN 000001 DE39 00`));
    assert.match(text, new RegExp(`${time(260)} ⇠ terminal {2}0210 delivered`));
    assert.match(text, new RegExp(`▶ {3}${time(280)} ← print {7}cardholder copy`));
  });

  it('a clear card number put in a message is masked in the text', () => {
    const { text } = broken();
    assert.ok(!text.includes(CLEAR_PAN), text);
    assert.ok(text.includes(`卡号 ${MASKED_PAN}`), text);
  });

  it('without the network the rules that need it are reported not judged', () => {
    const { e, text } = broken({ network: false });
    assert.equal(checkBehaviour(e).notJudged.length, 1);
    assert.match(text, /\n {2}not judged: the rules that need the network trace .*cannot see the network on this rig/);
  });

  it('no finding: every rule held', () => {
    const { pieces } = approvedSale('c-1', 0, { stan: '000001' });
    const e = evidence(pieces);
    assert.equal(monitorText(checkBehaviour(e), e), 'behaviour monitor: every rule held');
  });
});
