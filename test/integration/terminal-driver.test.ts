// The harness end as steps use it: EcrTerminalDriver over a mock serial port, the simulated terminal on the far side.
// A command the terminal refuses fails where it was sent, with the terminal's reason; the barrier pairs info by ref.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseMoney } from '../../protocols/domain/money.ts';
import { EcrLink, encodeAck, encodeFrame, FrameDecoder } from '../../protocols/ecr/index.ts';
import { type SimulatedTerminal, startMockTerminal } from '../../rigs/simulated/simulatedTerminal.ts';
import { EcrTerminalDriver } from '../../rigs/terminal/ecrTerminalDriver.ts';
import { TerminalRefusal } from '../../rigs/terminal/terminalRefusal.ts';
import { culpritOf } from '../../rigs/verdict/culprit.ts';
import { duplexPair } from '../support/duplexPair.ts';

describe('the terminal driver', () => {
  let simulated: SimulatedTerminal;
  let terminal: EcrTerminalDriver;

  before(async () => {
    simulated = await startMockTerminal('mock:/dev/ttyDRIVER', 115200, {
      ...{ tid: 'T0000001', mid: '898310048160001', merchantName: 'SIM SHOP', language: 'en', currency: 'CNY' },
      ...{ host: { host: '127.0.0.1', port: 9 }, responseTimeoutMs: 500 },
    });
    terminal = new EcrTerminalDriver('T0000001', new EcrLink(simulated.port, { name: 'harness' }));
    await terminal.connect();
  });

  after(async () => {
    await terminal.close();
    await simulated.stop();
  });

  it('fails the PIN step when no card was presented: the terminal refused it, and the scenario is to blame', async () => {
    await assert.rejects(terminal.pressKeys(['1', '2', '3', '4', 'ENTER']), (error: Error) => {
      assert.ok(error instanceof TerminalRefusal);
      assert.equal(error.code, 'wrong-state');
      assert.equal(culpritOf(error), 'scenario error');
      assert.match(error.message, /^the terminal refused "input\.keys": wrong-state: /);
      return true;
    });
  });

  it('fails the sale step for a currency the terminal does not take', async () => {
    await assert.rejects(terminal.startSale(parseMoney('100.00 USD')), (error: Error) => {
      assert.ok(error instanceof TerminalRefusal);
      assert.equal(error.code, 'currency');
      assert.match(error.message, /USD/);
      return true;
    });
  });

  it('lets an accepted command pass, and pairs each barrier hello with the info naming it', async () => {
    const from = terminal.history.mark();
    await terminal.startSale(parseMoney('1.00 CNY'));
    const records = terminal.history.all(from);
    const hello = records.find((r) => r.dir === 'out' && r.message.type === 'hello');
    const info = records.find((r) => r.dir === 'in' && r.message.type === 'info');
    assert.ok(hello && info, 'a barrier hello and its info');
    assert.equal(info.message.type === 'info' && info.message.ref, hello.message.id);
    assert.ok(!records.some((r) => r.message.type === 'error'), 'no refusal');
    await terminal.reset();
  });

  it('a reset leaves nothing of the scenario before it in the history', async () => {
    await terminal.startSale(parseMoney('1.00 CNY'));
    await terminal.reset();
    assert.deepEqual(terminal.history.all(), []);
  });
});

describe('events that break the spec', () => {
  /** A driver over a cable whose far end the test writes raw frames to (and ACKs nothing it need not). */
  async function driverWithRawTerminal() {
    const [harnessEnd, terminalEnd] = duplexPair();
    const terminal = new EcrTerminalDriver('T0000001', new EcrLink(harnessEnd, { name: 'harness' }));
    let seq = 0;
    const send = (payload: object | string) =>
      terminalEnd.write(
        encodeFrame(seq++ % 256, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload))),
      );
    // Answer the hello of connect() with an info naming it.
    const decoder = new FrameDecoder();
    terminalEnd.on('data', (chunk: Buffer) => {
      for (const unit of decoder.push(chunk)) {
        if (unit.kind !== 'frame') continue;
        terminalEnd.write(encodeAck(unit.seq));
        const message = JSON.parse(unit.payload.toString());
        if (message.type === 'hello')
          send({
            type: 'info',
            id: `i${seq}`,
            ref: message.id,
            model: 'M',
            serial: 'S',
            firmware: '1',
            protocol: '1',
            capabilities: [],
            language: 'en',
            tid: 'T0000001',
          });
      }
    });
    terminalEnd.on('error', () => {});
    await terminal.connect();
    return { terminal, send };
  }

  it('a result with a string amount fails every wait at once, as a firmware defect naming the field', async () => {
    const { terminal, send } = await driverWithRawTerminal();
    const waiting = terminal.history.waitFor('the result', (r) => r.message.type === 'result', { timeoutMs: 60_000 });
    send({ type: 'result', id: 'e1', command: 'sale', outcome: 'approved', amount: '10000' });
    await assert.rejects(waiting, (error: Error) => {
      assert.equal(culpritOf(error), 'firmware defect');
      assert.match(
        error.message,
        /^\[event-valid\] docs\/protocol.md §6, §9, §11: the terminal sent an invalid event: ECR message "result": field "amount" is invalid/,
      );
      return true;
    });
    await terminal.close();
  });

  it('an event with a clear card number is a firmware defect, the number masked in the message', async () => {
    const { terminal, send } = await driverWithRawTerminal();
    send({ type: 'display', id: 'e2', lines: ['CARD 4111111111111111'] });
    await assert.rejects(
      terminal.history.waitFor('anything more', () => false, { timeoutMs: 60_000 }),
      (error: Error) => {
        assert.equal(culpritOf(error), 'firmware defect');
        assert.match(
          error.message,
          /^\[pan-masked\] docs\/protocol.md §6: .*clear card number \(411111\*{6}1111\) in a "display" event/,
        );
        assert.doesNotMatch(error.message, /4111111111111111/);
        return true;
      },
    );
    await terminal.close();
  });

  it('an invalid event carrying a clear card number is named for the card number, masked', async () => {
    const { terminal, send } = await driverWithRawTerminal();
    send({ type: 'result', id: 'e3', command: 'sale', outcome: 'approved', pan: '4111111111111111' });
    await assert.rejects(
      terminal.history.waitFor('anything more', () => false, { timeoutMs: 60_000 }),
      (error: Error) => {
        assert.equal(culpritOf(error), 'firmware defect');
        assert.match(
          error.message,
          /^\[pan-masked\] docs\/protocol.md §6: the terminal sent a clear card number \(411111\*{6}1111\) in an event/,
        );
        assert.doesNotMatch(error.message, /4111111111111111/);
        return true;
      },
    );
    await terminal.close();
  });

  it('an event of a type it does not know is ignored (a newer terminal), not a defect', async () => {
    const { terminal, send } = await driverWithRawTerminal();
    send({ type: 'battery', id: 'e3', level: 80 });
    send({ type: 'voice', id: 'e4', text: 'ok' });
    const voice = await terminal.history.waitFor('the voice', (r) => r.message.type === 'voice', { timeoutMs: 5000 });
    assert.equal(voice.message.id, 'e4');
    assert.equal(terminal.history.failure, undefined);
    await terminal.close();
  });
});
