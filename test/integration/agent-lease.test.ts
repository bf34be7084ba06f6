// `posrig agent` and its leases (docs/protocol.md section 12.3) on the embedded broker, the agent bridging a simulated
// terminal behind a mock serial port: one controller at a time, a lease freed by the last will of a killed controller
// or by missing heartbeats, a pool skipping terminals that cannot be leased, and commands passing only under a lease.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import type { EcrMessage } from '../../protocols/ecr/index.ts';
import type { LeaseState } from '../../protocols/mqtt/lease.ts';
import { MqttEcrLink } from '../../protocols/mqtt/mqttEcrLink.ts';
import { controllerTopic, ecrTopics } from '../../protocols/mqtt/topics.ts';
import { type Agent, startAgent } from '../../rigs/agent/agent.ts';
import { connectBroker, endClient, publish, subscribe } from '../../rigs/mqtt/brokerClient.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../rigs/mqtt/embeddedBroker.ts';
import { leaseTerminal } from '../../rigs/mqtt/leaseClient.ts';
import { type SimulatedTerminal, startMockTerminal } from '../../rigs/simulated/simulatedTerminal.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';
import { cliEnvironment } from '../support/cli.ts';
import { TERMINAL_CONFIG } from '../support/terminalConfig.ts';

const TID = 'T0000001';
const topics = ecrTopics(TID);
const WAIT_MS = 5000;
const ISO_TIME = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

let broker: EmbeddedBroker;
let terminal: SimulatedTerminal;
let agent: Agent;
const clients: MqttClient[] = [];
const agentLog = new EventEmitter();
const agentLines: string[] = [];

/** A controller client with its last will on its controller topic, as a rig makes it. */
async function controller(clientId: string): Promise<MqttClient> {
  const client = await connectBroker(
    { url: broker.url, username: 'controller', password: broker.secret },
    {
      clientId,
      what: `test ${clientId}`,
      will: { topic: controllerTopic(clientId), payload: 'offline', retain: false },
    },
  );
  clients.push(client);
  return client;
}

/** An MQTT client as the plain event emitter it is underneath (its typed events do not fit EventEmitter's type). */
function emitter(client: MqttClient): EventEmitter {
  return client as unknown as EventEmitter;
}

/** Resolves with the first value `pick` finds among what `source` emits, or fails naming `what` after WAIT_MS. */
function waitFor<T>(
  source: EventEmitter,
  event: string,
  // biome-ignore lint/suspicious/noExplicitAny: each event has its own arguments
  pick: (...args: any[]) => T | undefined,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const listener = (...args: any[]) => {
      const found = pick(...args);
      if (found === undefined) return;
      clearTimeout(timer);
      source.off(event, listener);
      resolve(found);
    };
    const timer = setTimeout(() => {
      source.off(event, listener);
      reject(new Error(`no ${what} within ${WAIT_MS} ms`));
    }, WAIT_MS);
    source.on(event, listener);
  });
}

/** Watches the retained lease state of the terminal: `until` waits for a state (the current one counts). */
async function leaseStates(
  tid = TID,
): Promise<{ until(want: (s: LeaseState) => boolean, what: string): Promise<LeaseState> }> {
  const client = await controller(`watch-${tid}-${clients.length}`);
  const topic = ecrTopics(tid).lease;
  const seen: LeaseState[] = [];
  client.on('message', (t, payload) => {
    if (t === topic) seen.push(JSON.parse(payload.toString()) as LeaseState);
  });
  await subscribe(client, [topic], 'test');
  return {
    until(want, what) {
      const last = seen.at(-1);
      if (last && want(last)) return Promise.resolve(last);
      return waitFor(
        emitter(client),
        'message',
        (t: string) => (t === topic && want(seen.at(-1) as LeaseState) ? (seen.at(-1) as LeaseState) : undefined),
        `lease state ${what}`,
      );
    },
  };
}

const free = (s: LeaseState) => s.state === 'free';
const leasedBy = (holder: string) => (s: LeaseState) => s.state === 'leased' && s.holder === holder;

function logged(pattern: RegExp): Promise<string> {
  const earlier = agentLines.find((line) => pattern.test(line));
  if (earlier) return Promise.resolve(earlier);
  return waitFor(agentLog, 'line', (line: string) => (pattern.test(line) ? line : undefined), `agent log ${pattern}`);
}

before(async () => {
  broker = await startEmbeddedBroker();
  terminal = await startMockTerminal('mock:agentPOS', 115200, TERMINAL_CONFIG);
  agent = await startAgent({
    port: terminal.port,
    terminalId: TID,
    broker: { url: broker.url, password: broker.secret },
    log: (line) => {
      agentLines.push(line);
      agentLog.emit('line', line);
    },
  });
});

after(async () => {
  await agent.stop();
  for (const client of clients) await endClient(client, true);
  await terminal.stop();
  await broker.close();
});

describe('posrig agent leases', () => {
  it('says online and free when it starts', async () => {
    const states = await leaseStates();
    await states.until(free, 'free');
    assert.deepEqual(agent.lease, { state: 'free' });
    const watcher = await controller('status-watch');
    const status = waitFor(
      emitter(watcher),
      'message',
      (t: string, p: Buffer) => (t === topics.status ? p.toString() : undefined),
      'status',
    );
    await subscribe(watcher, [topics.status], 'test');
    assert.equal(await status, 'online');
  });

  it('grants one of two controllers racing for the terminal; the other hears who has it since when', async () => {
    const [a, b] = await Promise.all([controller('ctl-a'), controller('ctl-b')]);
    const ask = (client: MqttClient, clientId: string) =>
      leaseTerminal({ client, clientId, candidates: [TID], holder: `ci-${clientId}`, timeoutMs: 3000 });
    const results = await Promise.allSettled([ask(a, 'ctl-a'), ask(b, 'ctl-b')]);
    const granted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(granted.length, 1, 'exactly one controller holds the lease');
    assert.equal(refused.length, 1);
    const winner = agent.lease;
    assert.equal(winner.state, 'leased');
    const error = refused[0]?.reason as Error;
    assert.ok(error instanceof RigFault, String(error));
    assert.match(
      error.message,
      new RegExp(
        `^no terminal of the pool could be leased: ${TID} busy: leased by ${winner.holder} since ${ISO_TIME}$`,
      ),
    );
    const states = await leaseStates();
    await (granted[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof ask>>>).value.release();
    await states.until(free, 'free after the release');
  });

  it('lets a controller that finds the terminal taken wait for it (waitMs): granted once the holder releases', async () => {
    const states = await leaseStates();
    await states.until(free, 'free');
    const [a, b] = await Promise.all([controller('ctl-first'), controller('ctl-waiting')]);
    const first = await leaseTerminal({
      client: a,
      clientId: 'ctl-first',
      candidates: [TID],
      holder: 'first',
      timeoutMs: 3000,
    });
    const waiting = leaseTerminal({
      client: b,
      clientId: 'ctl-waiting',
      candidates: [TID],
      holder: 'waiting',
      timeoutMs: 3000,
      waitMs: 20_000,
    });
    // the waiting controller was refused once (the agent logs it) before the holder lets go
    await logged(/acquire by waiting refused: leased by first/);
    await first.release();
    const second = await waiting;
    assert.equal(second.terminalId, TID);
    await states.until(leasedBy('waiting'), 'leased by the waiting controller');
    await second.release();
    await states.until(free, 'free again');
  });

  it('gives up waiting after waitMs, naming how long it waited and who holds the terminal', async () => {
    const [a, b] = await Promise.all([controller('ctl-holder'), controller('ctl-impatient')]);
    const held = await leaseTerminal({
      client: a,
      clientId: 'ctl-holder',
      candidates: [TID],
      holder: 'holder',
      timeoutMs: 3000,
    });
    await assert.rejects(
      leaseTerminal({
        client: b,
        clientId: 'ctl-impatient',
        candidates: [TID],
        holder: 'impatient',
        timeoutMs: 3000,
        waitMs: 300,
      }),
      new RegExp(
        `^RigFault: no terminal of the pool could be leased within 300 ms: ${TID} busy: leased by holder since ${ISO_TIME}$`,
      ),
    );
    await held.release();
  });

  it('frees the lease of a controller process killed without releasing: the next controller gets it', async () => {
    const states = await leaseStates();
    await states.until(free, 'free');
    const script = `
      const { connectBroker } = await import(${JSON.stringify(module('rigs/mqtt/brokerClient.ts'))});
      const { leaseTerminal } = await import(${JSON.stringify(module('rigs/mqtt/leaseClient.ts'))});
      const { controllerTopic } = await import(${JSON.stringify(module('protocols/mqtt/topics.ts'))});
      const clientId = 'doomed-' + process.pid;
      const client = await connectBroker({ url: process.env.BROKER_URL, username: 'controller', password: process.env.BROKER_SECRET },
        { clientId, what: 'doomed', will: { topic: controllerTopic(clientId), payload: 'offline', retain: false } });
      const lease = await leaseTerminal({ client, clientId, candidates: ['${TID}'], holder: 'doomed', timeoutMs: 60000 });
      process.stderr.write('leased ' + lease.terminalId + '\\n');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...cliEnvironment(), BROKER_URL: broker.url, BROKER_SECRET: broker.secret },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      await waitFor(
        child.stderr,
        'data',
        () => (stderr.includes(`leased ${TID}`) ? true : undefined),
        'lease in the child',
      );
      await states.until(leasedBy('doomed'), 'leased by the child');
      const exited = once(child, 'exit');
      child.kill('SIGKILL'); // no release, no DISCONNECT: the broker publishes its will
      await exited;
      await states.until(free, 'free after the kill');
      assert.match(await logged(/released: the controller doomed-\d+ of doomed went offline/), /went offline/);
    } finally {
      child.kill('SIGKILL');
    }
    const next = await controller('ctl-next');
    const lease = await leaseTerminal({
      client: next,
      clientId: 'ctl-next',
      candidates: [TID],
      holder: 'next',
      timeoutMs: 3000,
    });
    assert.equal(lease.terminalId, TID);
    await lease.release();
    await states.until(free, 'free after the release');
  });

  it('frees the lease of a controller that stops heartbeating', async () => {
    const states = await leaseStates();
    await states.until(free, 'free');
    const raw = await controller('ctl-silent');
    const acquire = { op: 'acquire', session: 'silent-1', holder: 'silent', client: 'ctl-silent', timeoutMs: 300 };
    await publish(raw, topics.leaseRequest, JSON.stringify(acquire));
    const leased = await states.until(leasedBy('silent'), 'leased by the silent controller');
    assert.equal(leased.state === 'leased' && leased.timeoutMs, 300);
    await states.until(free, 'free after the missed heartbeats');
    await logged(/T0000001 lease expired: no heartbeat from silent for 300 ms/);
  });

  it('logs and ignores a lease request that is none', async () => {
    const raw = await controller('ctl-garbled');
    await publish(
      raw,
      topics.leaseRequest,
      JSON.stringify({ op: 'acquire', session: 's', holder: 'h', client: 'c', timeoutMs: 5 }),
    );
    await logged(/lease request ignored: lease request: "timeoutMs" is an integer from 100 to 3600000/);
    assert.deepEqual(agent.lease, { state: 'free' });
  });

  it('skips a terminal no agent ever served and one that is offline, naming both', async () => {
    const gone = await connectBroker(
      { url: broker.url, username: 'terminal-T0000003', password: broker.secret },
      { clientId: 'gone-T0000003', what: 'test terminal' },
    );
    await publish(gone, ecrTopics('T0000003').status, 'offline', true);
    await endClient(gone);
    const client = await controller('ctl-pool');
    await assert.rejects(
      leaseTerminal({
        client,
        clientId: 'ctl-pool',
        candidates: ['T0000009', 'T0000003'],
        holder: 'pool',
        timeoutMs: 3000,
      }),
      (error: Error) => {
        assert.ok(error instanceof RigFault);
        assert.equal(
          error.message,
          'no terminal of the pool could be leased: T0000009 no status: no agent has ever connected for it; T0000003 offline',
        );
        return true;
      },
    );
  });

  it('refuses a timeout over its maximum, takes the next candidate when the first is busy, reports a lease lost when its agent stops', async () => {
    const second = await startMockTerminal('mock:agentPOS2', 115200, { ...TERMINAL_CONFIG, tid: 'T0000002' });
    const agent2 = await startAgent({
      port: second.port,
      terminalId: 'T0000002',
      broker: { url: broker.url, password: broker.secret },
      maxLeaseTimeoutMs: 10_000,
    });
    try {
      const greedy = await controller('ctl-greedy');
      await assert.rejects(
        leaseTerminal({
          client: greedy,
          clientId: 'ctl-greedy',
          candidates: ['T0000002'],
          holder: 'greedy',
          timeoutMs: 20_000,
        }),
        /^RigFault: no terminal of the pool could be leased: T0000002 refused: a heartbeat timeout of 20000 ms was asked; this agent allows at most 10000 ms$/,
      );
      const first = await controller('ctl-first');
      const held = await leaseTerminal({
        client: first,
        clientId: 'ctl-first',
        candidates: [TID],
        holder: 'first',
        timeoutMs: 3000,
      });
      const client = await controller('ctl-pool2');
      const lease = await leaseTerminal({
        client,
        clientId: 'ctl-pool2',
        candidates: [TID, 'T0000002'],
        holder: 'pool2',
        timeoutMs: 3000,
      });
      assert.equal(lease.terminalId, 'T0000002');
      const lost = new Promise<string>((resolve) => lease.onLost(resolve));
      await agent2.stop();
      assert.equal(await lost, 'the agent of T0000002 went offline');
      await held.release();
      await (await leaseStates()).until(free, 'free');
    } finally {
      await agent2.stop();
      await second.stop();
    }
  });
});

describe('posrig agent bridging', () => {
  it("passes a leased controller's hello to the terminal and its info back; drops a command outside a lease", async () => {
    const client = await controller('ctl-hello');
    const harness = await MqttEcrLink.open(client, { terminalId: TID, side: 'harness' });
    const lease = await leaseTerminal({
      client,
      clientId: 'ctl-hello',
      candidates: [TID],
      holder: 'hello',
      timeoutMs: 3000,
    });
    const info = waitFor(
      harness,
      'message',
      (m: EcrMessage) => (m.type === 'info' && m.ref === 'h-agent-1' ? m : undefined),
      'info',
    );
    await harness.send({ type: 'hello', id: 'h-agent-1', protocol: '1' });
    const answer = await info;
    assert.equal(answer.type === 'info' && answer.tid, TID);
    const states = await leaseStates();
    await lease.release();
    await states.until(free, 'free after the release');
    const answers: EcrMessage[] = [];
    harness.on('message', (m) => answers.push(m));
    await harness.send({ type: 'hello', id: 'h-agent-2', protocol: '1' });
    await logged(/command hello h-agent-2 dropped: no lease/);
    assert.deepEqual(
      answers.filter((m) => m.type === 'info'),
      [],
    );
    harness.close();
  });
});

function module(file: string): string {
  return fileURLToPath(new URL(`../../${file}`, import.meta.url));
}
