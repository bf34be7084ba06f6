import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadCardBook, UnknownCardError } from '../../rigs/file/cardBook.ts';
import { loadRigFile } from '../../rigs/file/rigFile.ts';
import { ConfigFileError } from '../../rigs/file/yamlFile.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-rigfile-'));
const CARDS = path.resolve('fixtures/cards.yaml');

function rigText(link: string, simulate = '{}'): string {
  return `name: t\nterminal:\n  id: T0000001\n  link: ${link}\n  simulate: ${simulate}\nhost: { simulate: {} }\nbank: { probe: simulator }\ncards: ${CARDS}\n`;
}

function problemsOf(text: string): string[] {
  const file = path.join(folder, `rig-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  try {
    loadRigFile(file);
  } catch (error) {
    assert.ok(error instanceof ConfigFileError);
    return error.problems.map((p) => p.replace(file, 'RIG'));
  }
  assert.fail('the rig file was accepted');
}

describe('rig files', () => {
  it('loads every shipped rig file, with defaults filled in', () => {
    const files = readdirSync('rigs').filter((f) => f.endsWith('.yaml'));
    assert.ok(
      files.includes('sim-serial.yaml') && files.includes('sim-pty.yaml') && files.includes('lab.example.yaml'),
    );
    for (const file of files.map((f) => path.join('rigs', f))) {
      const link = loadRigFile(file).terminal.link;
      if (link.kind === 'serial') assert.equal(link.baudRate, 115200);
      else assert.ok(link.broker === 'embedded' || /^mqtts?:\/\//.test(link.broker), file);
    }
    assert.equal(loadRigFile('rigs/sim-serial.yaml').terminal.simulate?.language, 'zh-CN');
  });

  it('names file, line, key path and the allowed keys for a typo', () => {
    assert.deepEqual(problemsOf(rigText('{ kind: serial, path: "mock:a", baudrate: fast }')), [
      'RIG:4: terminal.link: unknown key "baudrate" (allowed: kind, path, baudRate)',
    ]);
  });

  it('names the expected type and the allowed values', () => {
    const problems = problemsOf(rigText('{ kind: serial, path: "mock:a", baudRate: fast }', '{ language: fr }'));
    assert.deepEqual(problems, [
      'RIG:4: terminal.link.baudRate: expected number, got "fast"',
      'RIG:5: terminal.simulate.language: must be one of "zh-CN", "en", got "fr"',
    ]);
  });

  it('gives an unknown key in a block mapping the line of the key itself', () => {
    const text =
      'name: t\nterminal:\n  id: T0000001\n  link:\n    kind: serial\n    path: "mock:a"\n    baudrate: 9600\n';
    assert.deepEqual(
      problemsOf(`${text}  simulate: {}\nhost: { simulate: {} }\nbank: { probe: simulator }\ncards: ${CARDS}\n`),
      ['RIG:7: terminal.link: unknown key "baudrate" (allowed: kind, path, baudRate)'],
    );
  });

  it('keeps pictures as evidence for failed scenarios unless the rig file says all or none', () => {
    const file = (text: string) => {
      const name = path.join(folder, `rig-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(name, text);
      return name;
    };
    const plain = rigText('{ kind: serial, path: "mock:a" }');
    assert.deepEqual(loadRigFile(file(plain)).evidence, { pictures: 'failed' });
    assert.deepEqual(loadRigFile(file(`${plain}evidence: { pictures: all }\n`)).evidence, { pictures: 'all' });
    assert.deepEqual(loadRigFile(file(`${plain}evidence: { pictures: none }\n`)).evidence, { pictures: 'none' });
    assert.deepEqual(loadRigFile('rigs/sim-serial.yaml').evidence, { pictures: 'all' });
    assert.deepEqual(problemsOf(`${plain}evidence: { pictures: everything }\n`), [
      'RIG:9: evidence.pictures: must be one of "failed", "all", "none", got "everything"',
    ]);
    assert.deepEqual(problemsOf(`${plain}evidence: { pictures: nonw }\n`), [
      'RIG:9: evidence.pictures: must be one of "failed", "all", "none", got "nonw" (did you mean "none"?)',
    ]);
    assert.deepEqual(problemsOf(`${plain}evidence: { videos: all }\n`), [
      'RIG:9: evidence: unknown key "videos" (allowed: pictures)',
    ]);
  });

  it('reports a missing key, a YAML syntax error and a missing file', () => {
    assert.deepEqual(problemsOf('name: t\n'), [
      'RIG:1: terminal: is required (object)',
      'RIG:1: host: is required (object)',
      'RIG:1: bank: is required (object)',
      'RIG:1: cards: is required (string)',
    ]);
    assert.match(problemsOf('name: [\n')[0] ?? '', /^RIG:\d+: YAML syntax:/);
    assert.throws(() => loadRigFile(path.join(folder, 'nope.yaml')), /nope\.yaml: cannot read: ENOENT/);
  });
});

describe('cards fixture', () => {
  it('reads cards with Money balances', () => {
    const alice = loadCardBook('fixtures/cards.yaml').get('alice');
    assert.deepEqual(alice.balance, { minor: 50000, currency: 'CNY' });
    assert.equal(alice.status, 'active');
  });

  it('names the known aliases for an unknown one', () => {
    assert.throws(
      () => loadCardBook('fixtures/cards.yaml').get('alcie'),
      (error: unknown) => {
        assert.ok(error instanceof UnknownCardError);
        assert.match(
          error.message,
          /unknown card "alcie"; did you mean "alice"\? \(fixtures\/cards\.yaml has: alice, bob,/,
        );
        return true;
      },
    );
  });

  it('never shows a PAN or PIN value in an error, only its type', () => {
    const file = path.join(folder, 'unquoted.yaml');
    writeFileSync(file, 'cards:\n  x: { pan: 4111111111111111, expiry: "3012", pin: 987654, balance: "1.00 CNY" }\n');
    assert.throws(
      () => loadCardBook(file),
      (error: unknown) => {
        assert.ok(error instanceof ConfigFileError);
        assert.match(error.message, /cards\.x\.pan: expected string, got a number \(value not shown\)/);
        assert.match(error.message, /cards\.x\.pin: expected string, got a number \(value not shown\)/);
        assert.doesNotMatch(error.message, /4111111111111111|987654/);
        return true;
      },
    );
  });

  it('rejects a bad balance with the key path', () => {
    const file = path.join(folder, 'cards.yaml');
    writeFileSync(file, 'cards:\n  x: { pan: "4111111111111111", expiry: "3012", pin: "1234", balance: "lots" }\n');
    assert.throws(() => loadCardBook(file), /:2: cards\.x\.balance: "lots" is not an amount/);
  });
});
