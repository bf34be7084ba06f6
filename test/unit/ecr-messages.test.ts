import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type EcrMessage,
  EcrMessageError,
  encodeEcrMessage,
  HARNESS_COMMAND_TYPES,
  isHarnessCommand,
  parseEcrMessage,
  TERMINAL_EVENT_TYPES,
} from '../../protocols/ecr/index.ts';

/** One valid example of every message type. */
const VALID: EcrMessage[] = [
  { type: 'hello', id: 'h1', protocol: '1' },
  { type: 'sale', id: 'c1', amount: 10000, currency: 'CNY' },
  { type: 'refund', id: 'c2', amount: 2500, currency: 'CNY', originalRrn: '000000000123' },
  { type: 'void', id: 'c3', stan: '000123' },
  { type: 'reprint', id: 'c4' },
  { type: 'settle', id: 'c5' },
  { type: 'lastResult', id: 'c6' },
  { type: 'abort', id: 'c7' },
  {
    type: 'input.card',
    id: 'c8',
    method: 'swipe',
    pan: '4111111111111111',
    expiry: '2912',
    track2: '4111111111111111=2912101',
  },
  { type: 'input.keys', id: 'c9', keys: ['1', '2', '3', '4', 'ENTER'] },
  { type: 'printer.set', id: 'c10', state: 'paper-out', after: 'first-copy' },
  {
    type: 'info',
    id: 'e1',
    model: 'SIM-1',
    serial: 'S0001',
    firmware: '1.0.0',
    protocol: '1',
    capabilities: ['swipe', 'chip', 'tap', 'printer'],
    language: 'zh-CN',
    tid: 'T0000001',
  },
  { type: 'display', id: 'e2', lines: ['交易成功', '金额: ¥100.00'] },
  { type: 'voice', id: 'e3', text: '交易成功' },
  { type: 'print', id: 'e4', lines: ['商户存根'], copy: 'merchant', reprint: false },
  {
    type: 'result',
    id: 'e5',
    command: 'sale',
    ref: 'c1',
    outcome: 'approved',
    responseCode: '00',
    amount: 10000,
    currency: 'CNY',
    stan: '000001',
    rrn: '000000000001',
    authCode: 'A12345',
    pan: '411111******1111',
  },
  { type: 'state', id: 'e6', state: 'card' },
  { type: 'error', id: 'e7', code: 'busy', message: 'a transaction is in progress', ref: 'c1' },
  { type: 'reversal', id: 'e8', stan: '000001', status: 'confirmed', responseCode: '00' },
];

/** For every type, a message with one bad field and the path the error must name. */
const INVALID: [type: string, message: Record<string, unknown>, path: string][] = [
  ['hello', { type: 'hello', id: 'h1', protocol: '2' }, 'protocol'],
  ['sale', { type: 'sale', id: 'c1', amount: 100.5, currency: 'CNY' }, 'amount'],
  ['refund', { type: 'refund', id: 'c2', amount: 100, currency: 'cny' }, 'currency'],
  ['void', { type: 'void', id: 'c3', stan: '123' }, 'stan'],
  ['reprint', { type: 'reprint', id: '' }, 'id'],
  ['settle', { type: 'settle' }, 'id'],
  ['lastResult', { type: 'lastResult', id: 7 }, 'id'],
  ['abort', { type: 'abort', id: 'x'.repeat(65) }, 'id'],
  ['input.card', { type: 'input.card', id: 'c8', method: 'wave', pan: '4111111111111111', expiry: '2912' }, 'method'],
  ['input.keys', { type: 'input.keys', id: 'c9', keys: ['1', '2', 'OK'] }, 'keys[2]'],
  ['printer.set', { type: 'printer.set', id: 'c10', state: 'empty' }, 'state'],
  ['info', { ...VALID[11], capabilities: 'swipe' }, 'capabilities'],
  ['display', { type: 'display', id: 'e2', lines: ['ok', 42] }, 'lines[1]'],
  ['voice', { type: 'voice', id: 'e3' }, 'text'],
  ['print', { type: 'print', id: 'e4', lines: [], copy: 'merchant', reprint: 'no' }, 'reprint'],
  ['result', { type: 'result', id: 'e5', command: 'sale', outcome: 'approved', pan: '4111111111111111' }, 'pan'],
  ['state', { type: 'state', id: 'e6', state: '' }, 'state'],
  ['error', { type: 'error', id: 'e7', code: 'busy' }, 'message'],
  ['reversal', { type: 'reversal', id: 'e8', stan: '000001', status: 'reversed' }, 'status'],
];

describe('ECR messages', () => {
  it('has a valid and an invalid example for every message type', () => {
    const all = [...HARNESS_COMMAND_TYPES, ...TERMINAL_EVENT_TYPES].sort();
    assert.deepEqual(VALID.map((m) => m.type).sort(), all);
    assert.deepEqual(INVALID.map(([t]) => t).sort(), all);
  });

  for (const message of VALID) {
    it(`round-trips ${message.type}`, () => {
      const bytes = encodeEcrMessage(message);
      assert.deepEqual(parseEcrMessage(bytes), message);
      assert.deepEqual(parseEcrMessage(bytes.toString('utf8')), message);
      assert.equal(isHarnessCommand(message), (HARNESS_COMMAND_TYPES as readonly string[]).includes(message.type));
    });
  }

  for (const [type, message, path] of INVALID) {
    it(`names the bad field of ${type}: ${path}`, () => {
      assert.throws(
        () => parseEcrMessage(JSON.stringify(message)),
        (e: unknown) => {
          assert.ok(e instanceof EcrMessageError);
          assert.equal(e.messageType, type);
          assert.equal(e.path, path);
          assert.ok(e.message.includes(`"${type}"`) && e.message.includes(`"${path}"`), e.message);
          return true;
        },
      );
    });
  }

  it('refuses to encode an invalid message', () => {
    const bad = { type: 'sale', id: 'c1', amount: -1, currency: 'CNY' } as EcrMessage;
    assert.throws(
      () => encodeEcrMessage(bad),
      (e: unknown) => e instanceof EcrMessageError && e.path === 'amount',
    );
  });

  it('accepts every reversal status and refuses a bad STAN or response code', () => {
    for (const status of ['stored', 'sent', 'confirmed'] as const) {
      assert.equal(
        parseEcrMessage(JSON.stringify({ type: 'reversal', id: 'r1', stan: '000042', status })).type,
        'reversal',
      );
    }
    for (const [bad, path] of [
      [{ stan: '42' }, 'stan'],
      [{ responseCode: '0' }, 'responseCode'],
    ] as const) {
      const json = JSON.stringify({ type: 'reversal', id: 'r1', stan: '000042', status: 'confirmed', ...bad });
      assert.throws(
        () => parseEcrMessage(json),
        (e: unknown) => e instanceof EcrMessageError && e.path === path,
      );
    }
  });

  it('keeps unknown fields for forward compatibility', () => {
    const parsed = parseEcrMessage('{"type":"voice","id":"e1","text":"hi","volume":7}');
    assert.deepEqual(parsed, { type: 'voice', id: 'e1', text: 'hi', volume: 7 });
  });

  it('names the type field for an unknown or missing type', () => {
    for (const json of ['{"type":"dance","id":"x"}', '{"id":"x"}']) {
      assert.throws(
        () => parseEcrMessage(json),
        (e: unknown) => e instanceof EcrMessageError && e.path === 'type',
      );
    }
  });

  it('rejects a payload that is not a JSON object', () => {
    for (const json of ['{"type":', '[1,2]', '"sale"', 'null']) {
      assert.throws(
        () => parseEcrMessage(json),
        (e: unknown) => e instanceof EcrMessageError && e.path === '' && e.messageType === undefined,
      );
    }
  });

  it('never echoes a clear PAN in an error message', () => {
    const json = '{"type":"input.card","id":"c1","method":"tap","pan":"4111111111111111","expiry":"2913"}';
    assert.throws(
      () => parseEcrMessage(json),
      (e: unknown) => e instanceof EcrMessageError && e.path === 'expiry' && !e.message.includes('4111111111111111'),
    );
  });
});
