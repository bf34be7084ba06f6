// The simulated terminal end to end: harness EcrLink ⇄ PassThrough pair ⇄ TerminalSimulator ⇄ TCP ⇄ a fake acquirer.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { findUnmaskedPans } from '../../protocols/domain/pan.ts';
import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import { frameForTcp, type IsoMessage, packIso, TcpDeframer, unpackIso } from '../../protocols/iso8583/index.ts';
import { decryptPinBlock } from '../../protocols/pinblock/index.ts';
import { type TerminalConfig, TerminalSimulator } from '../../simulators/terminal/index.ts';
import { duplexPair } from '../support/duplexPair.ts';
import { RecordingHarness } from '../support/ecrHarness.ts';

const PAN = '6228480402564890018';
const MASKED = '622848*********0018';
const CLOCK = () => new Date(2025, 0, 2, 3, 4, 5);
const WAIT_MS = 3000;

type Answer = (request: IsoMessage) => IsoMessage | null;

/** A fake acquirer: records requests, answers with `answer` (null = never answers). */
class FakeAcquirer {
  readonly requests: IsoMessage[] = [];
  answer: Answer = approve;
  #watchers: ((request: IsoMessage) => void)[] = [];

  /** Resolves with the next request of this MTI to arrive. */
  next(mti: string): Promise<IsoMessage> {
    return new Promise((resolve) => {
      const watch = (request: IsoMessage) => {
        if (request.mti !== mti) return;
        this.#watchers = this.#watchers.filter((w) => w !== watch);
        resolve(request);
      };
      this.#watchers.push(watch);
    });
  }
  readonly #server = net.createServer((socket) => {
    const deframer = new TcpDeframer();
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      for (const body of deframer.push(chunk)) {
        const request = unpackIso(body);
        this.requests.push(request);
        for (const watch of [...this.#watchers]) watch(request);
        const response = this.answer(request);
        if (response) socket.write(frameForTcp(packIso(response)));
      }
    });
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function respond(request: IsoMessage, code: string, extra: IsoMessage['fields'] = {}): IsoMessage {
  const echo: IsoMessage['fields'] = {};
  for (const de of [2, 3, 4, 7, 11, 12, 13, 41, 42, 49]) if (request.fields[de]) echo[de] = request.fields[de];
  return { mti: '0210', fields: { ...echo, 37: '502003000042', 39: code, ...extra } };
}

function approve(request: IsoMessage): IsoMessage {
  return respond(request, '00', { 38: 'A12345' });
}

/** The harness side: an EcrLink that records every event and waits for one. */
class Harness extends RecordingHarness {
  /** Resolves with the first event (from index `from`) matching, or rejects after WAIT_MS quoting what came. */
  waitFor<T extends TerminalEvent>(match: (e: TerminalEvent) => e is T, from = 0): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(from).find(match);
        if (!found) return false;
        clearTimeout(timer);
        this.unsubscribe(wake);
        resolve(found);
        return true;
      };
      const wake = () => void check();
      const timer = setTimeout(() => {
        this.unsubscribe(wake);
        reject(new Error(`no matching event within ${WAIT_MS} ms; got ${JSON.stringify(this.events.slice(from))}`));
      }, WAIT_MS);
      if (!check()) this.subscribe(wake);
    });
  }

  /** Events after `from`, without state announcements, as compact strings for sequence assertions. */
  trail(from = 0): string[] {
    return this.events.slice(from).flatMap((e) => {
      if (e.type === 'display') return [`display ${e.lines.join(' | ')}`];
      if (e.type === 'voice') return [`voice ${e.text}`];
      if (e.type === 'print') return [`print ${e.copy}${e.reprint ? ' reprint' : ''}`];
      if (e.type === 'result') return [`result ${e.outcome}`];
      if (e.type === 'error') return [`error ${e.code}`];
      return [];
    });
  }
}

const isResult = (e: TerminalEvent): e is Extract<TerminalEvent, { type: 'result' }> => e.type === 'result';
const isError = (e: TerminalEvent): e is Extract<TerminalEvent, { type: 'error' }> => e.type === 'error';
const isPrint = (e: TerminalEvent): e is Extract<TerminalEvent, { type: 'print' }> => e.type === 'print';
const isState =
  (state: string) =>
  (e: TerminalEvent): e is Extract<TerminalEvent, { type: 'state' }> =>
    e.type === 'state' && e.state === state;

describe('simulated terminal against a fake acquirer', () => {
  const acquirer = new FakeAcquirer();
  let terminal: TerminalSimulator;
  let harness: Harness;

  function config(overrides: Partial<TerminalConfig> = {}): TerminalConfig {
    return {
      tid: 'T0000001',
      mid: '898310048160001',
      merchantName: '测试商户',
      language: 'zh-CN',
      currency: 'CNY',
      host: { host: '127.0.0.1', port: acquirer.port },
      responseTimeoutMs: 1000,
      ...overrides,
    };
  }

  async function boot(overrides: Partial<TerminalConfig> = {}): Promise<void> {
    await terminal?.stop();
    harness?.close();
    const [device, host] = duplexPair();
    terminal = new TerminalSimulator(config(overrides), { clock: CLOCK });
    terminal.attach(device);
    harness = new Harness(host);
  }

  async function swipeAndPin(amount: number, pin = '123456'): Promise<void> {
    await harness.send({ type: 'sale', amount, currency: 'CNY' });
    await harness.send({ type: 'input.card', method: 'swipe', pan: PAN, expiry: '3012' });
    await harness.send({ type: 'input.keys', keys: [...pin.split(''), 'ENTER'] });
  }

  before(() => acquirer.start());
  beforeEach(async () => {
    acquirer.answer = approve;
    acquirer.requests.length = 0;
    await boot();
  });
  after(async () => {
    await terminal.stop();
    harness.close();
    await acquirer.stop();
  });

  it('approves a swiped sale with PIN: display, voice, two receipts, then the result', async () => {
    await swipeAndPin(10000);
    const result = await harness.waitFor(isResult);

    assert.deepEqual(harness.trail(), [
      'display 请刷卡/插卡/挥卡 | 金额: ¥100.00',
      'voice 请刷卡',
      'display 请输入密码 | 金额: ¥100.00',
      'voice 请输入密码',
      'display 处理中...',
      'display 交易成功 | 金额: ¥100.00 | 2025-01-02 03:04:05',
      'voice 交易成功',
      'print merchant',
      'print cardholder',
      'result approved',
    ]);
    assert.equal(harness.events.at(-1), result, 'result is the last event');
    assert.equal(result.outcome, 'approved');
    assert.equal(result.responseCode, '00');
    assert.equal(result.stan, '000001');
    assert.equal(result.rrn, '502003000042');
    assert.equal(result.authCode, 'A12345');
    assert.equal(result.amount, 10000);
    assert.equal(result.currency, 'CNY');
    assert.equal(result.pan, MASKED);

    const [request] = acquirer.requests;
    assert.ok(request);
    assert.equal(request.mti, '0200');
    assert.equal(request.fields[2], PAN);
    assert.equal(request.fields[3], '000000');
    assert.equal(request.fields[4], '000000010000');
    assert.equal(request.fields[11], '000001');
    assert.equal(request.fields[14], '3012');
    assert.equal(request.fields[22], '021');
    assert.match(request.fields[35] ?? '', new RegExp(`^${PAN}=3012101`));
    assert.equal(request.fields[41], 'T0000001');
    assert.equal(request.fields[42], '898310048160001');
    assert.equal(request.fields[49], '156');
    assert.equal(decryptPinBlock(request.fields[52] ?? '', PAN), '123456');
    assert.deepEqual(terminal.pendingReversals, []);
  });

  it('prints receipts with masked PAN and every required field, and never sends a clear PAN or PIN', async () => {
    await swipeAndPin(10000);
    await harness.waitFor(isResult);
    const prints = harness.events.filter(isPrint);
    assert.deepEqual(
      prints.map((p) => [p.copy, p.reprint]),
      [
        ['merchant', false],
        ['cardholder', false],
      ],
    );
    const merchant = prints[0]?.lines ?? [];
    for (const expected of ['测试商户', '898310048160001', 'T0000001', MASKED, '消费/SALE', '¥100.00']) {
      assert.ok(
        merchant.some((l) => l.includes(expected)),
        `merchant copy shows ${expected}: ${merchant.join(' / ')}`,
      );
    }
    for (const expected of ['2025-01-02 03:04:05', '000001', '502003000042', 'A12345', '商户存根']) {
      assert.ok(
        merchant.some((l) => l.includes(expected)),
        `merchant copy shows ${expected}`,
      );
    }
    assert.ok(prints[1]?.lines.includes('持卡人存根'));
    const everything = JSON.stringify(harness.events);
    assert.deepEqual(findUnmaskedPans(everything), []);
    assert.ok(!everything.includes('123456"') && !everything.includes(PAN));
  });

  it('reprints the last cardholder copy marked 重打印凭证 without going online', async () => {
    await swipeAndPin(10000);
    await harness.waitFor(isResult);
    const from = harness.events.length;
    await harness.send({ type: 'reprint' });
    const reprint = await harness.waitFor(isPrint, from);
    assert.equal(reprint.copy, 'cardholder');
    assert.equal(reprint.reprint, true);
    assert.ok(reprint.lines.includes('重打印凭证'));
    assert.ok(reprint.lines.some((l) => l.includes(MASKED)));
    assert.equal(acquirer.requests.length, 1, 'a reprint sends nothing to the host');
  });

  it('declines with the response-code text (51 余额不足), says 交易失败 and prints nothing', async () => {
    acquirer.answer = (request) => respond(request, '51');
    await swipeAndPin(60000);
    const result = await harness.waitFor(isResult);
    assert.deepEqual(harness.trail().slice(4), [
      'display 处理中...',
      'display 余额不足 | 交易失败',
      'voice 交易失败',
      'result declined',
    ]);
    assert.equal(result.responseCode, '51');
    assert.equal(result.stan, '000001');
    assert.equal(harness.events.filter(isPrint).length, 0);
    assert.deepEqual(terminal.pendingReversals, []);
  });

  it('times out when the host never answers and records the pending reversal', async () => {
    await boot({ responseTimeoutMs: 100 });
    acquirer.answer = () => null;
    await swipeAndPin(10000);
    const result = await harness.waitFor(isResult);
    assert.equal(result.outcome, 'timeout');
    assert.equal(result.stan, '000001');
    assert.deepEqual(harness.trail().slice(4), [
      'display 处理中...',
      'display 交易失败 | 交易超时',
      'voice 交易失败',
      'result timeout',
    ]);
    const [pending] = terminal.pendingReversals;
    assert.equal(pending?.stan, '000001');
    assert.equal(pending?.due, true);
    assert.equal(pending?.reason, '98');
    assert.equal(pending?.request.fields[4], '000000010000');
    assert.equal(pending?.request.fields[52], undefined, 'no PIN block kept');
  });

  it('refuses a sale while online; abort then cancels and reverses the sent request (17)', async () => {
    acquirer.answer = () => null;
    const reversal = acquirer.next('0400');
    const sent = new Promise<void>((resolve) =>
      terminal.on('iso', (trace: { dir: string; message: IsoMessage }) => {
        if (trace.dir === 'out' && trace.message.mti === '0200') resolve();
      }),
    );
    await swipeAndPin(10000);
    await harness.waitFor(isState('online'));
    await sent;
    assert.deepEqual(
      terminal.pendingReversals.map((p) => [p.stan, p.due]),
      [['000001', false]],
      'armed before sending',
    );
    await harness.send({ type: 'sale', amount: 500, currency: 'CNY' });
    const refused = await harness.waitFor(isError);
    assert.equal(refused.code, 'wrong-state');
    assert.match(refused.message, /sale refused: the terminal is talking to the host, not idle/);

    await harness.send({ type: 'abort' });
    const result = await harness.waitFor(isResult);
    assert.equal(result.outcome, 'cancelled');
    assert.equal(terminal.state, 'idle');
    const stored = await harness.waitFor(
      (e): e is Extract<TerminalEvent, { type: 'reversal' }> => e.type === 'reversal' && e.status === 'stored',
    );
    assert.equal(stored.stan, '000001');
    assert.deepEqual(
      terminal.pendingReversals.map((p) => [p.stan, p.due, p.reason]),
      [['000001', true, '17']],
    );
    const reversed = await reversal;
    assert.equal(reversed.fields[11], '000001');
    assert.equal(reversed.fields[39], '17');
    await terminal.stop(); // no retry reaches the next test
  });

  it('fails without a reversal when the host cannot be reached', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await boot({ host: { host: '127.0.0.1', port } });
    await swipeAndPin(10000);
    const result = await harness.waitFor(isResult);
    assert.equal(result.outcome, 'failed');
    assert.ok(harness.trail().includes('display 交易失败 | 无法连接主机'));
    assert.deepEqual(terminal.pendingReversals, []);
  });

  it('approves a small contactless sale without PIN (English texts, DE22 071, no DE52)', async () => {
    await boot({ language: 'en' });
    await harness.send({ type: 'sale', amount: 2500, currency: 'CNY' });
    await harness.send({ type: 'input.card', method: 'tap', pan: PAN, expiry: '3012' });
    const result = await harness.waitFor(isResult);
    assert.equal(result.outcome, 'approved');
    assert.deepEqual(harness.trail(), [
      'display PRESENT CARD | AMOUNT: ¥25.00',
      'voice PLEASE PRESENT CARD',
      'display PROCESSING...',
      'display APPROVED | AMOUNT: ¥25.00 | 2025-01-02 03:04:05',
      'voice APPROVED',
      'print merchant',
      'print cardholder',
      'result approved',
    ]);
    const [request] = acquirer.requests;
    assert.equal(request?.fields[22], '071');
    assert.equal(request?.fields[52], undefined);
    assert.equal(request?.fields[35], undefined);
  });

  it('uses a new STAN for each transaction', async () => {
    await swipeAndPin(100);
    await harness.waitFor(isResult);
    const from = harness.events.length;
    await swipeAndPin(200);
    const second = await harness.waitFor(isResult, from);
    assert.equal(second.stan, '000002');
    assert.deepEqual(
      acquirer.requests.map((r) => r.fields[11]),
      ['000001', '000002'],
    );
  });

  it('answers hello with info, refuses input in idle, and aborts a sale back to 欢迎使用', async () => {
    await harness.send({ type: 'hello', protocol: '1' });
    const info = await harness.waitFor((e): e is Extract<TerminalEvent, { type: 'info' }> => e.type === 'info');
    assert.equal(info.tid, 'T0000001');
    assert.equal(info.language, 'zh-CN');

    await harness.send({ type: 'input.keys', keys: ['1'] });
    const refused = await harness.waitFor(isError);
    assert.equal(refused.code, 'wrong-state');
    assert.match(refused.message, /idle/);

    await harness.send({ type: 'sale', amount: 10000, currency: 'CNY' });
    await harness.send({ type: 'input.card', method: 'chip', pan: PAN, expiry: '3012' });
    const from = harness.events.length;
    await harness.send({ type: 'abort' });
    const result = await harness.waitFor(isResult, from);
    assert.equal(result.outcome, 'cancelled');
    assert.ok(harness.trail(from).includes('display 欢迎使用'));
    assert.equal(terminal.state, 'idle');
    assert.equal(acquirer.requests.length, 0);
  });

  it('stops printing at paper-out after the first copy, still reporting the approval', async () => {
    await harness.send({ type: 'printer.set', state: 'paper-out', after: 'first-copy' });
    await swipeAndPin(10000);
    const result = await harness.waitFor(isResult);
    assert.equal(result.outcome, 'approved');
    assert.match(result.message ?? '', /paper-out/);
    assert.deepEqual(harness.trail().slice(-5), [
      'print merchant',
      'display 打印机缺纸 | 请处理后重打印',
      'voice 打印机缺纸',
      'error printer-paper-out',
      'result approved',
    ]);
  });
});
