// `posrig sim host`: the simulated acquirer as a process of its own, reached by address. A purchase over TCP under the
// PIN key given on the command line moves money in the ledger file, which another process (a rig's bank probe) reads;
// SIGTERM stops it cleanly.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encryptPinBlock } from '../../protocols/pinblock/index.ts';
import { type StartedChild, startChild } from '../../rigs/process/childProcess.ts';
import { IsoTcpClient, Ledger } from '../../simulators/acquirer/index.ts';
import { ALICE, cny, MID } from '../support/bankFixture.ts';
import { saleRequest } from '../support/isoMessages.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POSRIG = path.join(ROOT, 'bin/posrig.js');
const CARDS = path.join(ROOT, 'fixtures/cards.yaml'); // alice: 500.00 CNY, PIN 123456 (test/support ALICE)
const PIN_KEY = '00112233445566778899AABBCCDDEEFF';

function simHost(args: string[]): Promise<StartedChild> {
  return startChild({
    what: 'posrig sim host',
    command: process.execPath,
    args: [POSRIG, 'sim', 'host', ...args],
    readyText: 'posrig sim host: listening on',
    cwd: ROOT,
    timeoutMs: 30_000,
  });
}

describe('posrig sim host', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'posrig-sim-host-'));
  const ledgerFile = path.join(folder, 'bank.sqlite');
  let host: StartedChild;
  let address: { host: string; port: number };

  before(async () => {
    host = await simHost(['--ledger', ledgerFile, '--cards', CARDS, '--mid', MID, '--pin-key', PIN_KEY]);
    const match = /^posrig sim host: listening on (127\.0\.0\.1):(\d+)$/m.exec(host.log());
    assert.ok(match, `one line naming the address, got ${JSON.stringify(host.log())}`);
    address = { host: match[1] ?? '', port: Number(match[2]) };
  });
  after(async () => {
    await host.kill();
  });

  it('approves a purchase whose PIN block is under --pin-key; the ledger file shows it to another process', async () => {
    const client = await IsoTcpClient.connect(address);
    try {
      const request = saleRequest(ALICE, 10000, { stan: '000001' });
      request.fields[52] = encryptPinBlock(ALICE.pin, ALICE.pan, PIN_KEY);
      const reply = await client.request(request);
      assert.equal(reply.mti, '0210');
      assert.equal(reply.fields[39], '00');
      // The same PIN under the built-in test key is a wrong PIN here: the host uses the key it was given.
      const wrongKey = saleRequest(ALICE, 100, { stan: '000002' });
      assert.equal((await client.request(wrongKey)).fields[39], '55');
    } finally {
      client.close();
    }
    const probe = Ledger.open(ledgerFile); // what bank.probe.ledger does
    try {
      assert.deepEqual(probe.cardBalance('alice'), cny(40000));
      assert.deepEqual(probe.merchantBalance(MID), cny(10000));
    } finally {
      probe.close();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    assert.equal(await host.stop(), 0);
    assert.match(host.log(), /posrig sim host: SIGTERM, stopping\n$/);
  });
});

describe('posrig sim host options', () => {
  it('refuses a bad value, naming the option', async () => {
    await assert.rejects(simHost(['--duplicate-policy', 'twice']), (error: Error) => {
      assert.match(error.message, /posrig: --duplicate-policy: expected replay or decline-94, got "twice"/);
      return true;
    });
  });
});
