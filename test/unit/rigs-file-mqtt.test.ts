// Rig files with an MQTT link and a Tasmota relay: what loads, and what is refused with the key to change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRigFile, terminalsOf } from '../../rigs/file/rigFile.ts';
import { posrig } from '../support/cli.ts';
import { loads, problemsOf, REAL_HOST, rigText, SIMULATED, writeRig } from '../support/rigText.ts';

/** A terminal block (lines 2–…) with an MQTT link. */
const mqtt = (link: string, more = '') => `terminal:\n  id: T0000001\n  link: { kind: mqtt${link} }${more}`;
const simulated = (link: string) => mqtt(link, '\n  simulate: {}');
const lab = (terminal: string) => rigText({ terminal, host: REAL_HOST, extra: '' });

describe('rig files: MQTT links', () => {
  it('loads the shipped MQTT rigs', () => {
    for (const rig of [
      'rigs/sim-mqtt.yaml',
      'rigs/sim-agent.yaml',
      'rigs/mosquitto.yaml',
      'rigs/lab-mqtt.example.yaml',
    ])
      loadRigFile(rig);
  });

  it('defaults to the embedded broker, and takes a broker URL with TLS files resolved against the rig', () => {
    const embedded = loadRigFile(writeRig(rigText({ terminal: simulated('') })));
    assert.equal(embedded.terminal.link.kind === 'mqtt' && embedded.terminal.link.broker, 'embedded');
    const tls = loadRigFile(
      writeRig(rigText({ terminal: simulated(', broker: "mqtts://lab:8883", tls: { ca: certs/ca.pem }') })),
    );
    const link = tls.terminal.link;
    assert.ok(link.kind === 'mqtt' && link.tls?.ca?.endsWith('/certs/ca.pem') && link.tls.rejectUnauthorized);
  });

  it('takes the TID from link.terminal, and a pool names its terminals there', () => {
    const one = loadRigFile(
      writeRig(lab('terminal:\n  link: { kind: mqtt, broker: "mqtt://lab:1883", terminal: LAB00007 }')),
    );
    assert.equal(one.terminal.id, 'LAB00007');
    assert.deepEqual(terminalsOf(one), ['LAB00007']);
    const pool = loadRigFile(
      writeRig(lab('terminal:\n  link: { kind: mqtt, broker: "mqtt://lab:1883", terminals: [LAB00007, LAB00008] }')),
    );
    assert.deepEqual(terminalsOf(pool), ['LAB00007', 'LAB00008']);
  });

  it('refuses a broker that is no URL, and an unknown link kind', () => {
    assert.match(
      problemsOf(rigText({ terminal: simulated(', broker: "lab:1883"') })).join('\n'),
      /terminal\.link\.broker: .*"mqtt:\/\/host:port"/,
    );
    assert.match(
      problemsOf(rigText({ terminal: 'terminal:\n  id: T0000001\n  link: { kind: usb }\n  simulate: {}' })).join('\n'),
      /terminal\.link\.kind: must be one of "serial", "mqtt", got "usb"$/,
    );
  });

  it('refuses a lab terminal on the embedded broker, which no lab terminal can reach', () => {
    assert.deepEqual(problemsOf(lab(mqtt(''))), [
      `RIG:4: terminal.link.broker: the embedded broker lives inside this posrig process, on a free port no lab terminal or agent knows: give the lab broker's URL ("mqtt://host:1883")`,
    ]);
  });

  it('refuses a TID given twice differently, and a terminal named nowhere', () => {
    assert.match(
      problemsOf(lab(mqtt(', broker: "mqtt://lab:1883", terminal: LAB00007'))).join('\n'),
      /terminal\.link\.terminal: "LAB00007" is not terminal\.id "T0000001"/,
    );
    assert.match(
      problemsOf(lab('terminal:\n  link: { kind: mqtt, broker: "mqtt://lab:1883" }')).join('\n'),
      /terminal\.id: name the terminal: terminal\.id, terminal\.link\.terminal, or a pool/,
    );
  });

  it('refuses a pool with a TID of its own, a simulated pool, and a pool without leases', () => {
    const withId = problemsOf(lab(mqtt(', broker: "mqtt://lab:1883", terminals: [LAB00007]'))).join('\n');
    assert.match(withId, /terminal\.link\.terminals: a pool names its terminals here only/);
    const simulatedPool = problemsOf(
      rigText({ terminal: 'terminal:\n  link: { kind: mqtt, terminals: [LAB00007] }\n  simulate: {}' }),
    ).join('\n');
    assert.match(simulatedPool, /a pool is of lab terminals behind posrig agent/);
    const unleased = problemsOf(
      lab('terminal:\n  link: { kind: mqtt, broker: "mqtt://lab:1883", terminals: [LAB00007], lease: false }'),
    ).join('\n');
    assert.match(unleased, /terminal\.link\.lease: a pool is shared by leases/);
  });

  it('refuses an agent for a real terminal, an agent that is no PTY, and TLS without mqtts://', () => {
    assert.match(
      problemsOf(lab(mqtt(', broker: "mqtt://lab:1883", agent: "pty:a"'))).join('\n'),
      /terminal\.link\.agent: starts a simulated terminal behind posrig agent/,
    );
    assert.match(
      problemsOf(rigText({ terminal: simulated(', agent: "/dev/ttyUSB0"') })).join('\n'),
      /terminal\.link\.agent: expected "pty:NAME"/,
    );
    assert.match(
      problemsOf(rigText({ terminal: simulated(', tls: { ca: x.pem }') })).join('\n'),
      /terminal\.link\.tls: TLS options need an mqtts:\/\/ broker/,
    );
  });

  it('takes a Tasmota relay for a simulated terminal on MQTT, and refuses one without a broker', () => {
    loads(rigText({ terminal: simulated(''), extra: 'power: { kind: tasmota, relay: relay7 }' }));
    assert.match(
      problemsOf(rigText({ terminal: SIMULATED.terminal, extra: 'power: { kind: tasmota, relay: relay7 }' })).join(
        '\n',
      ),
      /power\.broker: a Tasmota relay needs a broker/,
    );
    assert.match(
      problemsOf(rigText({ terminal: simulated(''), extra: 'power: { kind: tasmota, relay: "lab/relay7" }' })).join(
        '\n',
      ),
      /power\.relay: a Tasmota topic is one topic level/,
    );
    assert.match(
      problemsOf(
        rigText({ terminal: simulated(''), extra: 'power: { kind: tasmota, relay: r, broker: "mqtt://x:1" }' }),
      ).join('\n'),
      /power\.broker: a simulated terminal's Tasmota relay is simulated on the terminal's own broker/,
    );
  });
});

describe('posrig run on a pool', () => {
  it('refuses more workers than terminals, unless they may wait for one', () => {
    const pool = (lease: string) =>
      writeRig(
        lab(`terminal:\n  link: { kind: mqtt, broker: "mqtt://127.0.0.1:9", terminals: [LAB00007, LAB00008]${lease} }`),
      );
    const refused = posrig(['run', '--rig', pool(''), '--parallel', '3', '--dry-run']);
    assert.equal(refused.code, 2, refused.output);
    assert.match(
      refused.stderr,
      /posrig run: --parallel 3: the pool of rig t has 2 terminals: run at most 2 workers, or let the others wait for a free one \(terminal\.link\.lease\.waitMs\)/,
    );
    const waiting = posrig(['run', '--rig', pool(', lease: { waitMs: 60000 }'), '--parallel', '3', '--dry-run']);
    assert.doesNotMatch(waiting.output, /the pool of rig/);
  });
});
