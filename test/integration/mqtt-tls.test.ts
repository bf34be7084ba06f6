// An mqtts:// broker: the link trusts it through the rig's tls.ca file, refuses it without, and a whole rig runs over
// it (the simulated terminal and the harness both connecting with TLS). The broker's certificate is a test fixture.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { MqttEcrLink } from '../../protocols/mqtt/mqttEcrLink.ts';
import { BrokerError, connectBroker, endClient } from '../../rigs/mqtt/brokerClient.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../rigs/mqtt/embeddedBroker.ts';
import { startPosrig } from '../support/cli.ts';
import { writeRig } from '../support/rigText.ts';

const CA = path.resolve('test/fixtures/tls/broker.crt');
const SECRET = 'mqtt-tls-test-secret';
let broker: EmbeddedBroker;
const clients: MqttClient[] = [];

before(async () => {
  broker = await startEmbeddedBroker({
    secret: SECRET,
    tls: { cert: readFileSync(CA), key: readFileSync('test/fixtures/tls/broker.key') },
  });
});

after(async () => {
  for (const client of clients) await endClient(client, true);
  await broker.close();
});

async function client(username: string, ca?: string): Promise<MqttClient> {
  const connected = await connectBroker(
    { url: broker.url, username, password: SECRET, ...(ca ? { tls: { ca } } : {}) },
    { clientId: `${username}-${clients.length}`, what: `test ${username}` },
  );
  clients.push(connected);
  return connected;
}

describe('an mqtts:// broker', () => {
  it('carries the ECR link when the rig trusts its certificate (tls.ca)', async () => {
    assert.match(broker.url, /^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const harness = await MqttEcrLink.open(await client('controller', CA), { terminalId: 'T0000001', side: 'harness' });
    const terminal = await MqttEcrLink.open(await client('terminal-T0000001', CA), {
      terminalId: 'T0000001',
      side: 'terminal',
    });
    const heard = new Promise((resolve) => terminal.once('message', resolve));
    await harness.send({ type: 'hello', id: 'tls-1', protocol: '1' });
    assert.deepEqual(await heard, { type: 'hello', id: 'tls-1', protocol: '1' });
    harness.close();
    terminal.close();
  });

  it('refuses a broker whose certificate nothing trusts, naming the broker', async () => {
    await assert.rejects(
      client('controller'),
      (error: Error) =>
        error instanceof BrokerError &&
        error.message.startsWith(`test controller cannot connect to the MQTT broker ${broker.url} as controller:`) &&
        /certificate/.test(error.message),
    );
  });

  it('runs a rig over it: the simulated terminal and the harness both on TLS', { timeout: 90_000 }, async () => {
    const rig = writeRig(`name: mqtt-tls
terminal:
  id: T0000001
  link: { kind: mqtt, broker: "${broker.url}", tls: { ca: ${JSON.stringify(CA)} } }
  simulate: {}
host: { simulate: {} }
bank: { probe: simulator }
cards: ${path.resolve('fixtures/cards.yaml')}
`);
    const run = await startPosrig(['run', '--rig', rig, 'features/purchase/approved.feature:10'], {
      POSRIG_MQTT_PASSWORD: SECRET,
      POSRIG_MQTT_AGENT_PASSWORD: SECRET,
    }).done;
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /1 scenario \(1 passed\)/);
  });
});
