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

  it('fails with a reversal due on a lost connection (98), a garbled reply or a reply without DE39 (96)', () => {
    for (const [reply, reason] of [
      [{ kind: 'dropped', reason: 'closed' } as const, '98'],
      [{ kind: 'garbled', reason: 'bad bitmap' } as const, '96'],
      [response({ 11: '000001' }), '96'],
    ] as const) {
      const o = outcomeOf(reply, 'zh-CN');
      assert.equal(o.outcome, 'failed', reply.kind);
      assert.equal(o.reversal, reason, reply.kind);
    }
  });

  it('fails with reversal 96 when the 0210 does not match the request (DE11, DE4 or DE41)', () => {
    const request = { mti: '0200', fields: { 4: '000000010000', 11: '000001', 41: 'T0000001' } };
    const ok = outcomeOf(response({ 4: '000000010000', 11: '000001', 39: '00', 41: 'T0000001' }), 'en', request);
    assert.equal(ok.outcome, 'approved');
    for (const [de, value] of [
      [4, '000000020000'],
      [11, '000002'],
      [41, 'T0000009'],
    ] as const) {
      const o = outcomeOf(response({ ...request.fields, 39: '00', [de]: value }), 'en', request);
      assert.equal(o.outcome, 'failed', `DE${de}`);
      assert.equal(o.reversal, '96', `DE${de}`);
      assert.deepEqual(o.display, ['DECLINED', 'BAD HOST RESPONSE']);
    }
  });
});
