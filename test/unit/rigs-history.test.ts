import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventHistory, TerminalTimeoutError } from '../../rigs/terminal/eventHistory.ts';

const display = (text: string) => ({ type: 'display' as const, id: `d-${text}`, lines: [text, '金额: ¥100.00'] });

describe('event history', () => {
  it('resolves a wait with an event that arrives later, and with one already recorded', async () => {
    const history = new EventHistory();
    const waiting = history.waitFor(
      'approved',
      (r) => r.message.type === 'display' && r.message.lines[0] === '交易成功',
      {
        timeoutMs: 1000,
      },
    );
    history.add('in', display('处理中...'));
    history.add('in', display('交易成功'));
    assert.deepEqual((await waiting).message, display('交易成功'));
    const again = await history.waitFor('processing', (r) => r.message.type === 'display', { timeoutMs: 10 });
    assert.deepEqual(again.message, display('处理中...'));
  });

  it('only counts events from the cursor on', async () => {
    const history = new EventHistory();
    history.add('in', display('交易成功'));
    const from = history.mark();
    await assert.rejects(
      history.waitFor('approved', (r) => r.message.type === 'display', { timeoutMs: 20, from }),
      TerminalTimeoutError,
    );
  });

  it('quotes what the terminal did, with timestamps, when a wait times out; PINs and PANs never appear', async () => {
    const history = new EventHistory();
    history.add('out', { type: 'input.card', id: 'c1', method: 'swipe', pan: '4111111111111111', expiry: '3012' });
    history.add('out', { type: 'input.keys', id: 'k1', keys: ['1', '2', '3', '4', 'ENTER'] });
    history.add('in', display('余额不足'), new Date(2026, 10, 26, 11, 32, 1, 123));
    history.add('in', { type: 'voice', id: 'v1', text: '交易失败' });
    history.add('in', {
      type: 'print',
      id: 'p1',
      lines: ['卡号: 4111111111111111'],
      copy: 'cardholder',
      reprint: false,
    });
    const error = await history
      .waitFor('the display to show "交易成功"', () => false, { timeoutMs: 20 })
      .catch((e: unknown) => e as Error);
    assert.ok(error instanceof TerminalTimeoutError);
    assert.match(error.message, /waited 20 ms for the display to show "交易成功"/);
    assert.match(error.message, /11:32:01\.123 ← display {5}余额不足 \| 金额: ¥100\.00/);
    assert.match(error.message, /voice {7}"交易失败"/);
    assert.match(error.message, /input\.keys {2}• • • • ENTER/);
    assert.doesNotMatch(error.message, /4111111111111111|1234/);
    assert.match(error.message, /411111\*{6}1111/);
  });

  it('keeps cursors valid across clear()', async () => {
    const history = new EventHistory();
    history.add('in', display('a'));
    history.clear();
    const from = history.mark();
    assert.equal(from, 1);
    history.add('in', display('b'));
    assert.equal(history.events(from).length, 1);
  });

  it("quotes what the terminal did, not the harness's barrier hellos and the info answering them", () => {
    const history = new EventHistory();
    const info = { type: 'info' as const, id: 'i', model: 'M', serial: 'S', firmware: '1.2', protocol: '1' };
    const about = { ...info, capabilities: [], language: 'en', tid: 'T0000001' };
    history.add('out', { type: 'sale', id: 's1', amount: 100, currency: 'CNY' });
    history.add('out', { type: 'hello', id: 'h1', protocol: '1' });
    history.add('in', { ...about, ref: 'h1' });
    history.add('in', { ...about, id: 'boot', firmware: '9.9' });
    const quote = history.quote();
    assert.match(quote, /→ sale/);
    assert.doesNotMatch(quote, /hello/);
    assert.doesNotMatch(quote, /firmware 1\.2/, 'the answer to a barrier hello is left out');
    assert.match(quote, /← info +M firmware 9\.9/, "an unsolicited info (a boot) is the terminal's doing: quoted");
  });
});
