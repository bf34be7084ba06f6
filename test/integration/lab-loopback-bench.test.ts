// The lab-loopback bench (rigs/lab-loopback/): a terminal process on a socat PTY, switched by a `command` power relay
// (terminal.sh). The harness keeps its end of the PTY open through a power cut and a restart of the terminal process,
// and talks to the new process on the same open port: the cable survives a power cycle.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EcrLink } from '../../protocols/ecr/index.ts';
import { BootWatchedPower } from '../../rigs/power/bootWatch.ts';
import { CommandPower } from '../../rigs/power/commandPower.ts';
import { closeSerialPort, openSerialPort } from '../../rigs/serial/serialPort.ts';
import { EcrTerminalDriver } from '../../rigs/terminal/ecrTerminalDriver.ts';
import { writeBenchEnv } from '../support/labBench.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BENCH = path.join(ROOT, 'rigs/lab-loopback/bench.sh');
const TID = 'LOOPTEST';

// A bench of its own (folder and acquirer port), apart from the one rigs/lab-loopback.yaml uses. The terminal dials a
// host that refuses: this test is about the serial link and the power, not payments.
const folder = mkdtempSync(path.join(tmpdir(), 'posrig-lab-bench-'));
const envFile = writeBenchEnv(folder, {
  tid: TID,
  merchantName: 'POSRIG TEST',
  hostListen: '127.0.0.1:0',
  cards: path.join(ROOT, 'fixtures/cards.yaml'),
});
// bench.sh, and terminal.sh run by the power relay (it inherits posrig's environment), read this bench's settings.
process.env.POSRIG_LAB_ENV = envFile;
const env = process.env;

function pidOf(part: string): number {
  return Number(readFileSync(path.join(folder, `${part}.pid`), 'utf8'));
}

function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('lab-loopback bench', () => {
  let terminal: EcrTerminalDriver;
  let port: Awaited<ReturnType<typeof openSerialPort>>;

  before(async () => {
    await run(BENCH, ['start'], { env, timeout: 120_000 });
    port = await openSerialPort({ path: path.join(folder, 'ttyPOS.harness'), baudRate: 115200 });
    terminal = new EcrTerminalDriver(TID, new EcrLink(port, { name: 'harness:test' }), { answerTimeoutMs: 10_000 });
    port.on('close', () => terminal.history.fail(new Error('the harness port closed')));
  });

  after(async () => {
    await terminal?.close();
    if (port) await closeSerialPort(port);
    await run(BENCH, ['stop'], { env, timeout: 60_000 });
  });

  it('a power cycle through terminal.sh keeps the PTY: the restarted terminal boots and answers on the open port', async () => {
    const before = await terminal.connect();
    assert.equal(before.tid, TID);
    const socat = pidOf('socat');
    const first = pidOf('terminal');
    const relay = new CommandPower({
      on: './lab-loopback/terminal.sh on',
      off: './lab-loopback/terminal.sh off',
      status: './lab-loopback/terminal.sh status',
      timeoutMs: 60_000,
      cwd: path.join(ROOT, 'rigs'),
      rig: 'lab-loopback-test',
      terminal: TID,
    });
    const power = new BootWatchedPower(relay, terminal, 60_000);
    assert.equal(await relay.status(), 'on');
    await power.off();
    assert.equal(await relay.status(), 'off');
    assert.equal(running(first), false, 'off is a power cut: the terminal process is gone');
    await power.on(); // resolves on the new process's unsolicited boot `info`, read on the port opened before the cut
    assert.equal(await relay.status(), 'on');
    assert.notEqual(pidOf('terminal'), first);
    assert.equal(running(socat), true, 'socat, the cable, outlived the power cut');
    const after = await terminal.connect(); // hello → info: the new process answers on the same open port
    assert.equal(after.tid, TID);
  });

  it('bench.sh stop ends every part it started', async () => {
    const pids = ['socat', 'holder', 'host', 'terminal'].map(pidOf);
    await run(BENCH, ['stop'], { env, timeout: 60_000 });
    for (const pid of pids) assert.equal(running(pid), false, `pid ${pid} still runs`);
    await assert.rejects(run(BENCH, ['status'], { env }), { code: 1 });
  });
});
