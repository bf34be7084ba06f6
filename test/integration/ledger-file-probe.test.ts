import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { openLedgerFileProbe } from '../../rigs/bank/ledgerFileProbe.ts';
import type { TestCard } from '../../rigs/file/cardBook.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';
import { AcquirerHost, IsoTcpClient, Ledger } from '../../simulators/acquirer/index.ts';
import { ALICE, BOB, cny, hostClock, MERCHANTS, MID } from '../support/bankFixture.ts';
import { saleRequest, stanCounter } from '../support/isoMessages.ts';

const folder = mkdtempSync(path.join(os.tmpdir(), 'posrig-ledger-file-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const alice: TestCard = ALICE;

describe('two Ledger objects on one ledger file (a `posrig sim host` and a rig probe)', () => {
  let file: string;
  let hostLedger: Ledger;
  let host: AcquirerHost;
  let client: IsoTcpClient;
  const stan = stanCounter();
  let run = 0;

  beforeEach(async () => {
    run += 1;
    file = path.join(folder, `ledger-${run}.db`);
    hostLedger = Ledger.open(file);
    hostLedger.seed([ALICE, BOB], MERCHANTS);
    host = new AcquirerHost({ ledger: hostLedger, now: hostClock });
    client = await IsoTcpClient.connect(await host.start());
  });
  afterEach(async () => {
    client.close();
    await host.stop();
    hostLedger.close();
  });

  test('each sees the other’s writes: a balance set on one, a purchase posted through the other', async () => {
    const opened = openLedgerFileProbe(file, MID);
    try {
      assert.deepEqual(await opened.probe.balance(alice), cny(50000), 'opening the probe did not reseed');
      await opened.probe.setBalance(alice, cny(30000));
      assert.deepEqual(hostLedger.cardBalance('alice'), cny(30000));
      assert.equal((await client.request(saleRequest(ALICE, 10000, { stan: stan() }))).fields[39], '00');
      assert.deepEqual(await opened.probe.balance(alice), cny(20000));
      assert.deepEqual(await opened.probe.merchantBalance(), cny(10000));
      const journal = (await opened.probe.journal()) ?? [];
      assert.deepEqual(
        journal.map((e) => [e.kind, e.posted]),
        [
          ['adjustment', true],
          ['purchase', true],
        ],
      );
    } finally {
      opened.close();
    }
  });

  test('declineNextPurchase through the probe is honoured by the host on the other connection; reset clears it', async () => {
    const opened = openLedgerFileProbe(file, MID);
    try {
      await opened.probe.declineNextPurchase('51');
      assert.equal((await client.request(saleRequest(ALICE, 100, { stan: stan() }))).fields[39], '51');
      assert.equal((await client.request(saleRequest(ALICE, 100, { stan: stan() }))).fields[39], '00');
      await opened.probe.declineNextPurchase('05');
      await opened.probe.reset();
      assert.equal((await client.request(saleRequest(ALICE, 100, { stan: stan() }))).fields[39], '00');
      assert.deepEqual(hostLedger.cardBalance('alice'), cny(49900));
    } finally {
      opened.close();
    }
  });

  test('a writer waits for another process’s write lock instead of failing with SQLITE_BUSY', async () => {
    // Another process takes the write lock, says so, holds it for a moment and commits a change of its own.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import Database from 'better-sqlite3';
         const db = new Database(process.argv[1]);
         db.exec('BEGIN IMMEDIATE');
         db.prepare("UPDATE accounts SET balance_minor = 7700 WHERE kind = 'card' AND ref = 'bob'").run();
         process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 300);`,
        file,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = once(holder, 'exit');
    const [first] = (await once(holder.stdout, 'data')) as [Buffer];
    assert.equal(first.toString(), 'locked\n');
    const opened = openLedgerFileProbe(file, MID);
    try {
      await opened.probe.setBalance(alice, cny(12300)); // blocks on the lock, then writes
      const [code] = await exited;
      assert.equal(code, 0);
      assert.deepEqual(hostLedger.cardBalance('alice'), cny(12300));
      assert.deepEqual(hostLedger.cardBalance('bob'), cny(7700), 'the other process committed first');
    } finally {
      opened.close();
    }
  });

  test('no ledger file, or one without the rig’s merchant, is a rig fault naming bank.probe.ledger', () => {
    const missing = path.join(folder, 'nowhere.db');
    assert.throws(
      () => openLedgerFileProbe(missing, MID),
      (error: unknown) =>
        error instanceof RigFault &&
        error.message.includes(`bank.probe.ledger: no ledger file at ${missing}`) &&
        error.message.includes('posrig sim host --ledger'),
    );
    assert.throws(
      () => openLedgerFileProbe(file, '999999999999999'),
      (error: unknown) =>
        error instanceof RigFault && error.message.includes(`has no merchant 999999999999999 (it has: ${MID})`),
    );
  });
});
