// The simulated terminal as real firmware must behave, against the real AcquirerHost + Ledger behind a scripted gate
// that can swallow, hold, garble or drop what passes: reversals (timeout, garbled, late, before the next sale, after a
// power cut), failover, wrong PIN, printer recovery, reprint — and each seeded defect changing what it names.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { findUnmaskedPans } from '../../protocols/domain/pan.ts';
import { EcrMessageError, FrameDecoder, type HarnessCommand, type TerminalEvent } from '../../protocols/ecr/index.ts';
import { frameForTcp, type IsoMessage, packIso, TcpDeframer, unpackIso } from '../../protocols/iso8583/index.ts';
import { AcquirerHost, IsoTcpClient } from '../../simulators/acquirer/index.ts';
import {
  type Defect,
  STATE_FILE,
  type TerminalConfig,
  type TerminalParts,
  TerminalSimulator,
} from '../../simulators/terminal/index.ts';
import { cny, MID, seededLedger, VISA } from '../support/bankFixture.ts';
import { duplexPair } from '../support/duplexPair.ts';
import { type EventOf, RecordingHarness } from '../support/ecrHarness.ts';

const WAIT_MS = 4000;
/** Alice here holds the Visa test card (a 4-digit PIN). */
const ALICE = { ...VISA, alias: 'alice' };

type Action = 'pass' | 'swallow' | 'hold' | 'garble' | 'drop';

/** A scripted front for the acquirer: forwards each request, then acts on the response as planned per MTI. */
class Gate {
  readonly seen: IsoMessage[] = [];
  readonly plan: { mti: string; action: Action }[] = [];
  readonly #held: { socket: net.Socket; response: IsoMessage }[] = [];
  #waiters: (() => void)[] = [];
  answered = 0;
  port = 0;
  /** a held response is released this long after the host answered (a deliberate delay); 0: by release() */
  holdMs = 0;
  onRequest: (request: IsoMessage) => void = () => {};
  readonly #sockets = new Set<net.Socket>();
  readonly #server = net.createServer((socket) => this.#serve(socket));

  constructor(readonly upstream: () => { host: string; port: number }) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Writes the held responses now (a late 0210). */
  release(): void {
    for (const { socket, response } of this.#held.splice(0)) {
      if (!socket.destroyed) socket.write(frameForTcp(Buffer.from(packIsoText(response))));
    }
  }

  mtis(): string[] {
    return this.seen.map((m) => `${m.mti}/${m.fields[11]}`);
  }

  /** Resolves once `count` responses came back from the acquirer. */
  answeredAt(count: number): Promise<void> {
    return until(
      () => this.answered >= count,
      (wake) => this.#waiters.push(wake),
      `${count} acquirer answers`,
    );
  }

  #serve(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => {});
    const deframer = new TcpDeframer();
    const upstream = IsoTcpClient.connect(this.upstream());
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      for (const body of deframer.push(chunk)) {
        const request = unpackIso(body);
        this.seen.push(request);
        this.onRequest(request);
        const index = this.plan.findIndex((p) => p.mti === request.mti);
        const action = index >= 0 ? (this.plan.splice(index, 1)[0]?.action ?? 'pass') : 'pass';
        if (action === 'drop') {
          socket.destroy();
          return;
        }
        queue = queue.then(async () => {
          const response = await (await upstream).request(request);
          if (action === 'hold' && this.holdMs > 0) setTimeout(() => this.release(), this.holdMs);
          this.answered++;
          for (const wake of this.#waiters) wake();
          if (socket.destroyed || action === 'swallow') return;
          if (action === 'hold') this.#held.push({ socket, response });
          else if (action === 'garble') socket.write(frameForTcp(Buffer.from('0210\x00\x01garbage')));
          else socket.write(frameForTcp(Buffer.from(packIsoText(response))));
        });
      }
    });
    socket.on('close', () => void upstream.then((c) => c.close()));
  }
}

function packIsoText(message: IsoMessage): Buffer {
  return Buffer.from(packIso(message));
}

/** Resolves when `ready()` holds, re-checking each time `subscribe`'s wake is called; rejects after WAIT_MS. */
function until(ready: () => boolean, subscribe: (wake: () => void) => void, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ready()) return resolve();
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
    subscribe(() => {
      if (!ready()) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The harness side of the ECR link: records events, waits for them (RecordingHarness.waitForEvent). */
class Harness extends RecordingHarness {
  /** Sends without waiting for the ACK (for a terminal that is powered off). */
  post(command: Omit<Extract<HarnessCommand, { type: 'hello' }>, 'id'>): void {
    this.send(command).catch(() => {});
  }

  of<T extends TerminalEvent['type']>(type: T, from = 0): EventOf<T>[] {
    return this.events.slice(from).filter((e): e is EventOf<T> => e.type === type);
  }

  reversals(from = 0): string[] {
    return this.of('reversal', from).map((e) => `${e.stan} ${e.status}${e.responseCode ? ` ${e.responseCode}` : ''}`);
  }
}

describe('simulated terminal firmware rules, against the real acquirer', () => {
  const ledger = seededLedger([ALICE]);
  const acquirer = new AcquirerHost({ ledger });
  let address: { host: string; port: number };
  const gate = new Gate(() => address);
  const folders: string[] = [];
  let terminal: TerminalSimulator;
  let harness: Harness;

  function config(overrides: Partial<TerminalConfig> = {}): TerminalConfig {
    return {
      ...{ tid: 'T0000001', mid: MID, merchantName: 'Test Shop', language: 'zh-CN', currency: 'CNY' },
      host: { host: '127.0.0.1', port: gate.port },
      responseTimeoutMs: 250,
      reversalRetryMs: 50,
      ...overrides,
    };
  }

  function stateDir(): string {
    const folder = mkdtempSync(path.join(tmpdir(), 'posrig-terminal-state-'));
    folders.push(folder);
    return folder;
  }

  /** Starts a fresh terminal and harness; returns the harness end of the line between them. */
  async function boot(overrides: Partial<TerminalConfig> = {}, parts: TerminalParts = {}): Promise<Duplex> {
    await terminal?.stop();
    harness?.close();
    const [device, host] = duplexPair();
    terminal = new TerminalSimulator(config(overrides), parts);
    terminal.attach(device);
    harness = new Harness(host);
    return host;
  }

  async function sale(amount: number, pin: string | null = ALICE.pin): Promise<number> {
    const from = harness.events.length;
    await harness.send({ type: 'sale', amount, currency: 'CNY' });
    await harness.send({ type: 'input.card', method: 'chip', pan: ALICE.pan, expiry: ALICE.expiry });
    if (pin !== null) await enterPin(pin);
    return from;
  }

  async function enterPin(pin: string): Promise<void> {
    await harness.send({ type: 'input.keys', keys: [...pin.split(''), 'ENTER'] });
  }

  /** Waits until the terminal has asked for the PIN again `n` times. */
  function rePrompts(n: number): Promise<void> {
    const count = () => harness.of('display').filter((e) => e.lines[0] === '密码错误，请重新输入').length;
    return until(
      () => count() >= n && terminal.state === 'pin',
      (wake) => harness.subscribe(wake),
      `re-prompt ${n}`,
    );
  }

  function lines(from = 0): string[] {
    return harness.of('display', from).map((e) => e.lines.join(' | '));
  }

  before(async () => {
    address = await acquirer.start();
    await gate.start();
  });
  beforeEach(async () => {
    ledger.reset();
    gate.seen.length = 0;
    gate.plan.length = 0;
    gate.answered = 0;
    gate.onRequest = () => {};
    gate.holdMs = 0;
    await boot();
  });
  afterEach(async () => {
    await terminal.stop();
    harness.close();
  });
  after(async () => {
    await gate.stop();
    await acquirer.stop();
    ledger.close();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('reverses a timed-out sale with DE90 and the original STAN, retrying until the 0410 arrives', async () => {
    gate.plan.push({ mti: '0200', action: 'swallow' }, { mti: '0400', action: 'swallow' });
    await sale(12000);
    const result = await harness.waitForEvent('result');
    assert.equal(result.outcome, 'timeout');
    assert.ok(lines().includes('交易失败 | 交易超时'));
    assert.equal(harness.of('voice').at(-1)?.text, '交易失败');
    assert.equal(harness.of('print').length, 0, 'no receipt');
    await harness.waitForEvent('reversal', (e) => e.status === 'confirmed');
    assert.deepEqual(harness.reversals(), ['000001 stored', '000001 sent', '000001 sent', '000001 confirmed 00']);

    const [original, ...reversals] = gate.seen;
    assert.equal(reversals.length, 2, 'the first 0400 got no answer, the second did');
    for (const reversal of reversals) {
      assert.equal(reversal.mti, '0400');
      assert.equal(reversal.fields[11], '000001', 'the original STAN');
      assert.equal(reversal.fields[39], '98');
      assert.equal(reversal.fields[90], `0200000001${original?.fields[7]}${'0'.repeat(22)}`);
      assert.equal(reversal.fields[4], '000000012000');
      assert.equal(reversal.fields[52], undefined);
    }
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000), 'balance restored');
    assert.deepEqual(terminal.pendingReversals, []);
  });

  it('discards a 0210 that arrives after the timeout; the outcome stays timeout and the sale is reversed', async () => {
    await boot({}, { keepAlive: true });
    const discarded: unknown[] = [];
    terminal.on('iso', (trace: { discarded?: boolean }) => trace.discarded && discarded.push(trace));
    gate.plan.push({ mti: '0200', action: 'hold' });
    await sale(3000);
    const result = await harness.waitForEvent('result');
    assert.equal(result.outcome, 'timeout');
    gate.release();
    await harness.waitForEvent('reversal', (e) => e.status === 'confirmed');
    await until(
      () => discarded.length > 0,
      (wake) => terminal.on('iso', wake),
      'the late 0210 discarded',
    );
    assert.equal(harness.of('result').length, 1);
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
  });

  it('reverses with reason 96 when the reply is garbled', async () => {
    gate.plan.push({ mti: '0200', action: 'garble' });
    await sale(2000);
    const result = await harness.waitForEvent('result');
    assert.equal(result.outcome, 'failed');
    assert.ok(lines().includes('交易失败 | 应答报文错误'));
    await harness.waitForEvent('reversal', (e) => e.status === 'confirmed');
    assert.equal(gate.seen.find((m) => m.mti === '0400')?.fields[39], '96');
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
  });

  it('sends a stored reversal before the next sale, which waits for the 0410', async () => {
    await boot({ reversalRetryMs: 60_000 });
    gate.plan.push({ mti: '0200', action: 'swallow' }, { mti: '0400', action: 'swallow' });
    await sale(1000);
    await harness.waitForEvent('result');
    await harness.waitForEvent('reversal', (e) => e.status === 'sent');
    await gate.answeredAt(2); // the 0400 reached the host; its answer was swallowed, the next try is a minute away
    const from = await sale(1500);
    const second = await harness.waitForEvent('result', () => true, from);
    assert.equal(second.outcome, 'approved');
    assert.deepEqual(gate.mtis(), ['0200/000001', '0400/000001', '0400/000001', '0200/000002']);
    assert.deepEqual(harness.reversals(from), ['000001 sent', '000001 confirmed 00']);
    assert.deepEqual(ledger.cardBalance('alice'), cny(48500));
  });

  it("fails the next sale with '冲正未完成' when the stored reversal still cannot be delivered", async () => {
    await boot({ reversalRetryMs: 60_000 });
    gate.plan.push({ mti: '0200', action: 'swallow' }, { mti: '0400', action: 'swallow' });
    gate.plan.push({ mti: '0400', action: 'swallow' });
    await sale(1000);
    await harness.waitForEvent('result');
    await gate.answeredAt(2);
    const from = await sale(1500);
    const second = await harness.waitForEvent('result', () => true, from);
    assert.equal(second.outcome, 'failed');
    assert.ok(lines(from).includes('交易失败 | 冲正未完成'));
    assert.deepEqual(gate.mtis(), ['0200/000001', '0400/000001', '0400/000001'], 'no 0200 while a reversal is due');
  });

  it('stores the pending reversal on disk before the 0200 goes out', async () => {
    const dir = stateDir();
    await boot({ stateDir: dir });
    let stored: { stan: number; reversals: { stan: string; due: boolean }[] } | undefined;
    gate.onRequest = (request) => {
      if (request.mti === '0200') stored = JSON.parse(readFileSync(path.join(dir, STATE_FILE), 'utf8'));
    };
    await sale(500);
    await harness.waitForEvent('result');
    assert.equal(stored?.stan, 1);
    assert.deepEqual(
      stored?.reversals.map((r) => [r.stan, r.due]),
      [['000001', false]],
    );
    const after = JSON.parse(readFileSync(path.join(dir, STATE_FILE), 'utf8'));
    assert.deepEqual(after.reversals, [], 'cleared once answered');
  });

  for (const persisted of [true, false]) {
    it(
      persisted
        ? 'power cut while online: on power-up it signs on and sends the stored reversal; balance restored'
        : "power cut with the 'reversal-not-persisted' defect: the reversal is lost, the money stays taken",
      async () => {
        const defects: Defect[] = persisted ? [] : ['reversal-not-persisted'];
        await boot({ stateDir: stateDir(), defects });
        gate.plan.push({ mti: '0200', action: 'swallow' });
        await sale(7000);
        await gate.answeredAt(1);
        assert.deepEqual(ledger.cardBalance('alice'), cny(43000), 'the host approved');
        terminal.powerOff();
        assert.equal(terminal.powered, false);
        const from = harness.events.length;
        harness.post({ type: 'hello', protocol: '1' });
        await terminal.powerOn();
        assert.deepEqual(
          harness.events.slice(from, from + 2).map((e) => e.type),
          ['info', 'state'],
        );
        if (persisted) {
          await harness.waitForEvent('reversal', (e) => e.status === 'confirmed', from);
          assert.deepEqual(harness.reversals(from), ['000001 stored', '000001 sent', '000001 confirmed 00']);
          assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
          const reversal = gate.seen.find((m) => m.mti === '0400');
          assert.equal(reversal?.fields[39], '06');
        } else {
          assert.deepEqual(terminal.pendingReversals, []);
          assert.deepEqual(ledger.cardBalance('alice'), cny(43000));
        }
        assert.deepEqual(gate.mtis().slice(0, 2), ['0200/000001', '0800/000002']);
        assert.equal(harness.of('result').length, 0, 'the transaction died with the power');
      },
    );
  }

  it('fails over to the backup host when the primary refuses the connection', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await boot({ host: { host: '127.0.0.1', port }, backupHost: { host: '127.0.0.1', port: gate.port } });
    const failovers: unknown[] = [];
    terminal.on('failover', (f) => failovers.push(f));
    await sale(2500);
    const result = await harness.waitForEvent('result');
    assert.equal(result.outcome, 'approved');
    assert.equal(failovers.length, 1);
    assert.deepEqual(ledger.cardBalance('alice'), cny(47500));
  });

  it('asks the PIN again after 55 (no result yet) and approves the right PIN with a new STAN', async () => {
    await sale(1000, '9999');
    await rePrompts(1);
    assert.equal(harness.of('voice').at(-1)?.text, '密码错误');
    assert.equal(terminal.state, 'pin');
    assert.equal(harness.of('result').length, 0);
    await enterPin(ALICE.pin);
    const result = await harness.waitForEvent('result');
    assert.equal(result.outcome, 'approved');
    assert.equal(result.stan, '000002');
    assert.deepEqual(gate.mtis(), ['0200/000001', '0200/000002']);
    assert.deepEqual(harness.reversals(), [], 'the 55 attempt is not reversed');
  });

  it('declines 75 after three wrong PINs with 密码错误次数超限', async () => {
    await sale(1000, '9999');
    for (const n of [1, 2]) {
      await rePrompts(n);
      await enterPin('9999');
    }
    const result = await harness.waitForEvent('result');
    assert.equal(result.outcome, 'declined');
    assert.equal(result.responseCode, '75');
    assert.ok(lines().some((l) => l.startsWith('密码错误次数超限')));
    assert.equal(harness.of('voice').at(-1)?.text, '交易失败');
  });

  it('prints the copy paper-out stopped, marked as a reprint, once paper is loaded; reprint marks too', async () => {
    await harness.send({ type: 'printer.set', state: 'paper-out', after: 'first-copy' });
    await sale(1000);
    const result = await harness.waitForEvent('result');
    assert.equal(result.outcome, 'approved');
    assert.ok(lines().includes('打印机缺纸 | 请处理后重打印'));
    assert.equal(harness.of('voice').at(-1)?.text, '打印机缺纸');
    assert.deepEqual(
      harness.of('print').map((p) => [p.copy, p.reprint]),
      [['merchant', false]],
    );
    await harness.send({ type: 'printer.set', state: 'ok' });
    const missing = await harness.waitForEvent('print', (p) => p.copy === 'cardholder');
    assert.equal(missing.reprint, true);
    assert.ok(missing.lines.includes('重打印凭证'));
    const from = harness.events.length;
    await harness.send({ type: 'reprint' });
    const again = await harness.waitForEvent('print', () => true, from);
    assert.deepEqual([again.copy, again.reprint, again.lines.includes('重打印凭证')], ['cardholder', true, true]);
    assert.equal(gate.seen.length, 1, 'reprints send nothing to the host');
    assert.deepEqual(ledger.cardBalance('alice'), cny(49000));
  });

  describe('seeded defects', () => {
    async function timedOutSale(defects: Defect[]): Promise<EventOf<'result'>> {
      await boot({ defects });
      gate.plan.push({ mti: '0200', action: 'swallow' });
      await sale(4000);
      return harness.waitForEvent('result');
    }

    it('no-reversal-on-timeout: a timeout stores and sends no reversal', async () => {
      const result = await timedOutSale(['no-reversal-on-timeout']);
      assert.equal(result.outcome, 'timeout');
      assert.deepEqual(harness.reversals(), []);
      assert.deepEqual(terminal.pendingReversals, []);
      assert.deepEqual(ledger.cardBalance('alice'), cny(46000));
    });

    it("success-on-timeout: a timeout shows '交易成功' and reports approved", async () => {
      const result = await timedOutSale(['success-on-timeout']);
      assert.equal(result.outcome, 'approved');
      assert.ok(lines().some((l) => l.startsWith('交易成功')));
      assert.deepEqual(harness.reversals(), []);
    });

    it('late-response-accepted: a 0210 delayed past the timeout is taken', async () => {
      await boot({ defects: ['late-response-accepted'], responseTimeoutMs: 150 }, { keepAlive: true });
      gate.plan.push({ mti: '0200', action: 'hold' });
      gate.holdMs = 300; // twice the response timeout: clean firmware has given up (and reversed) by then
      await sale(4000);
      const result = await harness.waitForEvent('result');
      assert.equal(result.outcome, 'approved');
      assert.deepEqual(harness.reversals(), []);
      assert.deepEqual(ledger.cardBalance('alice'), cny(46000));
    });

    it('receipt-on-decline: a decline prints a cardholder receipt', async () => {
      await boot({ defects: ['receipt-on-decline'] });
      await sale(900000);
      const result = await harness.waitForEvent('result');
      assert.equal(result.responseCode, '51');
      assert.deepEqual(
        harness.of('print').map((p) => p.copy),
        ['cardholder'],
      );
    });

    it('unmarked-reprint: reprints carry no mark and reprint=false', async () => {
      await boot({ defects: ['unmarked-reprint'] });
      await sale(1000);
      await harness.waitForEvent('result');
      const from = harness.events.length;
      await harness.send({ type: 'reprint' });
      const reprint = await harness.waitForEvent('print', () => true, from);
      assert.equal(reprint.reprint, false);
      assert.ok(!reprint.lines.includes('重打印凭证'));
    });

    it('double-print: the cardholder copy comes out twice, the second unmarked', async () => {
      await boot({ defects: ['double-print'] });
      await sale(1000);
      await harness.waitForEvent('result');
      assert.deepEqual(
        harness.of('print').map((p) => [p.copy, p.reprint]),
        [
          ['merchant', false],
          ['cardholder', false],
          ['cardholder', false],
        ],
      );
    });

    it('unlimited-pin-retries: 75 asks for the PIN again instead of declining', async () => {
      await boot({ defects: ['unlimited-pin-retries'] });
      await sale(1000, '9999');
      for (const n of [1, 2, 3]) {
        await rePrompts(n);
        await enterPin('9999');
      }
      await rePrompts(4); // the 75 answer to the third wrong PIN asks again
      assert.equal(terminal.state, 'pin');
      assert.equal(harness.of('result').length, 0);
      assert.equal(gate.seen.at(-1)?.fields[11], '000004');
    });

    it('stan-reused: every 0200 carries the same STAN', async () => {
      await boot({ defects: ['stan-reused'] });
      await sale(100);
      await harness.waitForEvent('result');
      const from = await sale(200);
      await harness.waitForEvent('result', () => true, from);
      assert.deepEqual(gate.mtis(), ['0200/000001', '0200/000001']);
    });

    /** A clock a minute further on at every reading: the 0400's DE7 never equals the original's. */
    function minuteTicks(): () => Date {
      const start = Date.now();
      let readings = 0;
      return () => new Date(start + 60_000 * readings++);
    }

    /** The payload of every frame that came over the line, valid event or not (what the harness link decoded). */
    function framesOn(line: Duplex): string[] {
      const payloads: string[] = [];
      const decoder = new FrameDecoder();
      line.on('data', (chunk: Buffer) => {
        for (const unit of decoder.push(chunk)) if (unit.kind === 'frame') payloads.push(unit.payload.toString('utf8'));
      });
      return payloads;
    }

    /** Waits for the harness link to refuse an event as invalid. */
    async function invalidEvent(): Promise<EcrMessageError> {
      const found = () => harness.faults.find((f): f is EcrMessageError => f instanceof EcrMessageError);
      await until(
        () => found() !== undefined,
        (wake) => harness.subscribe(wake),
        'an invalid event',
      );
      return found() as EcrMessageError;
    }

    const approvedScreens = (from = 0) => lines(from).filter((l) => l.startsWith('交易成功')).length;
    const approvedWords = (from = 0) => harness.of('voice', from).filter((v) => v.text === '交易成功').length;

    for (const defective of [true, false]) {
      it(
        defective
          ? "approval-before-host: '交易成功' is shown and said once the 0200 is out, before its 0210"
          : "clean firmware shows and says '交易成功' only once the approving 0210 is in",
        async () => {
          await boot({ defects: defective ? ['approval-before-host'] : [], responseTimeoutMs: 3000 });
          gate.plan.push({ mti: '0200', action: 'hold' });
          await sale(1000);
          await gate.answeredAt(1); // the host approved; its 0210 waits at the gate
          const barrier = harness.events.length;
          await harness.send({ type: 'hello', protocol: '1' });
          await harness.waitForEvent('info', () => true, barrier); // everything the terminal said so far has come in
          assert.equal(harness.of('result').length, 0, 'no 0210 reached the terminal yet');
          assert.deepEqual([approvedScreens(), approvedWords()], defective ? [1, 1] : [0, 0]);
          gate.release();
          const result = await harness.waitForEvent('result');
          assert.equal(result.outcome, 'approved');
          assert.deepEqual([approvedScreens(), approvedWords()], defective ? [2, 2] : [1, 1]);
          assert.deepEqual(gate.mtis(), ['0200/000001']);
        },
      );
    }

    it('approval-before-host: a decline shows and says its failure after the early approval', async () => {
      await boot({ defects: ['approval-before-host'] });
      await sale(900000);
      const result = await harness.waitForEvent('result');
      assert.deepEqual([result.outcome, result.responseCode], ['declined', '51']);
      const screens = lines().filter((l) => l.startsWith('交易成功') || l === '余额不足 | 交易失败');
      assert.deepEqual(
        screens.map((l) => l.split(' | ')[0]),
        ['交易成功', '余额不足'],
      );
      const said = harness.of('voice').map((v) => v.text);
      assert.deepEqual(said.slice(said.indexOf('交易成功')), ['交易成功', '交易失败']);
      assert.deepEqual(harness.of('print'), []);
    });

    const orders: [Defect | null, string[]][] = [
      [null, ['print merchant', 'print cardholder', 'result']],
      ['result-before-receipts', ['result', 'print merchant', 'print cardholder']],
      ['cardholder-copy-first', ['print cardholder', 'print merchant', 'result']],
    ];
    for (const [defect, order] of orders) {
      it(`${defect ?? 'clean firmware'}: an approved sale ends ${order.join(', ')}`, async () => {
        await boot({ defects: defect ? [defect] : [] });
        await sale(1000);
        await harness.waitForEvent('result');
        await harness.waitForEvent(
          'print',
          (p) => p.copy === (defect === 'cardholder-copy-first' ? 'merchant' : 'cardholder'),
        );
        const seen = harness.events.flatMap((e) =>
          e.type === 'print' ? [`print ${e.copy}`] : e.type === 'result' ? ['result'] : [],
        );
        assert.deepEqual(seen, order);
        assert.ok(harness.of('print').every((p) => !p.reprint));
        assert.deepEqual(ledger.cardBalance('alice'), cny(49000));
      });
    }

    it('timeout-reported-failed: a timeout ends failed, with the timeout screen and the 98 reversal', async () => {
      const result = await timedOutSale(['timeout-reported-failed']);
      assert.equal(result.outcome, 'failed');
      assert.equal(result.message, '交易超时');
      assert.ok(lines().includes('交易失败 | 交易超时'));
      assert.equal(harness.of('voice').at(-1)?.text, '交易失败');
      assert.equal(harness.of('print').length, 0);
      await harness.waitForEvent('reversal', (e) => e.status === 'confirmed');
      assert.deepEqual(harness.reversals(), ['000001 stored', '000001 sent', '000001 confirmed 00']);
      assert.equal(gate.seen.find((m) => m.mti === '0400')?.fields[39], '98');
      assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    });

    it('wrong-pin-reversed: the 55 request is reversed (96) while the PIN is asked again', async () => {
      await boot({ defects: ['wrong-pin-reversed'] });
      await sale(1000, '9999');
      await rePrompts(1);
      await harness.waitForEvent('reversal', (e) => e.status === 'confirmed');
      assert.deepEqual(harness.reversals(), ['000001 stored', '000001 sent', '000001 confirmed 00']);
      const reversal = gate.seen.find((m) => m.mti === '0400');
      assert.deepEqual([reversal?.fields[11], reversal?.fields[39]], ['000001', '96']);
      assert.equal(terminal.state, 'pin');
      assert.equal(harness.of('result').length, 0);
      await enterPin(ALICE.pin);
      const result = await harness.waitForEvent('result');
      assert.deepEqual([result.outcome, result.stan], ['approved', '000002']);
      assert.deepEqual(gate.mtis(), ['0200/000001', '0400/000001', '0200/000002']);
      assert.deepEqual(ledger.cardBalance('alice'), cny(49000));
    });

    for (const defective of [true, false]) {
      it(
        defective
          ? "reversal-de90-wrong: DE90 carries the 0400's own DE7; the host cannot find the original (25)"
          : "clean firmware: DE90 carries the original's DE7 although the 0400's DE7 is new; the sale is reversed",
        async () => {
          await boot({ defects: defective ? ['reversal-de90-wrong'] : [] }, { clock: minuteTicks() });
          gate.plan.push({ mti: '0200', action: 'swallow' });
          await sale(4000);
          assert.equal((await harness.waitForEvent('result')).outcome, 'timeout');
          const confirmed = await harness.waitForEvent('reversal', (e) => e.status === 'confirmed');
          const [original, reversal] = gate.seen;
          assert.equal(reversal?.mti, '0400');
          assert.notEqual(reversal?.fields[7], original?.fields[7], 'the 0400 has a DE7 of its own');
          const de7 = defective ? reversal?.fields[7] : original?.fields[7];
          assert.equal(reversal?.fields[90], `0200000001${de7}${'0'.repeat(22)}`);
          assert.deepEqual([reversal?.fields[11], reversal?.fields[39]], ['000001', '98']);
          assert.equal(confirmed.responseCode, defective ? '25' : '00');
          assert.deepEqual(ledger.cardBalance('alice'), cny(defective ? 46000 : 50000));
        },
      );
    }

    for (const defective of [true, false]) {
      it(
        defective
          ? "decline-said-approved: a 51 decline says '交易成功'; display and result stay a decline"
          : "clean firmware says '交易失败' for a 51 decline",
        async () => {
          await boot({ defects: defective ? ['decline-said-approved'] : [] });
          await sale(900000);
          const result = await harness.waitForEvent('result');
          assert.deepEqual([result.outcome, result.responseCode], ['declined', '51']);
          assert.equal(lines().at(-1), '余额不足 | 交易失败');
          assert.equal(harness.of('voice').at(-1)?.text, defective ? '交易成功' : '交易失败');
          assert.equal(approvedScreens(), 0);
          assert.deepEqual(harness.of('print'), []);
        },
      );
    }

    it('string-amount: the result goes out with "amount":"1000"; the harness link refuses it as invalid', async () => {
      const frames = framesOn(await boot({ defects: ['string-amount'] }));
      await sale(1000);
      const fault = await invalidEvent();
      assert.deepEqual([fault.messageType, fault.path], ['result', 'amount']);
      const result = JSON.parse(frames.find((f) => f.includes('"type":"result"')) ?? '{}');
      assert.deepEqual([result.outcome, result.amount], ['approved', '1000']);
      assert.equal(harness.of('result').length, 0, 'no valid result reached the harness');
      assert.deepEqual(ledger.cardBalance('alice'), cny(49000));
    });

    it('clear-pan-in-result: the result goes out with the clear PAN; the harness link refuses it', async () => {
      const frames = framesOn(await boot({ defects: ['clear-pan-in-result'] }));
      await sale(1000);
      const fault = await invalidEvent();
      assert.deepEqual([fault.messageType, fault.path], ['result', 'pan']);
      const result = frames.find((f) => f.includes('"type":"result"')) ?? '';
      assert.equal(JSON.parse(result).pan, ALICE.pan);
      assert.deepEqual(findUnmaskedPans(result), [ALICE.pan]);
      assert.deepEqual(findUnmaskedPans(JSON.stringify(harness.of('print'))), [], 'the receipts stay masked');
    });

    for (const [defect, shown] of [
      ['info-tid-wrong', 'T0000002'],
      [null, 'T0000001'],
    ] as const) {
      it(`${defect ?? 'clean firmware'}: info reports TID ${shown}; the 0200 carries DE41 T0000001`, async () => {
        await boot({ defects: defect ? [defect] : [] });
        await harness.send({ type: 'hello', protocol: '1' });
        const info = await harness.waitForEvent('info');
        assert.equal(info.tid, shown);
        await sale(1000);
        assert.equal((await harness.waitForEvent('result')).outcome, 'approved');
        assert.deepEqual(
          gate.seen.map((m) => m.fields[41]),
          ['T0000001'],
        );
      });
    }
  });
});
