// `posrig sim terminal` as its own process on a socat PTY pair: starts, answers over the real serial port, stops on SIGTERM.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EcrLink, type EcrMessage, type TerminalEvent } from '../../protocols/ecr/index.ts';
import { startChild } from '../../rigs/process/childProcess.ts';
import { type PtyPair, startPtyPair } from '../../rigs/serial/ptyPair.ts';
import { closeSerialPort, openSerialPort } from '../../rigs/serial/serialPort.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'cli', 'main.ts');

function simulatorProcess(...args: string[]) {
  return startChild({
    what: 'posrig sim terminal',
    command: process.execPath,
    args: ['--import', 'tsx', CLI, 'sim', 'terminal', ...args],
    readyText: 'posrig sim terminal: listening',
    cwd: ROOT,
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The harness end on this serial port: a link recording every event; `seen` resolves at the first of this type. */
async function harnessLink(portPath: string, type: TerminalEvent['type']) {
  const port = await openSerialPort({ path: portPath, baudRate: 115200 });
  const link = new EcrLink(port, { name: 'test harness' });
  const events: TerminalEvent[] = [];
  const seen = new Promise<void>((resolve) =>
    link.on('message', (m: EcrMessage) => {
      events.push(m as TerminalEvent);
      if (m.type === type) resolve();
    }),
  );
  return { port, link, events, seen };
}

describe('posrig sim terminal (process on a PTY)', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'posrig-terminal-cli-'));
  let pair: PtyPair;

  before(async () => {
    pair = await startPtyPair(folder, 'pos');
  });
  after(async () => {
    await pair.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('listens on the port, answers hello and a sale, and exits 0 on SIGTERM', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const sim = await simulatorProcess(
      ...['--port', pair.devicePath, '--host', host, '--tid', 'CLI00001', '--language', 'en'],
      ...['--response-timeout-ms', '300'],
    );
    try {
      assert.match(sim.log(), new RegExp(`posrig sim terminal: listening on ${pair.devicePath}`));
      const { port, link, events, seen: resultSeen } = await harnessLink(pair.hostPath, 'result');
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
      await closeSerialPort(port);
    } finally {
      assert.equal(await sim.stop(), 0, sim.log());
    }
  });

  it('refuses a bad option with a message naming it and exit code 2', async () => {
    await assert.rejects(
      simulatorProcess('--port', pair.devicePath, '--host', '127.0.0.1:5000', '--language', 'fr'),
      /exited \(code 2\)[\s\S]*posrig: --language: expected zh-CN or en, got "fr"/,
    );
  });

  it('refuses an unknown --defect naming the allowed ones, exit code 2', async () => {
    await assert.rejects(
      simulatorProcess('--port', pair.devicePath, '--host', '127.0.0.1:5000', '--defect', 'flaky-wifi'),
      /exited \(code 2\)[\s\S]*posrig: --defect: unknown defect "flaky-wifi"; allowed: no-reversal-on-timeout, /,
    );
  });

  it('boots at start: unsolicited info and state idle, then a sign-on 0800 to the host', async () => {
    const acquirer = net.createServer();
    const signOn = new Promise<string>((resolve) =>
      acquirer.on('connection', (socket) => {
        socket.on('error', () => {});
        socket.once('data', (chunk: Buffer) => resolve(chunk.subarray(2, 6).toString('ascii')));
      }),
    );
    await new Promise<void>((resolve) => acquirer.listen(0, '127.0.0.1', resolve));
    const { port: acquirerPort } = acquirer.address() as net.AddressInfo;
    const { port, link, events, seen: idle } = await harnessLink(pair.hostPath, 'state');
    const state = path.join(folder, 'state');
    const sim = await simulatorProcess(
      ...['--port', pair.devicePath, '--host', `127.0.0.1:${acquirerPort}`, '--state-dir', state],
      ...['--response-timeout-ms', '200'],
    );
    try {
      await idle;
      assert.deepEqual(
        events.map((e) => e.type),
        ['info', 'state'],
      );
      assert.equal(await signOn, '0800');
    } finally {
      assert.equal(await sim.stop(), 0, sim.log());
      link.close();
      await closeSerialPort(port);
      await new Promise<void>((resolve) => acquirer.close(() => resolve()));
    }
  });
});
