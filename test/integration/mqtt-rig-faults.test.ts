// A broker that restarts mid-scenario is a rig fault, not a firmware defect. The rig's broker is the test's own aedes
// (an external broker to posrig, mqtt://127.0.0.1:PORT), the simulated terminal speaking MQTT in the posrig process.
// Once the terminal says it waits for a card, the test stops the broker and starts it again on the same port: that
// scenario fails with "rig fault" naming the broker, and the next one passes on the renewed rig.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ecrTopics } from '../../protocols/mqtt/topics.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../rigs/mqtt/embeddedBroker.ts';
import { type RunningCli, startPosrig } from '../support/cli.ts';
import { type BrokerObserver, observeBroker } from '../support/mqttObserver.ts';

const SECRET = 'mqtt-rig-faults-secret';
const TID = 'T0000071';
const NAME = `mqtt-rf-${process.pid}`;
const folder = mkdtempSync(path.join(tmpdir(), 'posrig-mqtt-rig-faults-'));
const feature = path.join(folder, 'broker-restart.feature');
writeFileSync(
  feature,
  `Feature: a broker that restarts
  Scenario: the broker restarts while the terminal waits for a card
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    Then the terminal shows "this text is never shown"

  Scenario: the next scenario runs on a renewed rig
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the transaction is approved
    And the card "alice" is debited 100.00 CNY
`,
);

/** sim-mqtt on a broker posrig does not start: the test's, reached by URL with the passwords from the environment. */
function rigText(port: number): string {
  return `name: ${NAME}
terminal:
  id: ${TID}
  merchant: { id: "898310048160001", name: "POSRIG 测试商户" }
  link: { kind: mqtt, broker: "mqtt://127.0.0.1:${port}" }
  simulate: { language: zh-CN }
  timing: { responseTimeoutMs: 1500 }
host:
  simulate: { ledger: ":memory:" }
bank: { probe: simulator }
cards: ${path.resolve('fixtures/cards.yaml')}
`;
}

let broker: EmbeddedBroker | undefined;
let observer: BrokerObserver | undefined;
let run: RunningCli | undefined;

after(async () => {
  const child = run?.child;
  if (child && child.exitCode === null && child.signalCode === null) {
    // posrig did not end: what it printed is the only clue (a rig renewal that never finished, say)
    process.stderr.write(`posrig run was still running; its output:\n${run?.output()}\n`);
    child.kill('SIGKILL');
  }
  await observer?.close().catch(() => {});
  await broker?.close().catch(() => {});
  rmSync(folder, { recursive: true, force: true });
});

/** The JUnit failure of each scenario, in order (null where it passed). */
function junitFailures(junit: string): Array<string | null> {
  return [...junit.matchAll(/<testcase[^>]*>([\s\S]*?)<\/testcase>|<testcase[^>]*\/>/g)].map(
    (m) => /<failure[^>]*message="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? null,
  );
}

describe('an MQTT rig whose broker restarts mid-scenario', () => {
  it('fails that scenario as a rig fault naming the broker, and passes the next on a renewed rig', {
    timeout: 90_000,
  }, async () => {
    broker = await startEmbeddedBroker({ secret: SECRET });
    const port = broker.port; // free when it started; the restarted broker listens here again
    const url = broker.url;
    observer = await observeBroker(
      { url, username: 'controller', password: SECRET },
      [ecrTopics(TID).evt],
      `rf-eyes-${process.pid}`,
    );
    const rig = path.join(folder, `${NAME}.yaml`);
    writeFileSync(rig, rigText(port));
    const reports = path.join(folder, 'reports');
    const running = startPosrig(['run', '--rig', rig, '--reports', reports, feature], {
      POSRIG_MQTT_PASSWORD: SECRET,
      POSRIG_MQTT_AGENT_PASSWORD: SECRET,
    });
    run = running;
    const exited = running.done.then((done) => done.code);
    const output = () => running.output();

    // The sale went through: the terminal, on the test's broker, says it waits for a card, then answers the hello
    // the sale step ends with (scenario 1's next step waits for a display that never comes).
    const eyes = observer;
    const waiting = eyes
      .until((m) => m.json?.type === 'state' && m.json.state === 'card', 'the terminal waiting for a card')
      .then((card) =>
        eyes.until(
          (m) => m.json?.type === 'info' && eyes.seen.indexOf(m) > eyes.seen.indexOf(card),
          'its info after the sale',
        ),
      );
    const first = await Promise.race([waiting, exited.then((code) => ({ exited: code }))]);
    assert.ok(
      !('exited' in first),
      `posrig exited (${String('exited' in first && first.exited)}) before the sale:\n${output()}`,
    );

    await observer.close();
    await broker.close();
    broker = await startEmbeddedBroker({ port, secret: SECRET });

    const code = await exited;
    const said = output();
    assert.notEqual(code, 0, said);
    assert.equal(code, 1, said);
    const failures = junitFailures(readFileSync(path.join(reports, 'junit.xml'), 'utf8'));
    assert.equal(failures.length, 2, said);
    assert.match(failures[0] ?? '', /^rig fault: /, 'the first line names the culprit');
    assert.match(failures[0] ?? '', new RegExp(`MQTT broker ${url.replaceAll('.', '\\.')} (was lost|closed)`));
    assert.equal(failures[1], null, `the scenario after the restart passes:\n${said}`);
    assert.match(
      said,
      new RegExp(
        `rig fault: rig ${NAME}: the connection to the MQTT broker ${url.replaceAll('.', '\\.')} (was lost|closed)`,
      ),
    );
    assert.doesNotMatch(said, /firmware defect|payment-truth invariant violated/);
    assert.match(said, /2 scenarios \(1 failed, 1 passed\)/);
  });
});
