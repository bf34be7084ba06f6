// A pool of lab terminals behind `posrig agent` serves parallel workers (docs/protocol.md section 12.3): four
// simulated terminals, each a `posrig sim terminal` process on a socat PTY pair bridged to the test's broker by an
// agent, dialling one `posrig sim host` process whose ledger file the rig's bank probe reads. `posrig run --parallel 4`
// on a rig naming the pool (terminal.link.terminals): every worker leases a terminal of its own, every scenario passes.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SerialPortStream } from '@serialport/stream';
import { ecrTopics } from '../../protocols/mqtt/topics.ts';
import { type Agent, startAgent } from '../../rigs/agent/agent.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../rigs/mqtt/embeddedBroker.ts';
import { type StartedChild, startChild } from '../../rigs/process/childProcess.ts';
import { closeSerialPort, openSerialPort } from '../../rigs/serial/serialPort.ts';
import { type PtySimulator, startPtySimulator } from '../../rigs/simulated/simulatedTerminal.ts';
import { Ledger } from '../../simulators/acquirer/index.ts';
import { cliEnvironment, startPosrig } from '../support/cli.ts';
import { type BrokerObserver, observeBroker } from '../support/mqttObserver.ts';

const SECRET = 'mqtt-pool-secret';
const POOL = ['P0000001', 'P0000002', 'P0000003', 'P0000004'];
const MID = '898310048160001';
const MERCHANT = 'POSRIG 测试商户';
const CARDS = path.resolve('fixtures/cards.yaml');
const folder = mkdtempSync(path.join(tmpdir(), 'posrig-mqtt-pool-'));
const ledgerFile = path.join(folder, 'bank.sqlite');

// Four scenarios, each on a card of its own (fixtures/cards.yaml): three approved purchases, and a lost card declined.
// Nothing about the merchant: its account is shared by every terminal of the pool.
const feature = path.join(folder, 'pool.feature');
writeFileSync(
  feature,
  `Feature: a pool of terminals
${[
  ['alice', '123456', 100],
  ['bob', '654321', 20],
  ['visa', '1234', 30],
]
  .map(
    ([card, pin, amount]) => `
  Scenario: ${card} pays on whichever terminal the worker leased
    Given the card "${card}" holds 500.00 CNY
    When the merchant starts a sale of ${amount}.00 CNY
    And the cardholder swipes the card "${card}"
    And the cardholder enters PIN "${pin}"
    Then the transaction is approved
    And the card "${card}" is debited ${amount}.00 CNY
`,
  )
  .join('')}
  Scenario: a lost card is declined on whichever terminal the worker leased
    Given the card "dave" holds 500.00 CNY
    When the merchant starts a sale of 40.00 CNY
    And the cardholder swipes the card "dave"
    And the cardholder enters PIN "222222"
    Then the transaction is declined with response code "14"
    And the card "dave" is not charged
`,
);

let broker: EmbeddedBroker | undefined;
let leases: BrokerObserver | undefined;
let host: StartedChild | undefined;
const terminals: PtySimulator[] = [];
const ports: SerialPortStream[] = [];
const agents: Agent[] = [];
/** Each terminal's simulator and agent, by TID. */
const bench = new Map<string, { line: PtySimulator; agent: Agent }>();
let run: ChildProcess | undefined;

before(async () => {
  broker = await startEmbeddedBroker({ secret: SECRET });
  const access = { url: broker.url, username: 'controller', password: SECRET };
  leases = await observeBroker(access, [ecrTopics('+').lease], `pool-eyes-${process.pid}`);
  host = await startChild({
    what: 'posrig sim host',
    command: process.execPath,
    args: [
      ...['bin/posrig.js', 'sim', 'host', '--listen', '127.0.0.1:0', '--ledger', ledgerFile, '--cards', CARDS],
      ...['--mid', MID, '--merchant-name', MERCHANT, '--currency', 'CNY'],
    ],
    readyText: 'posrig sim host: listening on',
    env: cliEnvironment(),
  });
  const listening = /posrig sim host: listening on 127\.0\.0\.1:(\d+)/.exec(host.log());
  assert.ok(listening, host.log());
  const hostPort = Number(listening[1]);
  // The four benches start side by side; each part is recorded as it starts, for after() to stop.
  const url = broker.url;
  await Promise.all(
    POOL.map(async (tid, i) => {
      const config = {
        tid,
        mid: MID,
        merchantName: MERCHANT,
        language: 'zh-CN' as const,
        currency: 'CNY',
        host: { host: '127.0.0.1', port: hostPort },
        responseTimeoutMs: 1500,
        stateDir: path.join(folder, `state-${tid}`),
      };
      const line = await startPtySimulator(`pool${i}`, 115200, config, path.join(folder, 'pty'));
      terminals.push(line);
      const port = await openSerialPort({ path: line.hostPath, baudRate: 115200 });
      ports.push(port);
      const agent = await startAgent({ port, terminalId: tid, broker: { url, password: SECRET } });
      agents.push(agent);
      bench.set(tid, { line, agent });
    }),
  );
});

after(async () => {
  run?.kill('SIGKILL');
  for (const agent of agents) await agent.stop().catch(() => {});
  for (const port of ports) await closeSerialPort(port).catch(() => {});
  for (const terminal of terminals) await terminal.stop().catch(() => {});
  await host?.stop().catch(() => {});
  await leases?.close().catch(() => {});
  await broker?.close().catch(() => {});
  rmSync(folder, { recursive: true, force: true });
});

function rigText(brokerUrl: string, hostAddress: string): string {
  return `name: mqtt-pool-${process.pid}
terminal:
  merchant: { id: "${MID}", name: "${MERCHANT}" }
  link: { kind: mqtt, broker: "${brokerUrl}", terminals: [${POOL.join(', ')}] }
  timing: { responseTimeoutMs: 1500 }
host:
  address: "${hostAddress}"
bank:
  probe: { ledger: ${JSON.stringify(ledgerFile)} }
cards: ${CARDS}
`;
}

describe('an MQTT pool of terminals behind posrig agent', () => {
  it('serves posrig run --parallel 4: each worker leases a terminal of its own, every scenario passes', {
    timeout: 90_000,
  }, async () => {
    assert.ok(broker && host && leases);
    const hostAddress = /listening on (\S+)/.exec(host.log())?.[1] ?? '';
    const rig = path.join(folder, 'pool.yaml');
    writeFileSync(rig, rigText(broker.url, hostAddress));
    const running = startPosrig(
      ['run', '--rig', rig, '--parallel', '4', '--reports', path.join(folder, 'reports'), feature],
      { POSRIG_MQTT_PASSWORD: SECRET },
    );
    run = running.child;
    const { code, output } = await running.done;

    // Seen from the broker: every terminal of the pool was leased, each by a worker of its own.
    const holders = new Map<string, Set<string>>();
    for (const m of leases.seen) {
      if (m.json?.state !== 'leased') continue;
      const tid = m.topic.split('/')[2] as string;
      const set = holders.get(tid) ?? new Set<string>();
      set.add(String(m.json.holder));
      holders.set(tid, set);
    }
    assert.deepEqual([...holders.keys()].sort(), POOL, `leased terminals: ${JSON.stringify([...holders])}`);
    const workers = [...holders.values()].flatMap((set) => [...set].map((holder) => /worker (\d+)/.exec(holder)?.[1]));
    assert.deepEqual(new Set(workers).size, 4, `lease holders: ${JSON.stringify([...holders])}`);
    // Every lease ends with the run (the agent says so once the worker's release reaches it): the pool is free again.
    const eyes = leases;
    for (const tid of POOL) {
      const topic = ecrTopics(tid).lease;
      const lastLeased = eyes.seen.reduce(
        (last, m, i) => (m.topic === topic && m.json?.state === 'leased' ? i : last),
        -1,
      );
      await eyes.until(
        (m) => m.topic === topic && m.json?.state === 'free' && eyes.seen.indexOf(m) > lastLeased,
        `${tid} free`,
      );
    }

    // Every scenario passed, each judged on its own terminal's transaction.
    assert.equal(code, 0, output);
    assert.match(output, /4 scenarios \(4 passed\)/, output);

    // Seen from the acquirer: the purchases came from terminals of the pool.
    const ledger = Ledger.open(ledgerFile);
    try {
      const purchases = ledger.journal().filter((entry) => entry.kind === 'purchase');
      assert.ok(purchases.length > 0, 'the acquirer journalled the last purchases');
      for (const entry of purchases) assert.ok(POOL.includes(entry.tid ?? ''), `purchase from ${entry.tid}`);
    } finally {
      ledger.close();
    }
  });

  it('posrig doctor checks every terminal of the pool: all served, then one whose agent stopped', {
    timeout: 60_000,
  }, async () => {
    assert.ok(broker && host);
    const hostAddress = /listening on (\S+)/.exec(host.log())?.[1] ?? '';
    const rig = path.join(folder, 'pool-doctor.yaml');
    writeFileSync(rig, rigText(broker.url, hostAddress));
    // spawned, not spawnSync: the broker and the agents live in this process and must answer meanwhile
    const doctor = () => startPosrig(['doctor', '--rig', rig], { POSRIG_MQTT_PASSWORD: SECRET }).done;
    const sound = await doctor();
    assert.equal(sound.code, 0, sound.output);
    assert.match(
      sound.stdout,
      /^✔ pool {2}P0000001 online, leased by this doctor; P0000002 online, free; P0000003 online, free; P0000004 online, free$/m,
    );
    await bench.get('P0000004')?.agent.stop(); // its agent says offline as it goes
    const missing = await doctor();
    assert.equal(missing.code, 1, missing.output);
    assert.match(
      missing.stdout,
      /^✘ pool {2}.*P0000004 offline — fix: start `posrig agent --terminal P0000004` on the PC each is plugged into/m,
    );
  });

  it("moves on to the pool's next terminal when the one leased does not answer hello (its agent online)", {
    timeout: 60_000,
  }, async () => {
    assert.ok(broker && host && leases);
    const hostAddress = /listening on (\S+)/.exec(host.log())?.[1] ?? '';
    const rig = path.join(folder, 'pool-silent.yaml');
    writeFileSync(rig, rigText(broker.url, hostAddress));
    await bench.get('P0000001')?.line.power.off(); // the terminal is gone; its agent stays online
    const from = leases.seen.length;
    const one = path.join(folder, 'one.feature');
    writeFileSync(
      one,
      `Feature: one purchase\n  Scenario: bob pays\n    Given the card "bob" holds 500.00 CNY\n    When the merchant starts a sale of 20.00 CNY\n    And the cardholder swipes the card "bob"\n    And the cardholder enters PIN "654321"\n    Then the transaction is approved\n`,
    );
    const { code, output: said } = await startPosrig(['run', '--rig', rig, '--reports', path.join(folder, 'r2'), one], {
      POSRIG_MQTT_PASSWORD: SECRET,
    }).done;
    assert.equal(code, 0, said);
    assert.match(said, /1 scenario \(1 passed\)/);
    // P0000001 was leased first (worker 0 starts there), then P0000002 served the scenario
    const leasedNow = leases.seen
      .slice(from)
      .filter((m) => m.json?.state === 'leased')
      .map((m) => m.topic.split('/')[2]);
    assert.deepEqual([...new Set(leasedNow)], ['P0000001', 'P0000002']);
  });
});
