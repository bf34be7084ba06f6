// The harness paces itself to the terminal: a card goes in when the terminal asks for one (`state` `card`), the PIN
// when the PIN prompt is up (`state` `pin`); a terminal that reports no state is not waited for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EcrMessage } from '../../protocols/ecr/index.ts';
import { EventHistory } from '../../rigs/terminal/eventHistory.ts';
import { cardholderTurn, pace, type Window } from '../../rigs/terminal/expectations.ts';
import type { TerminalDriver } from '../../rigs/terminal/terminalDriver.ts';
import { TerminalRefusal } from '../../rigs/terminal/terminalRefusal.ts';
import { transactionEnding } from '../../rigs/terminal/transactionEnd.ts';
import { FirmwareDefect, ScenarioError } from '../../rigs/verdict/culprit.ts';

describe('pace: when a cardholder input goes in', () => {
  it('at once when the terminal reported no state in the transaction', () => {
    assert.equal(pace('pin', [], []), 'go');
    assert.equal(pace('card', [], []), 'go');
  });

  it('at once when the last state since the last input is the prompt', () => {
    assert.equal(pace('card', ['idle', 'card'], ['card']), 'go');
    // a wrong PIN: the terminal went online, then asked again
    assert.equal(pace('pin', ['card', 'pin', 'online', 'pin'], ['online', 'pin']), 'go');
  });

  it('waits while the terminal reads the card, talks to the host, or asked before the last input', () => {
    assert.equal(pace('pin', ['card'], []), 'wait', 'still reading the card: no state since it was presented');
    assert.equal(pace('pin', ['card', 'pin', 'online'], ['online']), 'wait', 'busy with the host');
    assert.equal(pace('pin', ['card', 'pin'], []), 'wait', 'the pin prompt came before the last input');
  });

  it("at once when the terminal asks the cardholder for something else: its refusal is the scenario's", () => {
    assert.equal(pace('pin', ['card'], ['card']), 'go', 'a PIN typed while the terminal asks for a card');
    assert.equal(pace('card', ['card', 'pin'], ['pin']), 'go', 'a card presented while it asks for the PIN');
  });
});

let ids = 0;
const id = () => `m${++ids}`;
const state = (value: string): EcrMessage => ({ type: 'state', id: id(), state: value });
const command = (type: 'sale' | 'input.card'): EcrMessage =>
  type === 'sale'
    ? { type: 'sale', id: 'sale-1', amount: 10000, currency: 'CNY' }
    : { type: 'input.card', id: id(), method: 'swipe', pan: '6228480402564890018', expiry: '3012' };

/** A terminal whose history the test writes; only what cardholderTurn reads. */
function terminal(history = new EventHistory()): TerminalDriver {
  return { id: 'T0000001', history, currentTransaction: 'sale-1' } as unknown as TerminalDriver;
}

function windowOf(t: TerminalDriver, timeoutMs = 5000): Window {
  return { from: 0, timeoutMs, endsWhen: transactionEnding(t) };
}

describe('cardholderTurn', () => {
  it('types the PIN only once the terminal has read the card and asks for it', async () => {
    const t = terminal();
    t.history.add('out', command('sale'));
    t.history.add('in', state('card'));
    t.history.add('out', command('input.card'));
    const typedAt: number[] = [];
    const turn = cardholderTurn(t, 'pin', windowOf(t), async () => {
      typedAt.push(t.history.mark());
    });
    await Promise.resolve();
    assert.deepEqual(typedAt, [], 'not typed while the terminal is still in state "card"');
    t.history.add('in', state('pin'));
    const promptAt = t.history.mark();
    await turn;
    assert.deepEqual(typedAt, [promptAt], 'typed right after the PIN prompt');
  });

  it('does not wait for a terminal that reports no states', async () => {
    const t = terminal();
    t.history.add('out', command('sale'));
    t.history.add('out', command('input.card'));
    let typed = false;
    await cardholderTurn(t, 'pin', windowOf(t), async () => {
      typed = true;
    });
    assert.equal(typed, true);
  });

  it('a terminal that never asks and then refuses the input is the firmware defect, naming the state it stayed in', async () => {
    const t = terminal();
    t.history.add('out', command('sale'));
    t.history.add('in', state('card'));
    t.history.add('out', command('input.card'));
    const refused = cardholderTurn(t, 'pin', windowOf(t, 20), async () => {
      throw new TerminalRefusal(
        'input.keys',
        'wrong-state',
        'the terminal is reading the card, not asking for the PIN',
      );
    });
    await assert.rejects(refused, (error: unknown) => {
      assert.ok(error instanceof FirmwareDefect, String(error));
      assert.match(error.message, /stayed in state "card" for \d+\.\d s without asking for the PIN \(state "pin"\)/);
      assert.match(error.message, /wrong-state/);
      return true;
    });
  });

  it('a terminal that never asks but takes the input is not failed for it', async () => {
    const t = terminal();
    t.history.add('out', command('sale'));
    t.history.add('in', state('card'));
    t.history.add('out', command('input.card'));
    let typed = false;
    await cardholderTurn(t, 'pin', windowOf(t, 20), async () => {
      typed = true;
    });
    assert.equal(typed, true);
  });

  it("once the transaction has ended, the terminal's refusal stays the scenario's", async () => {
    const t = terminal();
    t.history.add('out', command('sale'));
    t.history.add('in', state('card'));
    t.history.add('out', command('input.card'));
    t.history.add('in', state('online'));
    const wait = cardholderTurn(t, 'pin', windowOf(t), async () => {
      throw new TerminalRefusal('input.keys', 'wrong-state', 'the terminal is idle, not asking for the PIN');
    });
    t.history.add('in', {
      type: 'result',
      id: id(),
      command: 'sale',
      ref: 'sale-1',
      outcome: 'declined',
      amount: 10000,
      currency: 'CNY',
    } as EcrMessage);
    await assert.rejects(wait, (error: unknown) => {
      assert.ok(error instanceof TerminalRefusal, String(error));
      assert.equal(error.culprit, 'scenario error');
      return true;
    });
  });

  it('waits on the history only: an error the history was failed with reaches the step', async () => {
    const t = terminal();
    t.history.add('out', command('sale'));
    t.history.add('in', state('idle'));
    const wait = cardholderTurn(t, 'card', windowOf(t), async () => {});
    t.history.fail(new ScenarioError('the rig broke'));
    await assert.rejects(wait, /the rig broke/);
  });
});
