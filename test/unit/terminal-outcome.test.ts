import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outcomeOf } from '../../simulators/terminal/index.ts';

const response = (fields: Record<number, string>) => ({ kind: 'response', message: { mti: '0210', fields } }) as const;

describe('terminal outcome of a host reply', () => {
  it('approves on 00 with RRN and auth code, nothing to reverse', () => {
    const o = outcomeOf(response({ 11: '000001', 37: '502003000042', 38: 'A12345', 39: '00' }), 'zh-CN');
    assert.equal(o.outcome, 'approved');
    assert.equal(o.reversal, undefined);
    assert.deepEqual(o.result, { outcome: 'approved', responseCode: '00', rrn: '502003000042', authCode: 'A12345' });
  });

  it('declines with the response-code text then 交易失败, nothing to reverse', () => {
    const o = outcomeOf(response({ 37: '502003000043', 39: '51' }), 'zh-CN');
    assert.equal(o.outcome, 'declined');
    assert.deepEqual(o.display, ['余额不足', '交易失败']);
    assert.equal(o.reversal, undefined);
    assert.equal(o.result.responseCode, '51');
    assert.equal(o.result.authCode, undefined);
    assert.deepEqual(outcomeOf(response({ 39: '55' }), 'en').display, ['WRONG PIN, TRY AGAIN', 'DECLINED']);
  });

  it('times out with a reversal due for reason 98', () => {
    const o = outcomeOf({ kind: 'timeout' }, 'zh-CN');
    assert.equal(o.outcome, 'timeout');
    assert.equal(o.result.outcome, 'timeout');
    assert.deepEqual(o.display, ['交易失败', '交易超时']);
    assert.equal(o.reversal, '98');
  });

  it('fails without a reversal when the host was unreachable (nothing was sent)', () => {
    const o = outcomeOf({ kind: 'unreachable', reason: 'ECONNREFUSED' }, 'en');
    assert.equal(o.outcome, 'failed');
    assert.deepEqual(o.display, ['DECLINED', 'HOST UNREACHABLE']);
    assert.equal(o.reversal, undefined);
  });

  it('fails with a reversal due on a lost connection, a garbled reply or a reply without DE39', () => {
    for (const reply of [
      { kind: 'dropped', reason: 'closed' } as const,
      { kind: 'garbled', reason: 'bad bitmap' } as const,
      response({ 11: '000001' }),
    ]) {
      const o = outcomeOf(reply, 'zh-CN');
      assert.equal(o.outcome, 'failed', reply.kind);
      assert.equal(o.reversal, '98', reply.kind);
    }
  });
});
