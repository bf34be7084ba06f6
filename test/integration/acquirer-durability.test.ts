// Acquirer durability: the 0210 is recorded in the same SQL transaction as the authorization and its postings. The
// host runs in a child process on a ledger file and is killed (SIGKILL: no close, WAL not checkpointed) right after
// the transaction commits and before anything is sent; the ledger is reopened from the same file and the terminal's
// duplicate 0200 must get the original answer — not 94 with the money posted, not a second posting.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import { TEST_PIN_KEY } from '../../protocols/pinblock/index.ts';
import { AcquirerHost, answerRequest, IsoTcpClient, Ledger } from '../../simulators/acquirer/index.ts';
import { purchaseRequestFrom } from '../../simulators/acquirer/isoRequest.ts';
import { ALICE, cny, hostClock, MERCHANTS, MID } from '../support/bankFixture.ts';
import { saleRequest } from '../support/isoMessages.ts';

const root = mkdtempSync(path.join(tmpdir(), 'posrig-durability-'));
const acquirer = pathToFileURL(path.resolve('simulators/acquirer/index.ts')).href;

// The host in its own process. CRASH=after-commit: the process dies the moment the authorization commits, after
// printing the 0210 it recorded (what the host decided; the terminal never receives it). CRASH=after-reply: it
// answers normally and the test kills it afterwards.
const HOST_SCRIPT = `
import { writeSync } from 'node:fs';
import { AcquirerHost, Ledger } from ${JSON.stringify(acquirer)};
const ledger = Ledger.open(process.env.LEDGER);
if (process.env.CRASH === 'after-commit') {
  const authorize = ledger.authorizePurchase.bind(ledger);
  ledger.authorizePurchase = (request, defects, respond) => {
    const recorded = (auth) => {
      const response = respond(auth);
      writeSync(1, 'recorded ' + response + '\\n');
      return response;
    };
    const auth = authorize(request, defects, respond && recorded);
    process.kill(process.pid, 'SIGKILL'); // committed; the power goes before a byte is sent
    return auth;
  };
}
const host = new AcquirerHost({ ledger, now: () => new Date('2026-05-04T10:00:05Z') });
const { port } = await host.start();
writeSync(1, 'port ' + port + '\\n');
`;

interface HostProcess {
  child: ChildProcess;
  port: number;
  /** Resolves when the process is gone (stdout read to the end) with the 0210 it recorded, if it printed one. */
  gone: Promise<{ signal: NodeJS.Signals | null; recorded: IsoMessage | undefined }>;
}

async function hostProcess(ledgerFile: string, crash: 'after-commit' | 'after-reply'): Promise<HostProcess> {
  const script = path.join(root, 'host.mts');
  writeFileSync(script, HOST_SCRIPT);
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, LEDGER: ledgerFile, CRASH: crash, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let recorded: IsoMessage | undefined;
  const gone = once(child, 'close').then(([, signal]) => ({ signal: signal as NodeJS.Signals | null, recorded }));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`host process exited (${code ?? signal}) before listening`)));
    lines.on('line', (line) => {
      if (line.startsWith('port ')) resolve(Number(line.slice(5)));
      if (line.startsWith('recorded ')) recorded = JSON.parse(line.slice(9)) as IsoMessage;
    });
  });
  return { child, port, gone };
}

/** A seeded ledger file, closed: the host process opens it. */
function seededLedgerFile(name: string): string {
  const file = path.join(root, name, 'ledger.db');
  const ledger = Ledger.open(file);
  ledger.seed([ALICE], MERCHANTS);
  ledger.close();
  return file;
}

/** The ledger reopened from the file after the crash, behind a fresh host in this process. */
async function restartedBank(file: string) {
  const ledger = Ledger.open(file);
  const host = new AcquirerHost({ ledger, now: hostClock });
  const client = await IsoTcpClient.connect(await host.start());
  return {
    ledger,
    client,
    close: async () => {
      client.close();
      await host.stop();
      ledger.close();
    },
  };
}

describe('acquirer durability: the answer is committed with the money', () => {
  after(() => rmSync(root, { recursive: true, force: true }));
  const sale = saleRequest(ALICE, 10000, { stan: '000042' });

  test('killed right after the authorization commits: the duplicate 0200 gets the recorded 0210, posted once', async () => {
    const file = seededLedgerFile('after-commit');
    const { port, gone } = await hostProcess(file, 'after-commit');
    const terminal = await IsoTcpClient.connect({ host: '127.0.0.1', port });
    await assert.rejects(terminal.request(sale), 'the terminal gets no answer: the host died first');
    terminal.close();
    const { signal, recorded: first } = await gone;
    assert.equal(signal, 'SIGKILL');

    const bank = await restartedBank(file);
    try {
      const again = await bank.client.request(sale); // the terminal's repeat: same DE41, DE11, DE7
      assert.equal(again.fields[39], '00', 'the approval replayed, not 94 with the money posted');
      assert.deepEqual(again, first, 'the 0210 recorded with the authorization, byte for byte');
      const [entry, ...others] = bank.ledger.journal();
      assert.deepEqual(others, [], 'one journal entry: no second posting');
      assert.deepEqual([entry?.posted, entry?.rrn, entry?.authCode], [true, again.fields[37], again.fields[38]]);
      assert.deepEqual(bank.ledger.cardBalance('alice'), cny(40000));
      assert.deepEqual(bank.ledger.merchantBalance(MID), cny(10000));
      assert.deepEqual(bank.ledger.audit(), []);
    } finally {
      await bank.close();
    }
  });

  test('killed after answering: after the restart the duplicate gets the same 0210, posted once', async () => {
    const file = seededLedgerFile('after-reply');
    const { child, port, gone } = await hostProcess(file, 'after-reply');
    const terminal = await IsoTcpClient.connect({ host: '127.0.0.1', port });
    const first = await terminal.request(sale);
    terminal.close();
    child.kill('SIGKILL');
    assert.equal((await gone).signal, 'SIGKILL');

    const bank = await restartedBank(file);
    try {
      assert.equal(first.fields[39], '00');
      assert.deepEqual(await bank.client.request(sale), first);
      assert.equal(bank.ledger.journal().length, 1);
      assert.deepEqual(bank.ledger.cardBalance('alice'), cny(40000));
    } finally {
      await bank.close();
    }
  });

  test('a purchase journalled without a recorded answer (an older ledger file) is answered from its entry, not 94', () => {
    const ledger = Ledger.open(seededLedgerFile('legacy'));
    try {
      const context = { ledger, pinKey: TEST_PIN_KEY, now: hostClock() };
      const reference = answerRequest(sale, context);
      ledger.reset();
      // what an older host did: decide and post, then die before recording the answer
      ledger.authorizePurchase(purchaseRequestFrom(sale, TEST_PIN_KEY, hostClock()));
      const again = answerRequest(sale, context);
      assert.equal(again.kind, 'reply');
      assert.equal(reference.kind, 'reply');
      if (again.kind !== 'reply' || reference.kind !== 'reply') return;
      assert.equal(again.message.fields[39], '00');
      assert.equal(again.message.fields[38]?.length, 6);
      assert.deepEqual(Object.keys(again.message.fields), Object.keys(reference.message.fields));
      assert.equal(ledger.journal().length, 1);
      assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
    } finally {
      ledger.close();
    }
  });
});
