// `posrig sim terminal` as its own process on a socat PTY pair: starts, answers over the real serial port, stops on SIGTERM.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SerialPort } from 'serialport';
import { EcrLink, type EcrMessage, type TerminalEvent } from '../../protocols/ecr/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'cli', 'main.ts');
const WAIT_MS = 15000;

/** Resolves once `text` appears in what the child wrote to stderr; rejects on exit or after WAIT_MS. */
function stderrIncludes(child: ChildProcess, log: () => string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${text}" within ${WAIT_MS} ms:\n${log()}`)), WAIT_MS);
    const check = () => log().includes(text) && done();
    const onExit = (code: number | null) => done(new Error(`exited (${code}) before "${text}":\n${log()}`));
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

function start(command: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  return { child, log: () => log };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('posrig sim terminal (process on a PTY)', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'posrig-terminal-cli-'));
  const hostPath = path.join(folder, 'pos.host');
  const devicePath = path.join(folder, 'pos.device');
  let socat: ReturnType<typeof start>;

  before(async () => {
    socat = start('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`]);
    await stderrIncludes(socat.child, socat.log, 'starting data transfer');
  });
  after(async () => {
    socat.child.kill('SIGTERM');
    await exited(socat.child);
    rmSync(folder, { recursive: true, force: true });
  });

  it('listens on the port, answers hello and a sale, and exits 0 on SIGTERM', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const sim = start(process.execPath, [
      ...['--import', 'tsx', CLI, 'sim', 'terminal', '--port', devicePath, '--host', host],
      ...['--tid', 'CLI00001', '--language', 'en', '--response-timeout-ms', '300'],
    ]);
    try {
      await stderrIncludes(sim.child, sim.log, `posrig sim terminal: listening on ${devicePath}`);
      const port = new SerialPort({ path: hostPath, baudRate: 115200, autoOpen: false });
      await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
      const link = new EcrLink(port, { name: 'test harness' });
      const events: TerminalEvent[] = [];
      const resultSeen = new Promise<void>((resolve) =>
        link.on('message', (m: EcrMessage) => {
          events.push(m as TerminalEvent);
          if (m.type === 'result') resolve();
        }),
      );
      await link.send({ type: 'hello', id: 'c1', protocol: '1' });
      await link.send({ type: 'sale', id: 'c2', amount: 100, currency: 'CNY' });
      await link.send({ type: 'input.card', id: 'c3', method: 'qr', pan: '4111111111111111', expiry: '3012' });
      await resultSeen;
      const info = events.find((e) => e.type === 'info');
      assert.equal(info?.type === 'info' && info.tid, 'CLI00001');
      const result = events.find((e) => e.type === 'result');
      assert.equal(result?.type === 'result' && result.outcome, 'failed', 'nobody listens on the host address');
      assert.ok(events.some((e) => e.type === 'display' && e.lines.includes('HOST UNREACHABLE')));
      link.close();
      await new Promise<void>((resolve) => port.close(() => resolve()));

      sim.child.kill('SIGTERM');
      assert.equal(await exited(sim.child), 0, sim.log());
    } finally {
      sim.child.kill('SIGKILL');
    }
  });

  it('refuses a bad option with a message naming it and exit code 2', async () => {
    const sim = start(process.execPath, [
      ...['--import', 'tsx', CLI, 'sim', 'terminal', '--port', devicePath, '--host', '127.0.0.1:5000'],
      ...['--language', 'fr'],
    ]);
    assert.equal(await exited(sim.child), 2);
    assert.match(sim.log(), /posrig: --language: expected zh-CN or en, got "fr"/);
  });
});
