import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { packIso, unpackIso } from '../../protocols/iso8583/index.ts';
import {
  corruptBody,
  describeMessage,
  describeRule,
  FaultProxyError,
  type FaultRule,
  FaultRules,
  faultLogLine,
  readMessage,
  validateRule,
} from '../../simulators/faultproxy/index.ts';

describe('fault rules: validation', () => {
  const bad: Array<[unknown, RegExp]> = [
    [null, /^rule must be an object, got null$/],
    [{}, /^rule\.action must be an object/],
    [{ action: { kind: 'explode' } }, /^rule\.action\.kind must be one of refuse, drop, .*; got "explode"$/],
    [{ action: { kind: 'delay' } }, /^rule\.action\.ms must be a number of milliseconds ≥ 0, got nothing$/],
    [{ action: { kind: 'delay', ms: Number.NaN } }, /^rule\.action\.ms .* got NaN$/],
    [{ action: { kind: 'swallow', ms: 5 } }, /^rule\.action\.ms is not a key of a 'swallow' action$/],
    [{ action: { kind: 'swallow' }, direction: 'up' }, /^rule\.direction must be 'request' or 'response', got "up"$/],
    [{ action: { kind: 'swallow' }, mti: 210 }, /^rule\.mti must be 4 digits such as '0200', got 210$/],
    [{ action: { kind: 'swallow' }, times: 0 }, /^rule\.times must be a whole number ≥ 1 or Infinity, got 0$/],
    [{ action: { kind: 'swallow' }, times: 1.5 }, /^rule\.times .* got 1\.5$/],
    [{ action: { kind: 'swallow' }, forMs: 0 }, /^rule\.forMs must be a number of milliseconds > 0, got 0$/],
    [{ action: { kind: 'swallow' }, forMs: Infinity }, /^rule\.forMs .* got Infinity$/],
    [
      { action: { kind: 'swallow' }, mtii: '0200' },
      /^rule\.mtii is not a rule key \(action, direction, mti, times, forMs\)$/,
    ],
    [{ action: { kind: 'refuse' }, mti: '0200' }, /^rule\.mti does not apply to 'refuse' \(it acts on connections\)$/],
    [{ action: { kind: 'blackhole' }, direction: 'request' }, /^rule\.direction does not apply to 'blackhole'/],
  ];
  for (const [rule, message] of bad) {
    test(`refuses ${JSON.stringify(rule)}`, () => {
      assert.throws(
        () => validateRule(rule),
        (error: unknown) => error instanceof FaultProxyError && message.test(error.message),
      );
    });
  }

  test('defaults times to 1 and keeps Infinity', () => {
    assert.equal(validateRule({ action: { kind: 'drop' } }).times, 1);
    assert.equal(validateRule({ action: { kind: 'refuse' }, times: Infinity }).times, Infinity);
    assert.deepEqual(validateRule({ action: { kind: 'delay', ms: 0 }, mti: '0210', direction: 'response', forMs: 5 }), {
      action: { kind: 'delay', ms: 0 },
      mti: '0210',
      direction: 'response',
      times: 1,
      forMs: 5,
    });
  });

  test('describes a rule in words', () => {
    const rule: FaultRule = {
      action: { kind: 'delay', ms: 1500 },
      mti: '0210',
      direction: 'response',
      times: Infinity,
    };
    assert.equal(
      describeRule({ ...rule, forMs: 3000 }),
      'delay 1500 ms 0210 (host → terminal), until healed, for 3000 ms',
    );
    assert.equal(describeRule({ action: { kind: 'refuse' }, times: 2 }), 'refuse connections, 2 times');
    assert.equal(describeRule({ action: { kind: 'duplicate' } }), 'duplicate any message, 1 time');
  });
});

describe('fault rules: matching and counting', () => {
  test('message rules match direction and MTI, in arming order, and are used up after `times`', () => {
    const rules = new FaultRules();
    const a = rules.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0210', times: 2 }).id;
    const b = rules.arm({ action: { kind: 'drop' } }).id;
    assert.equal(rules.takeForConnection(), undefined, 'message rules do not act on connections');
    assert.equal(rules.takeForMessage('request', '0210')?.id, b);
    assert.equal(rules.takeForMessage('response', '0210')?.id, a);
    assert.equal(rules.takeForMessage('response', '0210')?.id, a);
    assert.equal(rules.takeForMessage('response', '0210'), undefined);
    assert.deepEqual(rules.list(), []);
  });

  test('connection rules count connections; Infinity never runs out; clear() disarms all', () => {
    const rules = new FaultRules();
    const id = rules.arm({ action: { kind: 'refuse' }, times: Infinity }).id;
    for (let i = 0; i < 100; i++) assert.equal(rules.takeForConnection()?.id, id);
    assert.equal(rules.takeForMessage('request', '0200'), undefined, 'connection rules do not act on messages');
    assert.deepEqual(
      rules.clear().map((r) => r.id),
      [id],
    );
    assert.equal(rules.takeForConnection(), undefined);
  });
});

describe('fault proxy: reading and corrupting a message', () => {
  const response = packIso({
    mti: '0210',
    fields: { 2: '6228480402564890018', 11: '000012', 39: '00', 41: 'T0000001' },
  });

  test('reads MTI, STAN and DE39 only', () => {
    assert.deepEqual(readMessage(response), { mti: '0210', stan: '000012', responseCode: '00' });
    assert.deepEqual(readMessage(Buffer.from('0800 not really')), { mti: '0800' });
    assert.deepEqual(readMessage(Buffer.from([0x60, 0, 1, 0, 0])), { mti: 'garbled' });
    assert.deepEqual(readMessage(Buffer.alloc(0)), { mti: 'garbled' });
  });

  test('a corrupted body keeps its length but no longer unpacks', () => {
    const { body, offset } = corruptBody(response);
    assert.equal(body.length, response.length);
    assert.equal(offset, 4);
    assert.throws(() => unpackIso(body), /Primary bitmap at offset 4/);
    assert.deepEqual(readMessage(body), { mti: '0210' });
    assert.doesNotThrow(() => unpackIso(response), 'the original is untouched');
    assert.equal(corruptBody(Buffer.from('08')).body.toString(), 'Z8');
  });

  test('log words carry no PAN', () => {
    const words = describeMessage(readMessage(response), 'response', response.length);
    assert.equal(words, '0210 STAN 000012 RC 00 (host → terminal)');
    const line = faultLogLine({ at: new Date(2026, 4, 4, 11, 32, 1, 123), rule: 1, what: `swallowed ${words}` });
    assert.equal(line, '11:32:01.123 rule 1 swallowed 0210 STAN 000012 RC 00 (host → terminal)');
    assert.equal(faultLogLine({ at: new Date(2026, 4, 4, 9, 0, 0, 5), rule: 0, what: 'x' }), '09:00:00.005 proxy x');
  });
});
