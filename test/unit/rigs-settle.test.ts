// A transaction is judged when it has ended: settled() waits for its result, the reversals it owes, or the power cut.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EcrMessage } from '../../protocols/ecr/index.ts';
import { loadRigFile } from '../../rigs/file/rigFile.ts';
import { EventHistory } from '../../rigs/terminal/eventHistory.ts';
import type { TerminalDriver } from '../../rigs/terminal/terminalDriver.ts';
import { openTransaction, settled, transactionEnding } from '../../rigs/terminal/transactionEnd.ts';
import { rigTiming } from '../../rigs/timing.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';

const timing = rigTiming(loadRigFile('rigs/sim-serial.yaml'));

/** A driver whose history the test writes: only what settled() reads. */
function terminalWith(current: string | undefined): TerminalDriver {
  return { id: 'T0000001', history: new EventHistory(), currentTransaction: current } as unknown as TerminalDriver;
}

const sale = { type: 'sale', id: 's1', amount: 10000, currency: 'CNY' } as const;
const result = { type: 'result', id: 'e9', command: 'sale', outcome: 'approved', ref: 's1', stan: '000001' } as const;
const state = (value: string) => ({ type: 'state', id: `st-${value}`, state: value }) as const;
const reversal = (status: 'stored' | 'sent' | 'confirmed') =>
  ({ type: 'reversal', id: `r-${status}`, stan: '000001', status }) as const;

function add(terminal: TerminalDriver, dir: 'in' | 'out', message: object): void {
  terminal.history.add(dir, message as EcrMessage);
}

describe('settling a transaction', () => {
  it('waits for the result of the open sale, however late it comes', async () => {
    const terminal = terminalWith('s1');
    add(terminal, 'out', sale);
    add(terminal, 'in', state('online'));
    assert.equal(openTransaction(terminal, 0), 's1');
    let done = false;
    const waiting = settled(terminal, undefined, { from: 0, timing }).then(() => {
      done = true;
    });
    await Promise.resolve();
    assert.equal(done, false, 'still open: no result yet');
    add(terminal, 'in', result);
    await waiting;
    assert.equal(openTransaction(terminal, 0), undefined);
  });

  it('does not wait for a transaction that waits for the cardholder: it cannot end by itself', async () => {
    const terminal = terminalWith('s1');
    add(terminal, 'out', sale);
    add(terminal, 'in', state('pin'));
    await settled(terminal, undefined, { from: 0, timing: { ...timing, eventMs: 60_000 } });
    assert.equal(openTransaction(terminal, 0), 's1');
  });

  it('waits for the reversal the terminal owes to be confirmed', async () => {
    const terminal = terminalWith('s1');
    add(terminal, 'out', sale);
    add(terminal, 'in', { ...result, outcome: 'timeout' });
    add(terminal, 'in', reversal('stored'));
    const waiting = settled(terminal, undefined, { from: 0, timing });
    add(terminal, 'in', reversal('sent'));
    add(terminal, 'in', reversal('confirmed'));
    await waiting;
  });

  it('waits for the confirmation of a 0400 already on the network whose events are still on their way', async () => {
    const terminal = terminalWith('s1');
    add(terminal, 'out', sale);
    add(terminal, 'in', { ...result, outcome: 'failed' }); // the stored/sent/confirmed reports queue behind it
    let done = false;
    const waiting = settled(terminal, undefined, { from: 0, timing, reversalsSent: () => ['000001'] }).then(() => {
      done = true;
    });
    add(terminal, 'in', reversal('stored'));
    add(terminal, 'in', reversal('sent'));
    await Promise.resolve();
    assert.equal(done, false, 'the host has the 0400; the terminal has not reported it confirmed');
    add(terminal, 'in', reversal('confirmed'));
    await waiting;
    assert.equal(done, true);
  });

  it('takes a power cut since the sale as its end, and judges nothing while the power is off', async () => {
    const terminal = terminalWith('s1');
    add(terminal, 'out', sale);
    add(terminal, 'in', state('online'));
    const slow = { ...timing, eventMs: 60_000 };
    await settled(terminal, { isOn: false, lastPowerOn: undefined }, { from: 0, timing: slow });
    await settled(terminal, { isOn: true, lastPowerOn: terminal.history.mark() }, { from: 0, timing: slow });
  });

  it('leaves a transaction still open after the bounded wait to the judge, but lets a rig fault through', async () => {
    const terminal = terminalWith('s1');
    add(terminal, 'out', sale);
    await settled(terminal, undefined, { from: 0, timing: { ...timing, eventMs: 5 } });
    const broken = settled(terminal, undefined, { from: 0, timing: { ...timing, eventMs: 60_000 } });
    terminal.history.fail(new RigFault('the serial port closed'));
    await assert.rejects(broken, RigFault);
  });

  it('a reprint opens no transaction: nothing to wait for', async () => {
    const terminal = terminalWith('p1');
    add(terminal, 'out', { type: 'reprint', id: 'p1' });
    assert.equal(openTransaction(terminal, 0), undefined);
  });
});

describe('a wait inside a transaction', () => {
  it('fails as soon as the transaction ends without what it waits for, quoting the history', async () => {
    const terminal = terminalWith('s1');
    add(terminal, 'out', sale);
    const waiting = terminal.history.waitFor(
      'the display to show "APPROVED"',
      (r) => r.message.type === 'display' && r.message.lines.includes('APPROVED'),
      { timeoutMs: 60_000, endsWhen: transactionEnding(terminal) },
    );
    add(terminal, 'in', { type: 'display', id: 'd1', lines: ['交易成功'] });
    add(terminal, 'in', result);
    await assert.rejects(waiting, (error: Error) => {
      assert.equal(error.name, 'TerminalTimeoutError');
      assert.match(error.message, /the transaction result came without the display to show "APPROVED"/);
      assert.match(error.message, /← display +交易成功/);
      return true;
    });
  });

  it('still finds what came before the result', async () => {
    const terminal = terminalWith('s1');
    add(terminal, 'out', sale);
    add(terminal, 'in', { type: 'display', id: 'd1', lines: ['交易成功'] });
    add(terminal, 'in', result);
    const found = await terminal.history.waitFor(
      'the display to show "交易成功"',
      (r) => r.message.type === 'display',
      { timeoutMs: 10, endsWhen: transactionEnding(terminal) },
    );
    assert.equal(found.message.id, 'd1');
  });

  it('fails every pending and later wait at once with the rig fault, until the history is cleared', async () => {
    const history = new EventHistory();
    const pending = history.waitFor('anything', () => true, { timeoutMs: 60_000 });
    const fault = new RigFault('the simulated terminal process exited (signal SIGKILL)');
    history.fail(fault);
    await assert.rejects(pending, (error) => error === fault);
    await assert.rejects(
      history.waitFor('more', () => true, { timeoutMs: 60_000 }),
      (error) => error === fault,
    );
    history.clear();
    assert.equal(history.failure, undefined);
  });
});
