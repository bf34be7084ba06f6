// power.kind manual: posrig asks the operator to switch and waits for Enter; with nobody to ask it fails at start.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { ManualPower, NO_OPERATOR, openManualPower } from '../../rigs/power/manualPower.ts';
import { startPtyPair } from '../../rigs/serial/ptyPair.ts';
import { closeSerialPort, openSerialPort } from '../../rigs/serial/serialPort.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';

/** Resolves with everything written to `output` once it contains `text`. */
function written(output: PassThrough, text: string): Promise<string> {
  let all = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      all += chunk.toString();
      if (!all.includes(text)) return;
      output.off('data', onData);
      resolve(all);
    };
    output.on('data', onData);
  });
}

/** Whether a promise has settled by the time the queued I/O callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('ManualPower', () => {
  it('asks to switch OFF, then ON, and resolves only on Enter', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const power = new ManualPower({ input, output });
    const asked = written(output, 'press Enter');
    const off = power.off();
    assert.match(await asked, /switch the terminal's power OFF now, then press Enter\n$/);
    assert.equal(await settled(off), false, 'off() must wait for the operator');
    input.write('\n');
    await off;
    const askedOn = written(output, 'ON now');
    const on = power.on();
    assert.match(await askedOn, /switch the terminal's power ON now, then press Enter\n$/);
    input.write('\r\n');
    await on;
    power.close();
  });

  it('names the terminal to switch; a line typed before the request does not answer it', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const power = new ManualPower({ input, output, terminal: 'LAB00007' });
    input.write('early\n');
    await new Promise((resolve) => setImmediate(resolve));
    const asked = written(output, 'press Enter');
    const off = power.off();
    assert.match(await asked, /switch the terminal LAB00007's power OFF now, then press Enter/);
    assert.equal(await settled(off), false, 'the early line must not count as Enter');
    input.write('\n');
    await off;
    power.close();
  });

  it('is a rig fault when the operator input closes before Enter', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const power = new ManualPower({ input, output });
    const off = power.off();
    input.end();
    await assert.rejects(off, (error: unknown) => {
      assert.ok(error instanceof RigFault);
      assert.equal(error.message, "power.kind manual: the operator's input closed before Enter; the power is not OFF");
      return true;
    });
    await assert.rejects(power.on(), /the operator's input is closed; cannot switch ON/);
  });
});

describe('openManualPower', () => {
  it('fails at start with one line in CI', () => {
    assert.throws(
      () => openManualPower('LAB00007', { CI: 'true' }),
      (error: unknown) => {
        assert.ok(error instanceof RigFault);
        assert.equal(error.message, `${NO_OPERATOR} (CI=true: nobody to press Enter)`);
        assert.equal(error.message.split('\n').length, 1);
        return true;
      },
    );
  });

  it('fails at start with one line when there is no terminal to open, or it is not a terminal', () => {
    const missing = path.join(tmpdir(), 'posrig-no-such-tty');
    assert.throws(() => openManualPower('T', {}, missing), {
      name: 'RigFault',
      message: `${NO_OPERATOR} (cannot open ${missing}: ENOENT)`,
    });
    assert.throws(
      () => openManualPower('T', {}, '/dev/null'),
      (error: unknown) => {
        assert.ok(error instanceof RigFault);
        assert.ok(error.message.startsWith(`${NO_OPERATOR} (/dev/null is not a terminal: `), error.message);
        return true;
      },
    );
  });

  it('asks on a real terminal device and reads Enter from it (a PTY stands in for the operator)', async () => {
    const pair = await startPtyPair(mkdtempSync(path.join(tmpdir(), 'posrig-operator-')), 'operator');
    try {
      const power = openManualPower('LAB00007', {}, pair.devicePath);
      const operator = await openSerialPort({ path: pair.hostPath, baudRate: 9600 });
      let seen = '';
      const asked = new Promise<void>((resolve) => {
        operator.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes('press Enter')) resolve();
        });
      });
      const off = power.off();
      await asked;
      assert.match(seen, /switch the terminal LAB00007's power OFF now, then press Enter/);
      operator.write('\n');
      await off;
      power.close();
      await closeSerialPort(operator);
    } finally {
      await pair.stop();
    }
  });
});
