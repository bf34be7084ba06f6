// Rig file values found wrong by the lab review: unions and enums name what they allow, a tab is one YAML problem,
// ports are in range, and pty: link names stay plain file names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loads, problemsOf, rigText, SIMULATED } from '../support/rigText.ts';

const withLink = (link: string) => rigText({ terminal: SIMULATED.terminal.replace('"mock:a"', link) });

describe('rig file values: allowed values of unions and enums', () => {
  it('names "simulator" for a misspelt bank probe, with a did-you-mean', () => {
    assert.deepEqual(problemsOf(rigText({ bank: 'bank: { probe: simulater }' })), [
      'RIG:7: bank.probe: expected "simulator" or a mapping, got "simulater" (did you mean "simulator"?)',
    ]);
    assert.deepEqual(problemsOf(rigText({ bank: 'bank: {}' })), [
      'RIG:7: bank.probe: is required ("simulator" or a mapping)',
    ]);
  });

  it('reports a mapping probe at its own keys, not "Invalid input"', () => {
    assert.deepEqual(problemsOf(rigText({ bank: 'bank: { probe: { iso: x } }' })), [
      'RIG:7: bank.probe: unknown key "iso" (allowed: ledger, iso8583)',
      'RIG:7: bank.probe: needs exactly one of ledger (a `posrig sim host` ledger file) or iso8583 (balance inquiry)',
    ]);
  });

  it('names what host.faults and host.backup allow', () => {
    assert.deepEqual(problemsOf(rigText({ host: 'host: { simulate: {}, faults: yes }' })), [
      'RIG:6: host.faults: expected true, false or a mapping, got "yes"',
    ]);
    assert.deepEqual(problemsOf(rigText({ host: 'host: { simulate: {}, faults: { listen: 6000 } }' })), [
      'RIG:6: host.faults.listen: expected "host:port", got 6000',
    ]);
    assert.deepEqual(problemsOf(rigText({ host: 'host: { simulate: {}, backup: dirct }' })), [
      'RIG:6: host.backup: expected "direct" or "host:port", e.g. "acquirer-test.example:5000", got "dirct"',
    ]);
    assert.deepEqual(problemsOf(rigText({ host: 'host: { simulate: {}, backup: 5000 }' })), [
      'RIG:6: host.backup: expected "direct", "host:port" or a mapping, got 5000',
    ]);
  });

  it('names the allowed values of an enum and of a literal, and the currency format', () => {
    assert.deepEqual(problemsOf(withLink('"mock:a", kind: seriel').replace('kind: serial, ', '')), [
      'RIG:4: terminal.link.kind: must be one of "serial", "mqtt", got "seriel" (did you mean "serial"?)',
    ]);
    const policy = 'host: { simulate: { duplicatePolicy: decline94 } }';
    assert.deepEqual(problemsOf(rigText({ host: policy })), [
      'RIG:6: host.simulate.duplicatePolicy: must be one of "replay", "decline-94", got "decline94" (did you mean "decline-94"?)',
    ]);
    assert.deepEqual(problemsOf(rigText({ name: 'name: t\ncurrency: cny' })), [
      'RIG:2: currency: expected a three-letter ISO 4217 currency code in capitals, e.g. "CNY"',
    ]);
  });
});

describe('rig file values: tabs', () => {
  it('gives one line for a file indented with tabs, with the hint', () => {
    const tabbed = rigText({ terminal: SIMULATED.terminal.replaceAll('\n  ', '\n\t') });
    assert.deepEqual(problemsOf(tabbed), [
      'RIG:3: YAML syntax: tabs are not allowed for indentation in YAML: indent with spaces (3 lines start with a tab, the first is line 3)',
    ]);
    const one = rigText({ terminal: SIMULATED.terminal.replace('\n  simulate', '\n \tsimulate') });
    assert.deepEqual(problemsOf(one), [
      'RIG:5: YAML syntax: All mapping items must start at the same column (line 5 has a tab: tabs are not allowed for indentation in YAML: indent with spaces)',
    ]);
  });

  it('adds the hint to another syntax error on a line with a tab', () => {
    const problems = problemsOf(rigText({ name: 'name: "t\tx' }));
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^RIG:1: YAML syntax: .*\(line 1 has a tab: tabs are not allowed for indentation/);
  });

  it('still gives one line, without a hint, for other syntax errors', () => {
    assert.deepEqual(problemsOf('name: [\nterminal: {\n'), [
      'RIG:2: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });
});

describe('rig file values: ports', () => {
  it('refuses a port above 65535 in every host:port key', () => {
    assert.deepEqual(problemsOf(rigText({ host: 'host: { simulate: {}, faults: { listen: "0.0.0.0:99999" } }' })), [
      'RIG:6: host.faults.listen: "0.0.0.0:99999": port 99999 is out of range (0 to 65535; 0 is any free port)',
    ]);
    assert.deepEqual(problemsOf(rigText({ host: 'host: { simulate: {}, backup: "backup.example:65536" }' })), [
      'RIG:6: host.backup: "backup.example:65536": port 65536 is out of range (1 to 65535)',
    ]);
    const real = 'host: { address: "acquirer.example:70000" }';
    assert.ok(
      problemsOf(rigText({ host: real })).includes(
        'RIG:6: host.address: "acquirer.example:70000": port 70000 is out of range (1 to 65535)',
      ),
    );
    const probe = 'bank: { probe: { iso8583: { address: "acquirer.example:99999" } } }';
    assert.ok(
      problemsOf(rigText({ bank: probe })).includes(
        'RIG:7: bank.probe.iso8583.address: "acquirer.example:99999": port 99999 is out of range (1 to 65535)',
      ),
    );
  });

  it('allows port 0 only where the rig listens (host.faults.listen), not where something dials', () => {
    loads(rigText({ host: 'host: { simulate: {}, faults: { listen: "127.0.0.1:0" } }' }));
    loads(rigText({ host: 'host: { simulate: {}, faults: { listen: "0.0.0.0:65535" }, backup: "h:1" }' }));
    assert.deepEqual(problemsOf(rigText({ host: 'host: { simulate: {}, backup: "backup.example:0" }' })), [
      'RIG:6: host.backup: "backup.example:0": port 0 is out of range (1 to 65535)',
    ]);
  });
});

describe('rig file values: pty: link names', () => {
  const rule = 'a PTY link name is a plain file name: 1 to 64 letters, digits, ".", "_" or "-", not starting with "."';

  it('accepts plain names', () => {
    for (const name of ['ttyPOS0', 'tty.POS-0_a', '_x', 'x'.repeat(64)]) loads(withLink(`"pty:${name}"`));
  });

  it('refuses names that leave the scratch folder or reach socat as options', () => {
    const bad = ['../../etc/x', 'a/b', '.hidden', '..', '', 'a,b', 'a:b', 'a!!b', 'tty POS', 'x'.repeat(65)];
    for (const name of bad) {
      assert.deepEqual(
        problemsOf(withLink(JSON.stringify(`pty:${name}`))),
        [`RIG:4: terminal.link.path: ${JSON.stringify(`pty:${name}`)}: ${rule}`],
        name,
      );
    }
  });

  it('leaves mock: names alone (they never reach the file system)', () => {
    loads(withLink('"mock:/dev/ttyPOS0"'));
  });
});
