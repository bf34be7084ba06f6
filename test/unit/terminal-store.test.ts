import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  financialRequest,
  NonVolatileStore,
  reversalRequest,
  STATE_FILE,
  TerminalSimulator,
  TerminalStateError,
} from '../../simulators/terminal/index.ts';

const root = mkdtempSync(path.join(tmpdir(), 'posrig-terminal-store-'));
let folders = 0;
const folder = () => path.join(root, `t${++folders}`);
const AT = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
const card = { method: 'chip' as const, pan: '4111111111111111', expiry: '3012' };

function request(stan: string) {
  const amount = { minor: 10000, currency: 'CNY' };
  return financialRequest({ kind: 'sale', card, amount, stan, at: AT, tid: 'T0000001', mid: 'M1', pinBlock: 'AB' });
}

describe('terminal non-volatile store', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the STAN counter and pending reversals across a reload, without the PIN block', () => {
    const dir = folder();
    const store = NonVolatileStore.open(dir);
    assert.equal(store.current, null);
    const stan = store.next();
    store.arm({ stan, transmission: '0102030405', request: request(stan), armedAt: AT });
    store.markDue(stan, '98');
    store.next();

    const reloaded = NonVolatileStore.open(dir);
    assert.equal(reloaded.current, '000002');
    assert.equal(reloaded.next(), '000003');
    const [pending] = reloaded.pending;
    assert.deepEqual([pending?.stan, pending?.due, pending?.reason], ['000001', true, '98']);
    assert.deepEqual(pending?.armedAt, AT);
    assert.equal(pending?.request.fields[52], undefined);
    assert.equal(pending?.request.fields[2], card.pan);
    assert.deepEqual(readdirSync(dir), [STATE_FILE], 'no temp file left behind');
  });

  it('builds the 0400 from a stored record: new DE7, original STAN, DE39 reason, DE90', () => {
    const dir = folder();
    const store = NonVolatileStore.open(dir);
    store.arm({ stan: '000042', transmission: '0102030405', request: request('000042'), armedAt: AT });
    const [record] = NonVolatileStore.open(dir).pending;
    assert.ok(record);
    const reversal = reversalRequest(record.request, '98', new Date(Date.UTC(2025, 0, 2, 3, 5, 0)));
    assert.equal(reversal.mti, '0400');
    assert.equal(reversal.fields[7], '0102030500');
    assert.equal(reversal.fields[11], '000042');
    assert.equal(reversal.fields[39], '98');
    assert.equal(reversal.fields[90], `0200000042${record.request.fields[7]}${'0'.repeat(22)}`);
  });

  it('clears a record and writes nothing more once closed (power gone)', () => {
    const dir = folder();
    const store = NonVolatileStore.open(dir);
    const stan = store.next();
    store.arm({ stan, transmission: 'x', request: request(stan), armedAt: AT });
    store.clear(stan);
    assert.deepEqual(NonVolatileStore.open(dir).pending, []);
    store.close();
    store.next();
    assert.equal(NonVolatileStore.open(dir).current, '000001');
  });

  it('keeps reversals in RAM only when persistReversals is false (the reversal-not-persisted defect)', () => {
    const dir = folder();
    const store = NonVolatileStore.open(dir, { persistReversals: false });
    const stan = store.next();
    store.arm({ stan, transmission: 'x', request: request(stan), armedAt: AT });
    assert.equal(store.pending.length, 1);
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, STATE_FILE), 'utf8')).reversals, []);
    assert.deepEqual(NonVolatileStore.open(dir).pending, []);
    assert.equal(NonVolatileStore.open(dir).current, '000001', 'the STAN is still persisted');
  });

  it('reports a corrupt file as TerminalStateError naming the file and the bad key', () => {
    for (const [text, why] of [
      ['{"version":1,"stan":', /not JSON/],
      ['{"version":1,"stan":-4,"reversals":[]}', /key "stan"/],
      ['{"version":1,"stan":3,"reversals":[{"stan":"12"}]}', /key "reversals\[0\]\.stan"/],
    ] as const) {
      const dir = folder();
      NonVolatileStore.open(dir);
      writeFileSync(path.join(dir, STATE_FILE), text);
      assert.throws(
        () => NonVolatileStore.open(dir),
        (e: unknown) => {
          assert.ok(e instanceof TerminalStateError);
          assert.equal(e.file, path.join(dir, STATE_FILE));
          assert.ok(e.message.includes(path.join(dir, STATE_FILE)), e.message);
          assert.match(e.message, why);
          return true;
        },
      );
    }
  });
});

describe('terminal simulator with a corrupt state folder', () => {
  it('refuses to start with a TerminalStateError instead of crashing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'posrig-terminal-corrupt-'));
    try {
      writeFileSync(path.join(dir, STATE_FILE), 'garbage');
      const config = {
        ...{ tid: 'T0000001', mid: 'M1', merchantName: 'Demo', language: 'en' as const, currency: 'CNY' },
        ...{ host: { host: '127.0.0.1', port: 9 }, responseTimeoutMs: 100, stateDir: dir },
      };
      assert.throws(() => new TerminalSimulator(config), TerminalStateError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
