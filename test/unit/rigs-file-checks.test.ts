import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadRigFile } from '../../rigs/file/rigFile.ts';
import { ConfigFileError } from '../../rigs/file/yamlFile.ts';
import { DEFECTS } from '../../simulators/terminal/index.ts';
import { loads, problemsOf, REAL_HOST, REAL_TERMINAL, rigText, SIMULATED, writeRig } from '../support/rigText.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-rigchecks-'));
/** Where writeRig puts rig files: their relative paths resolve against it. */
const RIG_FOLDER = path.dirname(writeRig(''));

describe('rig file checks: terminal and merchant IDs', () => {
  it('accepts 8 printable ASCII characters as TID and 15 as MID, spaces inside included', () => {
    loads(rigText({ terminal: SIMULATED.terminal.replace('T0000001', '"LAB 07-#"') }));
    loads(rigText({ terminal: `${SIMULATED.terminal}\n  merchant: { id: "MERCHANT 000001", name: 商户 }` }));
  });

  it('names the first character of a TID that is not printable ASCII', () => {
    assert.deepEqual(problemsOf(rigText({ terminal: SIMULATED.terminal.replace('T0000001', 'T000000é') })), [
      'RIG:3: terminal.id: a terminal ID (DE41) is 8 printable ASCII characters: character 8 is "é" (U+00E9)',
    ]);
    assert.deepEqual(problemsOf(rigText({ terminal: SIMULATED.terminal.replace('T0000001', '"T00\\t0001"') })), [
      'RIG:3: terminal.id: a terminal ID (DE41) is 8 printable ASCII characters: character 4 is "\\t" (U+0009)',
    ]);
  });

  it('refuses a TID of the wrong length or starting with a space', () => {
    assert.deepEqual(problemsOf(rigText({ terminal: SIMULATED.terminal.replace('T0000001', 'T000001') })), [
      'RIG:3: terminal.id: a terminal ID (DE41) is 8 printable ASCII characters: got 7 ("T000001")',
    ]);
    assert.deepEqual(problemsOf(rigText({ terminal: SIMULATED.terminal.replace('T0000001', '" T000001"') })), [
      'RIG:3: terminal.id: a terminal ID (DE41) is 8 printable ASCII characters: " T000001" starts with a space',
    ]);
  });

  it('refuses a MID that is not 15 printable ASCII characters', () => {
    const withMid = (mid: string) =>
      rigText({ terminal: `${SIMULATED.terminal}\n  merchant: { id: ${mid}, name: x }` });
    assert.deepEqual(problemsOf(withMid('"89831004816000"')), [
      'RIG:6: terminal.merchant.id: a merchant ID (DE42) is 15 printable ASCII characters: got 14 ("89831004816000")',
    ]);
    assert.deepEqual(problemsOf(withMid('"测试商户898310048160"')), [
      'RIG:6: terminal.merchant.id: a merchant ID (DE42) is 15 printable ASCII characters: character 1 is "测" (U+6D4B)',
    ]);
  });
});

describe('rig file checks: name', () => {
  it('accepts letters, digits, ".", "_" and "-" up to 64 characters', () => {
    for (const name of ['lab-07', 'lab_07.v2', 'A', '7', 'x'.repeat(64)]) loads(rigText({ name: `name: "${name}"` }));
  });

  it('refuses a name that is unsafe in folder and report names', () => {
    for (const name of ['lab 07', '../etc', 'a/b', '.hidden', '-rf', '', 'x'.repeat(65), 'lab·07', 'a\\\\b']) {
      assert.deepEqual(
        problemsOf(rigText({ name: `name: "${name}"` })),
        [
          'RIG:1: name: a rig name is used in folder and report names: 1 to 64 letters, digits, ".", "_" or "-", not starting with "." or "-"',
        ],
        name,
      );
    }
  });
});

describe('rig file checks: simulated terminal', () => {
  it('refuses an unknown firmware defect, naming the allowed ones', () => {
    const terminal = SIMULATED.terminal.replace('simulate: {}', 'simulate: { defects: [double-print, double-prnt] }');
    assert.deepEqual(problemsOf(rigText({ terminal })), [
      `RIG:5: terminal.simulate.defects.1: must be one of ${DEFECTS.map((d) => `"${d}"`).join(', ')}, got "double-prnt" (did you mean "double-print"?)`,
    ]);
    loads(rigText({ terminal: SIMULATED.terminal.replace('simulate: {}', `simulate: { defects: [${DEFECTS}] }`) }));
  });

  it('refuses a power: section, which a simulated terminal would ignore', () => {
    assert.deepEqual(problemsOf(rigText({ extra: 'power:\n  kind: manual' })), [
      'RIG:9: power: a simulated terminal (terminal.simulate) has its own power, so this key would be ignored: remove power:',
    ]);
  });

  it('needs a mock: or pty: link path, and a simulated link path needs terminal.simulate', () => {
    const device = SIMULATED.terminal.replace('"mock:a"', '/dev/ttyUSB0');
    assert.deepEqual(problemsOf(rigText({ terminal: device })), [
      'RIG:4: terminal.link.path: a simulated terminal (terminal.simulate) needs a "mock:NAME" or "pty:NAME" path, got "/dev/ttyUSB0"',
    ]);
    assert.deepEqual(
      problemsOf(rigText({ terminal: REAL_TERMINAL.replace('/dev/ttyUSB9', '"pty:x"'), host: REAL_HOST })),
      ['RIG:4: terminal.link.path: "pty:x" is a simulated link: add terminal.simulate, or give a device path'],
    );
  });
});

describe('rig file checks: what a real terminal can reach, and what would be ignored', () => {
  it('loads a real terminal with the simulated bank on a fixed port (its device is checked only when the rig starts)', () => {
    loads(rigText({ terminal: REAL_TERMINAL, host: REAL_HOST }));
    loads(rigText({ terminal: REAL_TERMINAL, host: 'host: { simulate: {}, faults: { listen: "0.0.0.0:6000" } }' }));
  });

  it('refuses an address a real terminal could never be told: a free port of the host, the proxy or the backup', () => {
    assert.deepEqual(problemsOf(rigText({ terminal: REAL_TERMINAL })), [
      'RIG:5: host.simulate.listen: a real terminal dials the simulated host itself (no host.faults): give host.simulate.listen a fixed port, e.g. "0.0.0.0:5000"',
    ]);
    assert.deepEqual(problemsOf(rigText({ terminal: REAL_TERMINAL, host: 'host: { simulate: {}, faults: true }' })), [
      `RIG:5: host.faults: true listens on a free port, which a real terminal cannot be told: give { listen: "0.0.0.0:6000" } and set the terminal's host address to it`,
    ]);
    const direct = 'host: { simulate: {}, faults: { listen: "0.0.0.0:6000" }, backup: direct }';
    assert.deepEqual(problemsOf(rigText({ terminal: REAL_TERMINAL, host: direct })), [
      `RIG:5: host.backup: "direct" sends a real terminal's backup to the simulated host itself: give host.simulate.listen a fixed port, or use { listen: "host:port" } (posrig listens there and passes it to the host)`,
    ]);
    const elsewhere = 'host: { simulate: {}, faults: { listen: "0.0.0.0:6000" }, backup: "backup.example:5000" }';
    assert.deepEqual(problemsOf(rigText({ terminal: REAL_TERMINAL, host: elsewhere })), [
      `RIG:5: host.backup: "backup.example:5000" would only tell a simulated terminal where to dial; a real terminal's backup host is set in the terminal: give { listen: "host:port" } (posrig listens there and passes it to the host) and set the terminal's backup host to it`,
    ]);
    const tapped = 'host: { simulate: {}, faults: { listen: "0.0.0.0:6000" }, backup: { listen: "0.0.0.0:6001" } }';
    loads(rigText({ terminal: REAL_TERMINAL, host: tapped }));
  });

  it('refuses a power kind it does not know, and power on a simulated terminal', () => {
    const power = 'power:\n  kind: mqtt-relay\n  broker: "mqtt://lab:1883"';
    assert.deepEqual(problemsOf(rigText({ terminal: REAL_TERMINAL, host: REAL_HOST, extra: power })), [
      'RIG:9: power.kind: must be one of "command", "manual", "tasmota", got "mqtt-relay"',
    ]);
    loads(
      rigText({ terminal: REAL_TERMINAL, host: REAL_HOST, extra: 'power: { kind: command, on: ./on, off: ./off }' }),
    );
    loads(rigText({ terminal: REAL_TERMINAL, host: REAL_HOST, extra: 'power: { kind: manual }' }));
  });

  it("names the new place of a simulated terminal's timings", () => {
    const old = `${SIMULATED.terminal.replace('simulate: {}', 'simulate: { responseTimeoutMs: 5000 }')}`;
    assert.deepEqual(problemsOf(rigText({ terminal: old })), [
      'RIG:5: terminal.simulate.responseTimeoutMs: moved to terminal.timing.responseTimeoutMs (the same key for a simulated and a real terminal)',
    ]);
    loads(rigText({ terminal: `${SIMULATED.terminal}\n  timing: { responseTimeoutMs: 5000, noPinLimit: "300.00" }` }));
    const yen = rigText({
      terminal: `${SIMULATED.terminal}\n  timing: { noPinLimit: "300.50" }`,
      extra: 'currency: JPY',
    });
    assert.deepEqual(problemsOf(yen), [
      'RIG:6: terminal.timing.noPinLimit: "300.50 JPY": JPY has 0 decimal places, got 2',
    ]);
  });

  it('matches each bank probe to a bank the rig has', () => {
    loads(rigText({ bank: 'bank:\n  probe: { iso8583: { address: "acquirer:5000" } }' }));
    loads(rigText({ host: 'host: { address: "acquirer:5000" }', bank: 'bank: { probe: { iso8583: {} } }' }));
    assert.deepEqual(problemsOf(rigText({ host: 'host: { address: "acquirer:5000" }' })), [
      'RIG:7: bank.probe: "simulator" reads the simulated bank\'s ledger: it needs host.simulate (a host posrig does not start: { ledger: FILE } for a `posrig sim host` on this machine, { iso8583: {} } for any host)',
    ]);
    const external = 'host: { address: "127.0.0.1:5000" }';
    const later = path.join(folder, 'not-yet.sqlite'); // the sim host process creates it, maybe after the rig is read
    loads(rigText({ host: external, bank: `bank: { probe: { ledger: ${later} } }` }));
    const notes = path.join(folder, 'notes.txt');
    writeFileSync(notes, 'not a database');
    assert.deepEqual(problemsOf(rigText({ host: external, bank: `bank: { probe: { ledger: ${notes} } }` })), [
      `RIG:7: bank.probe.ledger: ${notes} is not an SQLite database (it does not start with "SQLite format 3"): give a new file name or :memory:`,
    ]);
    const ledger = path.join(folder, 'remote.sqlite');
    writeFileSync(ledger, '');
    assert.deepEqual(problemsOf(rigText({ bank: `bank: { probe: { ledger: ${ledger} } }` })), [
      'RIG:7: bank.probe.ledger: reads the ledger file of a `posrig sim host` started elsewhere; with host.simulate the rig starts the bank itself: use probe: simulator',
    ]);
    assert.deepEqual(problemsOf(rigText({ bank: 'bank: { probe: {} }' })), [
      'RIG:7: bank.probe: needs exactly one of ledger (a `posrig sim host` ledger file) or iso8583 (balance inquiry)',
    ]);
  });

  it('refuses a host that is both simulated and real, or neither', () => {
    assert.deepEqual(problemsOf(rigText({ host: 'host:\n  simulate: {}\n  address: "acquirer:5000"' })), [
      'RIG:8: host.address: is not used when host.simulate is set (the simulated bank listens on host.simulate.listen): remove one of them',
    ]);
    assert.deepEqual(problemsOf(rigText({ host: 'host: { faults: true }' })), [
      "RIG:6: host: needs simulate (posrig's simulated bank) or address (a real host)",
    ]);
  });
});

describe('rig file checks: files the rig names', () => {
  it('names the resolved path of a missing cards fixture, and what a relative path is resolved against', () => {
    assert.deepEqual(problemsOf(rigText({ cards: 'cards: fixtures/nope.yaml' })), [
      `RIG:8: cards: ${path.join(RIG_FOLDER, 'fixtures/nope.yaml')} does not exist (relative paths are resolved against the rig file's folder, ${RIG_FOLDER})`,
    ]);
    const absent = path.join(folder, 'absent.yaml');
    assert.deepEqual(problemsOf(rigText({ cards: `cards: ${absent}` })), [`RIG:8: cards: ${absent} does not exist`]);
    assert.deepEqual(problemsOf(rigText({ cards: `cards: ${folder}` })), [
      `RIG:8: cards: ${folder} is a folder, not a file`,
    ]);
  });

  it('accepts a ledger in memory, a new file in an existing folder, an empty file and an SQLite file', () => {
    const sqlite = path.join(folder, 'ledger.sqlite');
    writeFileSync(sqlite, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(84)]));
    const empty = path.join(folder, 'empty.sqlite');
    writeFileSync(empty, '');
    for (const ledger of [':memory:', path.join(folder, 'new.sqlite'), empty, sqlite]) {
      loads(rigText({ host: `host: { simulate: { ledger: "${ledger}" } }` }));
    }
  });

  it('refuses a ledger whose folder is missing, naming the resolved paths', () => {
    assert.deepEqual(problemsOf(rigText({ host: 'host: { simulate: { ledger: no-such-folder/l.sqlite } }' })), [
      `RIG:6: host.simulate.ledger: folder ${path.join(RIG_FOLDER, 'no-such-folder')} does not exist, so the ledger ${path.join(RIG_FOLDER, 'no-such-folder/l.sqlite')} cannot be created (relative paths are resolved against the rig file's folder, ${RIG_FOLDER})`,
    ]);
  });

  it('refuses a ledger file that is not an SQLite database, or a folder', () => {
    const text = path.join(folder, 'notes.txt');
    writeFileSync(text, 'these are not the accounts you are looking for');
    assert.deepEqual(problemsOf(rigText({ host: `host:\n  simulate:\n    ledger: ${text}` })), [
      `RIG:8: host.simulate.ledger: ${text} is not an SQLite database (it does not start with "SQLite format 3"): give a new file name or :memory:`,
    ]);
    const sub = path.join(folder, 'ledger-folder');
    mkdirSync(sub, { recursive: true });
    assert.deepEqual(problemsOf(rigText({ host: `host: { simulate: { ledger: ${sub} } }` })), [
      `RIG:6: host.simulate.ledger: ${sub} is a folder, not a file`,
    ]);
  });
});

describe('rig file checks: every problem at once', () => {
  it('lists schema and cross-key problems together, one line each, in file order', () => {
    const text = rigText({
      name: 'name: lab 07',
      terminal: REAL_TERMINAL.replace('T0000001', 'T01').replace('/dev/ttyUSB9', '"mock:a"'),
      bank: 'bank:\n  probe: { iso8583: { adress: "acquirer:5000" } }',
      cards: 'cards: fixtures/nope.yaml',
      extra: 'power: { kind: command, on: x, of: y }',
    });
    const file = writeRig(text);
    assert.throws(
      () => loadRigFile(file),
      (error: unknown) => {
        assert.ok(error instanceof ConfigFileError);
        assert.deepEqual(
          error.problems.map((p) => p.replace(file, 'RIG').replace(/: .*/, '')),
          ['RIG:1', 'RIG:3', 'RIG:4', 'RIG:5', 'RIG:7', 'RIG:8', 'RIG:9', 'RIG:9'],
        );
        assert.equal(error.message.split('\n')[0], `${file}: 8 problems`);
        assert.equal(error.message.split('\n').length, 9);
        return true;
      },
    );
  });
});
