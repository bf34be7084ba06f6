// `posrig agent` as a process of its own: on the host end of a socat PTY pair with `posrig sim terminal` on the device
// end, bridged to the embedded broker. It says when it is ready, passes a leased hello and the info back, and its
// status goes `offline` whether it is killed (the broker's last will) or stopped with SIGTERM (its own word).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { type EventEmitter, once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import type { EcrMessage } from '../../protocols/ecr/index.ts';
import { MqttEcrLink } from '../../protocols/mqtt/mqttEcrLink.ts';
import { controllerTopic, ecrTopics } from '../../protocols/mqtt/topics.ts';
import { connectBroker, endClient, subscribe } from '../../rigs/mqtt/brokerClient.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../rigs/mqtt/embeddedBroker.ts';
import { leaseTerminal } from '../../rigs/mqtt/leaseClient.ts';
import { type StartedChild, startChild } from '../../rigs/process/childProcess.ts';
import { type PtyPair, startPtyPair } from '../../rigs/serial/ptyPair.ts';
import { cliEnvironment } from '../support/cli.ts';

const TID = 'T0000001';
const topics = ecrTopics(TID);
const WAIT_MS = 10_000;
const READY = `posrig agent: ${TID} bridged to `;

let broker: EmbeddedBroker;
let pair: PtyPair;
let simulator: StartedChild;
let controller: MqttClient;
/** Hears the status alone: a link closed on the controller's client unsubscribes the status there. */
let watcher: MqttClient;
const statuses: string[] = [];

/** Starts `posrig agent` on the PTY's host end; resolves once it printed its ready line. */
async function startAgentProcess(): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'cli/main.ts', 'agent', '--port', pair.hostPath, '--terminal', TID, '--broker', broker.url],
    { env: { ...cliEnvironment(), POSRIG_MQTT_PASSWORD: broker.secret }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await until(
    child.stderr as EventEmitter,
    'data',
    () => stderr.includes(READY),
    `"${READY}…"`,
    () => stderr,
  );
  return { child, stderr: () => stderr };
}

/** An MQTT client as the plain event emitter it is underneath (its typed events do not fit EventEmitter's type). */
function emitter(client: MqttClient): EventEmitter {
  return client as unknown as EventEmitter;
}

/** Resolves once `done()` holds after an `event` of `source`; fails naming `what` after WAIT_MS. */
function until(
  source: EventEmitter,
  event: string,
  done: () => boolean,
  what: string,
  log: () => string = () => '',
): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const listener = () => {
      if (!done()) return;
      clearTimeout(timer);
      source.off(event, listener);
      resolve();
    };
    const timer = setTimeout(() => {
      source.off(event, listener);
      reject(new Error(`no ${what} within ${WAIT_MS} ms\n${log()}`));
    }, WAIT_MS);
    source.on(event, listener);
  });
}

before(async () => {
  broker = await startEmbeddedBroker();
  pair = await startPtyPair(mkdtempSync(path.join(tmpdir(), 'posrig-agent-')), 'ttyAgent');
  simulator = await startChild({
    what: 'the simulated terminal process',
    command: process.execPath,
    args: ['--import', 'tsx', 'cli/main.ts', 'sim', 'terminal', '--port', pair.devicePath, '--host', '127.0.0.1:9'],
    readyText: 'posrig sim terminal: listening',
  });
  controller = await connectBroker(
    { url: broker.url, username: 'controller', password: broker.secret },
    {
      clientId: 'ctl-cli',
      what: 'test',
      will: { topic: controllerTopic('ctl-cli'), payload: 'offline', retain: false },
    },
  );
  watcher = await connectBroker(
    { url: broker.url, username: 'controller', password: broker.secret },
    { clientId: 'status-watch', what: 'test' },
  );
  watcher.on('message', (topic, payload) => {
    if (topic === topics.status) statuses.push(payload.toString());
  });
  await subscribe(watcher, [topics.status], 'test');
});

after(async () => {
  await endClient(controller, true);
  await endClient(watcher, true);
  await simulator.stop();
  await pair.stop();
  await broker.close();
});

describe('posrig agent (the command)', () => {
  it('bridges a leased hello to the terminal and its info back; SIGKILLed, its status goes offline', async () => {
    const agent = await startAgentProcess();
    try {
      await until(emitter(watcher), 'message', () => statuses.at(-1) === 'online', 'status online');
      const harness = await MqttEcrLink.open(controller, { terminalId: TID, side: 'harness' });
      const lease = await leaseTerminal({
        client: controller,
        clientId: 'ctl-cli',
        candidates: [TID],
        holder: 'cli',
        timeoutMs: 3000,
      });
      const infos: EcrMessage[] = [];
      harness.on('message', (m) => {
        if (m.type === 'info' && m.ref === 'h-cli-1') infos.push(m);
      });
      await harness.send({ type: 'hello', id: 'h-cli-1', protocol: '1' });
      await until(harness, 'message', () => infos.length > 0, 'info answering the hello', agent.stderr);
      assert.match(agent.stderr(), /posrig agent: T0000001 leased by cli \(client ctl-cli, timeout 3000 ms\)/);
      const lost = new Promise<string>((resolve) => lease.onLost(resolve));
      const exited = once(agent.child, 'exit');
      agent.child.kill('SIGKILL');
      await exited;
      await until(emitter(watcher), 'message', () => statuses.at(-1) === 'offline', 'status offline (the last will)');
      assert.equal(await lost, `the agent of ${TID} went offline`);
      await lease.release();
      harness.close();
    } finally {
      agent.child.kill('SIGKILL');
    }
  });

  it('stops cleanly on SIGTERM: offline, exit code 0', async () => {
    const agent = await startAgentProcess();
    await until(emitter(watcher), 'message', () => statuses.at(-1) === 'online', 'status online');
    const exited = once(agent.child, 'exit');
    agent.child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, agent.stderr());
    assert.match(agent.stderr(), /posrig agent: SIGTERM, stopping/);
    await until(emitter(watcher), 'message', () => statuses.at(-1) === 'offline', 'status offline (its own word)');
  });
});
