// power.kind command: real `sh` commands in the rig file's folder switch a "relay" (a file), report its state by exit
// code, and fail as a rig fault that names the command, its exit code and its last stderr line.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BootWatchedPower } from '../../rigs/power/bootWatch.ts';
import { CommandPower, type CommandPowerSettings, commandEnvironment } from '../../rigs/power/commandPower.ts';
import { EventHistory, TerminalTimeoutError } from '../../rigs/terminal/eventHistory.ts';
import type { TerminalDriver } from '../../rigs/terminal/terminalDriver.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';

/** A relay whose state is the file "relay" in a fresh folder: present = powered. */
function fileRelay(overrides: Partial<CommandPowerSettings> = {}): { relay: CommandPower; folder: string } {
  const folder = realpathSync(mkdtempSync(path.join(tmpdir(), 'posrig-power-')));
  const relay = new CommandPower({
    on: 'echo "$POSRIG_RIG $POSRIG_TERMINAL $(pwd)" > relay',
    off: 'rm -f relay',
    status: 'test -e relay',
    cwd: folder,
    rig: 'lab-07',
    terminal: 'LAB00007',
    ...overrides,
  });
  return { relay, folder };
}

/** Whether a process runs (a zombie, killed and not yet reaped by init, does not). Linux. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('CommandPower', () => {
  it('runs on and off in the rig folder with POSRIG_RIG and POSRIG_TERMINAL set; status follows', async () => {
    const { relay, folder } = fileRelay();
    assert.equal(await relay.status(), 'off');
    await relay.on();
    assert.equal(readFileSync(path.join(folder, 'relay'), 'utf8'), `lab-07 LAB00007 ${folder}\n`);
    assert.equal(await relay.status(), 'on');
    await relay.off();
    assert.equal(existsSync(path.join(folder, 'relay')), false);
    assert.equal(await relay.status(), 'off');
  });

  it('has no state to tell without a status command', async () => {
    const { relay } = fileRelay({ status: undefined });
    assert.equal(relay.hasStatus, false);
    assert.equal(await relay.status(), undefined);
  });

  it('a failing command is a rig fault naming the command, the exit code and the last stderr line', async () => {
    const { relay, folder } = fileRelay({
      off: 'echo "relay board 1: found" >&2; echo "relay 7: no such port" >&2; exit 3',
    });
    await assert.rejects(relay.off(), (error: unknown) => {
      assert.ok(error instanceof RigFault);
      assert.equal(
        error.message,
        `power.off command "echo \\"relay board 1: found\\" >&2; echo \\"relay 7: no such port\\" >&2; exit 3" (in ${folder}) exited with code 3: relay 7: no such port`,
      );
      return true;
    });
  });

  it('a status exit code other than 0 or 1 is a rig fault that says what the codes mean', async () => {
    const { relay, folder } = fileRelay({ status: 'echo "PDU unreachable" >&2; exit 2' });
    await assert.rejects(relay.status(), (error: unknown) => {
      assert.ok(error instanceof RigFault);
      assert.equal(
        error.message,
        `power.status command "echo \\"PDU unreachable\\" >&2; exit 2" (in ${folder}) exited with code 2 (a status command exits 0 when powered, 1 when not): PDU unreachable`,
      );
      return true;
    });
  });

  it('a command that does not finish in time is killed with what it started, and is a rig fault', async () => {
    const { relay, folder } = fileRelay({
      on: 'echo "waiting for relay" >&2; sleep 30 & echo $! > child; wait',
      timeoutMs: 300,
    });
    await assert.rejects(relay.on(), (error: unknown) => {
      assert.ok(error instanceof RigFault);
      assert.match(
        error.message,
        /^power\.on command ".*" \(in .*\): did not finish within 300 ms \(killed\): waiting for relay$/,
      );
      return true;
    });
    // The sleep it started is gone too: the whole process group was killed.
    const child = Number(readFileSync(path.join(folder, 'child'), 'utf8'));
    assert.equal(running(child), false);
  });

  it('returns once the command exits, even when it leaves a process running that holds its output', async () => {
    const { relay, folder } = fileRelay({ on: 'sleep 30 & echo $! > child; echo started' });
    await relay.on();
    const child = Number(readFileSync(path.join(folder, 'child'), 'utf8'));
    assert.equal(running(child), true);
    process.kill(child, 'SIGKILL');
  });
});

describe('a command relay on the bench', () => {
  it("runs its commands with the user's NODE_OPTIONS, not the TypeScript loader posrig run adds for itself", () => {
    const env = {
      NODE_OPTIONS: '--max-old-space-size=512 --import tsx',
      POSRIG_USER_NODE_OPTIONS: '--max-old-space-size=512',
    };
    assert.equal(commandEnvironment(env).NODE_OPTIONS, '--max-old-space-size=512');
    assert.equal(commandEnvironment(env).POSRIG_USER_NODE_OPTIONS, undefined);
    assert.equal(
      'NODE_OPTIONS' in commandEnvironment({ NODE_OPTIONS: '--import tsx', POSRIG_USER_NODE_OPTIONS: '' }),
      false,
    );
    assert.equal(
      commandEnvironment({ NODE_OPTIONS: '--inspect' }).NODE_OPTIONS,
      '--inspect',
      'outside posrig run: as is',
    );
  });

  it('a terminal that does not boot is a rig fault when the relay says it never got power, else the wait fails', async () => {
    const terminal = { history: new EventHistory(), powerLost: () => {} } as unknown as TerminalDriver;
    const dead = fileRelay({ on: 'true' }).relay; // "switched on", but the relay stays off
    await assert.rejects(new BootWatchedPower(dead, terminal, 50).on(), (error: unknown) => {
      assert.ok(error instanceof RigFault, String(error));
      assert.match(error.message, /the power relay reports the terminal still off after switching it on/);
      return true;
    });
    const live = fileRelay().relay; // powered, yet nothing boots: the firmware's to answer for
    await assert.rejects(new BootWatchedPower(live, terminal, 50).on(), TerminalTimeoutError);
  });
});
