// A long run (a nightly lab run, the chaos soak, an agent in a lab) keeps what the checks judge and no more: the
// power switchings of the current scenario only (the rig's reset forgets the older ones, which no scenario's
// evidence could include), and the terminal driver's power cuts as one cursor, however many there were.
//   node --import tsx --test test/integration/long-run-bounds.test.ts
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { clock } from '../../protocols/domain/clock.ts';
import type { EcrMessage, MessageLink } from '../../protocols/ecr/index.ts';
import { scenarioEvidence } from '../../rigs/monitor/scenarioBehaviour.ts';
import { type Rig, startRig } from '../../rigs/rig.ts';
import { EcrTerminalDriver } from '../../rigs/terminal/ecrTerminalDriver.ts';

describe('a rig run for many scenarios', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig('rigs/sim-virtual.yaml');
  });
  after(async () => {
    await rig?.stop();
  });

  /** One scenario as the Before hook starts it (its start noted before the reset), with a power cycle in it. */
  async function scenarioWithPowerCycle(): Promise<Date> {
    const started = clock.date();
    await rig.reset();
    const power = rig.power;
    assert.ok(power, 'sim-virtual can switch its terminal');
    await power.off();
    await power.on();
    return started;
  }

  it('keeps the power switchings of the current scenario only, and the monitor still sees all of them', async () => {
    for (let i = 0; i < 20; i++) await scenarioWithPowerCycle();
    const started = await scenarioWithPowerCycle();
    assert.deepEqual(
      rig.power?.switched.map((s) => s.on),
      [false, true],
      'twenty-one scenarios, each cut and restored: only the last one is kept',
    );
    const span = { from: 0, started, faultsFrom: rig.faults?.mark() ?? 0 };
    assert.deepEqual(
      scenarioEvidence(rig, span).power.map((s) => s.on),
      [false, true],
      "the monitor's evidence has the scenario's cut and power-up",
    );
  });

  it("keeps the power-up of a reset that found the power off (it is the next scenario's)", async () => {
    await rig.reset();
    await rig.power?.off();
    const started = clock.date();
    await rig.reset();
    assert.deepEqual(
      rig.power?.switched.map((s) => s.on),
      [true],
    );
    const span = { from: 0, started, faultsFrom: rig.faults?.mark() ?? 0 };
    assert.deepEqual(
      scenarioEvidence(rig, span).power.map((s) => s.on),
      [true],
    );
  });
});

/** A link that delivers every command and answers nothing (the driver's cursors are what is tested). */
class SilentLink extends EventEmitter implements MessageLink {
  async send(_message: EcrMessage): Promise<void> {}
  close(): void {}
}

describe("the terminal driver's power cuts", () => {
  it('tells a cut since any cursor, across history clears and many cuts', () => {
    const terminal = new EcrTerminalDriver('T0000001', new SilentLink());
    const before = terminal.history.mark();
    assert.equal(terminal.powerCutSince(before), false, 'no cut yet');
    for (let i = 0; i < 1000; i++) {
      terminal.history.add('out', { type: 'abort', id: `a${i}` });
      terminal.powerLost();
      if (i % 10 === 0) terminal.history.clear();
    }
    const lastCut = terminal.history.mark();
    assert.equal(terminal.powerCutSince(before), true);
    assert.equal(terminal.powerCutSince(lastCut), true, 'the last cut is at this cursor');
    terminal.history.add('out', { type: 'abort', id: 'after' });
    assert.equal(terminal.powerCutSince(terminal.history.mark()), false, 'nothing cut after it');
    terminal.history.clear();
    assert.equal(terminal.powerCutSince(terminal.history.mark()), false, 'nor after a clear');
  });

  it('a wait that fails because the power went ends without an answer; one that fails otherwise throws', async () => {
    const terminal = new EcrTerminalDriver('T0000001', new SilentLink());
    terminal.powerLost(); // an earlier cut does not excuse a later failure
    await assert.rejects(terminal.unlessPowerCut(Promise.reject(new Error('no answer'))), /no answer/);
    let fail = (_error: Error) => {};
    const work = new Promise<string>((_resolve, reject) => {
      fail = reject;
    });
    const waited = terminal.unlessPowerCut(work);
    terminal.powerLost();
    fail(new Error('no answer'));
    assert.equal(await waited, undefined);
  });
});
