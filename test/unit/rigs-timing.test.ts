import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRigFile } from '../../rigs/file/rigFile.ts';
import { rigTiming } from '../../rigs/timing.ts';
import { problemsOf, rigText, writeRig } from '../support/rigText.ts';

describe('the rig timing model', () => {
  it('derives every wait of the simulated rig from its terminal timings', () => {
    const rig = loadRigFile('rigs/sim-serial.yaml');
    const timing = rigTiming(rig);
    assert.equal(timing.responseTimeoutMs, rig.terminal.timing?.responseTimeoutMs);
    assert.equal(timing.reversalRetryMs, timing.responseTimeoutMs);
    // a Then-step sees a whole online phase on the primary and the backup host, plus the link
    assert.ok(timing.eventMs > 2 * (timing.connectTimeoutMs + timing.responseTimeoutMs));
    // a reversal: a first attempt and two retries
    assert.ok(timing.reversalMs > 3 * timing.responseTimeoutMs + 2 * timing.reversalRetryMs);
  });

  it("gives every step more time than the waits inside it, so the wait's quote is what fails", () => {
    const timing = rigTiming(loadRigFile('rigs/sim-pty.yaml'));
    assert.ok(timing.stepMs > timing.eventMs + timing.reversalMs, 'a balance step: the transaction, then its reversal');
    assert.ok(timing.stepMs > timing.eventMs + timing.bootMs, '"the power comes back": the host answer, then the boot');
  });

  it('scales with a slower terminal', () => {
    const rig = loadRigFile('rigs/sim-serial.yaml');
    const slow = {
      ...rig,
      terminal: { ...rig.terminal, timing: { ...rig.terminal.timing, responseTimeoutMs: 30_000 } },
    };
    assert.ok(rigTiming(slow).eventMs > 60_000);
    assert.ok(rigTiming(slow).reversalMs > rigTiming(rig).reversalMs);
  });

  it("takes a real terminal's timings from terminal.timing, and a simulated terminal's from the same key", () => {
    const lab = rigTiming(loadRigFile('rigs/lab.example.yaml'));
    assert.equal(lab.responseTimeoutMs, 1500);
    assert.equal(lab.bootMs, 15_000);
    assert.equal(lab.eventMs, rigTiming(loadRigFile('rigs/sim-serial.yaml')).eventMs);
    const bare = loadRigFile('rigs/lab.example.yaml');
    const undeclared = rigTiming({ ...bare, terminal: { ...bare.terminal, timing: undefined } });
    assert.equal(undeclared.responseTimeoutMs, 30_000, 'a typical acquirer timeout when the rig declares none');
    const simulated = loadRigFile(
      writeRig(
        rigText().replace('  simulate: {}', '  simulate: {}\n  timing: { responseTimeoutMs: 5000, bootMs: 3000 }'),
      ),
    );
    assert.deepEqual([rigTiming(simulated).responseTimeoutMs, rigTiming(simulated).bootMs], [5000, 3000]);
    const bareSimulated = loadRigFile(writeRig(rigText()));
    assert.equal(rigTiming(bareSimulated).responseTimeoutMs, 1500, "the simulated terminal's own default");
    const problems = problemsOf(rigText().replace('  simulate: {}', '  simulate: { reversalRetryMs: 900 }'));
    assert.deepEqual(problems, [
      'RIG:5: terminal.simulate.reversalRetryMs: moved to terminal.timing.reversalRetryMs (the same key for a simulated and a real terminal)',
    ]);
  });
});
