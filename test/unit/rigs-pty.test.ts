// Child processes and socat PTY pairs: a failed start quotes the child's own error; PTY names stay plain.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ChildStartError, startChild, stderrTail } from '../../rigs/process/childProcess.ts';
import { ptyNameProblem, startPtyPair } from '../../rigs/serial/ptyPair.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-pty-'));

describe('startChild', () => {
  it('quotes stderr written after the exit (stderr still open): waits for it to end', async () => {
    // The child exits at once; a grandchild holding its stderr writes the reason 200 ms later.
    const script = '(sleep 0.2; echo "E late: the real reason" >&2) & exit 3';
    await assert.rejects(
      startChild({ what: 'the late writer', command: 'sh', args: ['-c', script], readyText: 'never', timeoutMs: 5000 }),
      (error: unknown) => {
        assert.ok(error instanceof ChildStartError);
        assert.equal(error.message, 'the late writer did not start: it exited (code 3)\nE late: the real reason');
        return true;
      },
    );
  });

  it('quotes the tail of a long stderr, ending with the last line', async () => {
    const script = "process.stderr.write('noise\\n'.repeat(50000) + 'E the last word\\n'); process.exitCode = 1";
    await assert.rejects(
      startChild({ what: 'node', command: process.execPath, args: ['-e', script], readyText: 'never' }),
      (error: unknown) => {
        assert.ok(error instanceof ChildStartError);
        const lines = error.message.split('\n');
        assert.equal(lines[0], 'node did not start: it exited (code 1)');
        assert.equal(lines[1], '…');
        assert.equal(lines.at(-1), 'E the last word');
        assert.equal(lines.length, 2 + 20);
        return true;
      },
    );
  });

  it('names a command that is not installed, with the hint', async () => {
    await assert.rejects(
      startChild({ what: 'x', command: 'posrig-no-such-command', args: [], readyText: 'r', missingHint: 'apt-get x' }),
      /^ChildStartError: x did not start: posrig-no-such-command is not installed \(apt-get x\)$/,
    );
  });
});

describe('stderrTail', () => {
  it('keeps short logs whole and cuts long ones to their last lines or characters', () => {
    assert.equal(stderrTail(''), '');
    assert.equal(stderrTail('a\nb\n'), 'a\nb');
    assert.equal(stderrTail(Array.from({ length: 25 }, (_, i) => `l${i}`).join('\n')).split('\n')[1], 'l5');
    const long = stderrTail(`start ${'x'.repeat(10_000)}`);
    assert.ok(long.startsWith('…\n') && long.length === 2 + 4000);
  });
});

describe('PTY pairs', () => {
  it('refuses a name that is not a plain file name, before starting socat', async () => {
    assert.equal(ptyNameProblem('ttyPOS0'), undefined);
    for (const name of ['../x', 'a,b', 'a:b', 'a!!b', '.x', '']) {
      assert.ok(ptyNameProblem(name), name);
      await assert.rejects(startPtyPair(folder, name), /a PTY link name is a plain file name/);
    }
    assert.equal(existsSync(path.join(folder, '..', 'x.host')), false);
  });

  it("quotes socat's own error when it exits at start", async () => {
    const where = mkdtempSync(path.join(folder, 'blocked-'));
    mkdirSync(path.join(where, 'ttyB.host')); // socat cannot replace a folder with its link
    await assert.rejects(startPtyPair(where, 'ttyB'), (error: unknown) => {
      assert.ok(error instanceof ChildStartError);
      assert.match(error.message, /^the socat PTY pair did not start: it exited \(code 1\)\n/);
      assert.match(error.message, /E unlink\("[^"]*ttyB\.host"\): Is a directory/);
      return true;
    });
  });

  it('works in a folder whose path has socat separators in it (only the bare names reach socat)', async () => {
    const odd = path.join(folder, 'lab,07:bench!x');
    const pair = await startPtyPair(odd, 'ttyPOS0');
    try {
      assert.equal(pair.hostPath, path.join(odd, 'ttyPOS0.host'));
      assert.ok(lstatSync(pair.hostPath).isSymbolicLink() && lstatSync(pair.devicePath).isSymbolicLink());
    } finally {
      await pair.stop();
    }
  });
});
