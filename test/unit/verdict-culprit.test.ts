import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LinkError } from '../../protocols/ecr/index.ts';
import { loadCardBook, UnknownCardError } from '../../rigs/file/cardBook.ts';
import { TerminalTimeoutError } from '../../rigs/terminal/eventHistory.ts';
import { TerminalRefusal } from '../../rigs/terminal/terminalRefusal.ts';
import { closestWords, editDistance } from '../../rigs/verdict/closest.ts';
import {
  culpritIn,
  culpritOf,
  FirmwareDefect,
  knownCulprit,
  RigFault,
  ScenarioError,
  verdictMessage,
} from '../../rigs/verdict/culprit.ts';

describe('culprits', () => {
  it('names the culprit of each kind of failure', () => {
    assert.equal(culpritOf(new FirmwareDefect('x')), 'firmware defect');
    assert.equal(culpritOf(new RigFault('x')), 'rig fault');
    assert.equal(culpritOf(new ScenarioError('x')), 'scenario error');
    assert.equal(culpritOf(new TerminalTimeoutError('waited 8000 ms')), 'firmware defect');
    assert.equal(culpritOf(new assert.AssertionError({ message: 'debited 0.00 CNY' })), 'firmware defect');
    assert.equal(culpritOf(new LinkError('no-ack', 'not ACKed after 4 transmissions')), 'rig fault');
    assert.equal(culpritOf(new UnknownCardError('unknown card "alcie"')), 'scenario error');
  });

  it("blames the rig (posrig's side) for an error of a kind it does not know, and says it does not know it", () => {
    assert.equal(culpritOf(new TypeError('x is undefined')), 'rig fault');
    assert.equal(knownCulprit(new TypeError('x is undefined')), undefined);
    assert.equal(culpritOf('a string'), 'rig fault');
  });

  it('puts the culprit first in the message, once', () => {
    assert.equal(verdictMessage(new RigFault('the port closed')), 'rig fault: the port closed');
    assert.equal(verdictMessage(new FirmwareDefect('rig fault: quoted')), 'rig fault: quoted');
    assert.equal(culpritIn('scenario error: unknown card'), 'scenario error');
    assert.equal(culpritIn('AssertionError: scenario error: x'), undefined);
  });

  it('blames a refusal on the scenario when the command is not possible now, on the firmware when it is valid', () => {
    const wrongState = new TerminalRefusal('input.keys', 'wrong-state', 'no PIN prompt');
    assert.equal(wrongState.culprit, 'scenario error');
    assert.equal(
      verdictMessage(wrongState),
      'scenario error: the terminal refused "input.keys": wrong-state: no PIN prompt',
    );
    assert.equal(new TerminalRefusal('sale', 'currency', 'USD').culprit, 'scenario error');
    const badMessage = new TerminalRefusal('sale', 'bad-message', 'sale.amount');
    assert.equal(badMessage.culprit, 'firmware defect');
    assert.match(badMessage.message, /posrig sent a valid command/);
  });
});

describe('did you mean', () => {
  it('names the closest known word for a slip of typing, and nothing for a word unlike any', () => {
    assert.deepEqual(closestWords('alcie', ['alice', 'bob', 'carol']), ['alice']);
    assert.deepEqual(closestWords('Bob', ['alice', 'bob']), ['bob']);
    assert.deepEqual(closestWords('mallory', ['alice', 'bob', 'carol']), []);
    assert.equal(editDistance('场影', '场景'), 1);
    assert.equal(editDistance('abcd', 'abdc'), 1, 'two neighbours swapped are one slip');
  });

  it('an unknown card alias names the closest alias and the fixture', () => {
    const cards = loadCardBook('fixtures/cards.yaml');
    assert.throws(
      () => cards.get('alcie'),
      (error: Error) => {
        assert.equal(culpritOf(error), 'scenario error');
        assert.match(
          error.message,
          /^unknown card "alcie"; did you mean "alice"\? \(fixtures\/cards\.yaml has: alice, bob/,
        );
        return true;
      },
    );
  });
});
