// The harness end as steps use it: EcrTerminalDriver over a mock serial port, the simulated terminal on the far side.
// A command the terminal refuses fails where it was sent, with the terminal's reason; the barrier pairs info by ref.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseMoney } from '../../protocols/domain/money.ts';
import { EcrLink } from '../../protocols/ecr/index.ts';
import { type SimulatedTerminal, startMockTerminal } from '../../rigs/simulated/simulatedTerminal.ts';
import { EcrTerminalDriver } from '../../rigs/terminal/ecrTerminalDriver.ts';
import { TerminalRefusal } from '../../rigs/terminal/terminalRefusal.ts';
import { culpritOf } from '../../rigs/verdict/culprit.ts';

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
