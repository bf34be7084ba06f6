// Secrets at rest: the ledger file (PANs, PINs) with its -wal/-shm sidecars and the terminal's state file (a pending
// reversal carries the PAN) are owner-only from creation — 0600 files, 0700 folders — even under a lax umask.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ledger } from '../../simulators/acquirer/index.ts';
import { financialRequest } from '../../simulators/terminal/index.ts';
import { NonVolatileStore, STATE_FILE } from '../../simulators/terminal/nonVolatileStore.ts';
import { ALICE, MERCHANTS } from '../support/bankFixture.ts';
import { ledgerPurchase } from '../support/ledgerRequests.ts';

const modeOf = (file: string) => statSync(file).mode & 0o777;
const octal = (mode: number) => mode.toString(8).padStart(4, '0');

describe('secrets at rest', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'posrig-secrets-'));
  let umask = 0;
  before(() => {
    umask = process.umask(0o022); // the usual lax default: files 0644, folders 0755 unless the code says otherwise
  });
  after(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  test('a new ledger file, its -wal and -shm sidecars are 0600 and the folders created for them 0700', () => {
    const file = path.join(root, 'bank', 'worker1', 'ledger.db');
    const ledger = Ledger.open(file);
    try {
      ledger.seed([ALICE], MERCHANTS);
      ledger.authorizePurchase(ledgerPurchase(ALICE, '000001', 10000));
      for (const name of ['ledger.db', 'ledger.db-wal', 'ledger.db-shm']) {
        const sidecar = path.join(path.dirname(file), name);
        assert.ok(existsSync(sidecar), `${name} exists while the ledger is open`);
        assert.equal(octal(modeOf(sidecar)), '0600', name);
      }
      assert.equal(octal(modeOf(path.join(root, 'bank'))), '0700', 'bank/');
      assert.equal(octal(modeOf(path.join(root, 'bank', 'worker1'))), '0700', 'bank/worker1/');
    } finally {
      ledger.close();
    }
  });

  test('a ledger file left 0644 by an older run is 0600 once reopened; its folder is left alone', () => {
    const dir = path.join(root, 'old');
    const file = path.join(dir, 'ledger.db');
    Ledger.open(file).close();
    chmodSync(file, 0o644);
    chmodSync(dir, 0o755);
    const ledger = Ledger.open(file);
    try {
      ledger.seed([ALICE], MERCHANTS);
      assert.equal(octal(modeOf(file)), '0600');
      assert.equal(octal(modeOf(`${file}-wal`)), '0600');
      assert.equal(octal(modeOf(dir)), '0755', 'an existing folder is not the simulator’s to change');
    } finally {
      ledger.close();
    }
  });

  test('an in-memory ledger touches no file', () => {
    const before = readdirSync(root).sort();
    Ledger.open(':memory:').close();
    assert.deepEqual(readdirSync(root).sort(), before);
  });

  test('the terminal state file holding a pending reversal with a PAN is 0600, its new folder 0700', () => {
    const dir = path.join(root, 'terminal', 'T0000001');
    const store = NonVolatileStore.open(dir);
    const stan = store.next();
    const amount = { minor: 10000, currency: 'CNY' };
    const card = { method: 'chip' as const, pan: ALICE.pan, expiry: ALICE.expiry };
    const at = new Date(Date.UTC(2026, 4, 4, 10, 0, 0));
    const request = financialRequest({
      kind: 'sale',
      card,
      amount,
      stan,
      at,
      tid: 'T0000001',
      mid: 'M1',
      pinBlock: 'AB',
    });
    store.arm({ stan, transmission: '0504100000', request, armedAt: at });
    assert.equal(octal(modeOf(path.join(dir, STATE_FILE))), '0600');
    assert.equal(octal(modeOf(dir)), '0700', 'terminal/T0000001/');
    assert.equal(octal(modeOf(path.join(root, 'terminal'))), '0700', 'terminal/');
  });

  test('a stale 0644 temp file from a crashed write does not widen the state file', () => {
    const dir = path.join(root, 'stale');
    const store = NonVolatileStore.open(dir);
    const temp = path.join(dir, `${STATE_FILE}.${process.pid}.tmp`);
    writeFileSync(temp, 'half a write', { mode: 0o644 });
    chmodSync(temp, 0o644);
    store.next();
    assert.equal(octal(modeOf(path.join(dir, STATE_FILE))), '0600');
    assert.deepEqual(readdirSync(dir), [STATE_FILE]);
  });
});
