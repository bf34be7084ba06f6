// The simulated terminal's card read (cardReadMs): after a card is presented it stays in `card` until the card is
// read, refuses a PIN typed meanwhile, then asks for the PIN (`state` `pin`) — what the harness's pacing waits for.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseMoney } from '../../protocols/domain/money.ts';
import { EcrLink } from '../../protocols/ecr/index.ts';
import { type SimulatedTerminal, startMockTerminal } from '../../rigs/simulated/simulatedTerminal.ts';
import { EcrTerminalDriver } from '../../rigs/terminal/ecrTerminalDriver.ts';
import { cardholderTurn, type Window } from '../../rigs/terminal/expectations.ts';
import { TerminalRefusal } from '../../rigs/terminal/terminalRefusal.ts';

const CARD = { method: 'swipe', pan: '6228480402564890018', expiry: '3012' } as const;

describe('a simulated terminal that takes 300 ms to read a card', () => {
  let simulated: SimulatedTerminal;
  let terminal: EcrTerminalDriver;

  before(async () => {
    simulated = await startMockTerminal('mock:/dev/ttyCARDREAD', 115200, {
      ...{ tid: 'T0000001', mid: '898310048160001', merchantName: 'SIM SHOP', language: 'en', currency: 'CNY' },
      ...{ host: { host: '127.0.0.1', port: 9 }, responseTimeoutMs: 500, cardReadMs: 300 },
    });
    terminal = new EcrTerminalDriver('T0000001', new EcrLink(simulated.port, { name: 'harness' }));
    await terminal.connect();
  });

  after(async () => {
    await terminal.close();
    await simulated.stop();
  });

  it('refuses a PIN typed while it reads the card, naming what it is doing, and no second card', async () => {
    const from = terminal.history.mark();
    await terminal.startSale(parseMoney('1.00 CNY'));
    await terminal.presentCard(CARD);
    await assert.rejects(terminal.pressKeys(['1', '2', '3', '4', 'ENTER']), (error: Error) => {
      assert.ok(error instanceof TerminalRefusal, String(error));
      assert.equal(error.code, 'wrong-state');
      assert.match(error.message, /reading the card, not asking for the PIN/);
      return true;
    });
    await assert.rejects(terminal.presentCard(CARD), /busy: input\.card refused: the terminal is reading a card/);
    const states = terminal.history.events(from).filter((r) => r.message.type === 'state');
    assert.deepEqual(
      states.map((r) => r.message.type === 'state' && r.message.state),
      ['card'],
      'still in "card": no PIN prompt yet',
    );
    await terminal.reset();
  });

  it('asks for the PIN once the card is read; the cardholder types it then, and it is taken', async () => {
    const from = terminal.history.mark();
    await terminal.startSale(parseMoney('1.00 CNY'));
    await terminal.presentCard(CARD);
    const window: Window = { from, timeoutMs: 5000 };
    await cardholderTurn(terminal, 'pin', window, () => terminal.pressKeys(['1', '2', '3', '4', 'ENTER']));
    const records = terminal.history.all(from);
    const prompt = records.findIndex((r) => r.message.type === 'state' && r.message.state === 'pin');
    const keys = records.findIndex((r) => r.message.type === 'input.keys');
    assert.ok(prompt >= 0 && keys > prompt, 'the keys went in after the PIN prompt');
    await terminal.history.waitFor(
      'the terminal to go online with the PIN',
      (r) => r.message.type === 'state' && r.message.state === 'online',
      { from, timeoutMs: 5000 },
    );
    await terminal.reset();
  });
});
