// Rig files written by tests: a valid simulated rig whose parts can be replaced, and what loading one says.
//   problemsOf(rigText({ bank: 'bank: { probe: simulater }' }))  → ['RIG:7: bank.probe: expected "simulator" …']

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRigFile } from '../../rigs/file/rigFile.ts';
import { ConfigFileError } from '../../rigs/file/yamlFile.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-rigtext-'));

/** A valid simulated rig, one line per part (name 1, terminal 2–5, host 6, bank 7, cards 8), parts replaceable;
 * `extra` lines go last. */
export const SIMULATED = {
  name: 'name: t',
  terminal: 'terminal:\n  id: T0000001\n  link: { kind: serial, path: "mock:a" }\n  simulate: {}',
  host: 'host: { simulate: {} }',
  bank: 'bank: { probe: simulator }',
  cards: `cards: ${path.resolve('fixtures/cards.yaml')}`,
  extra: '',
};

/** A real terminal (terminal 2–4, host 5, bank 6, cards 7). */
export const REAL_TERMINAL = 'terminal:\n  id: T0000001\n  link: { kind: serial, path: /dev/ttyUSB9 }';

/** The simulated host where a real terminal can dial it: a fixed port (one line, like SIMULATED.host). */
export const REAL_HOST = 'host: { simulate: { listen: "0.0.0.0:5000" } }';

/** The simulated rig with some parts replaced. */
export function rigText(parts: Partial<typeof SIMULATED> = {}): string {
  const all = { ...SIMULATED, ...parts };
  return `${[all.name, all.terminal, all.host, all.bank, all.cards, all.extra].filter(Boolean).join('\n')}\n`;
}

/** Writes the text to a new rig file; returns its path. */
export function writeRig(text: string): string {
  const file = path.join(folder, `rig-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** The problem lines loading the text gives, the file named RIG; fails the test when it loads. */
export function problemsOf(text: string): string[] {
  const file = writeRig(text);
  try {
    loadRigFile(file);
  } catch (error) {
    assert.ok(error instanceof ConfigFileError, String(error));
    return error.problems.map((p) => p.replace(file, 'RIG'));
  }
  assert.fail('the rig file was accepted');
}

/** Fails the test unless the text loads. */
export function loads(text: string): void {
  assert.doesNotThrow(() => loadRigFile(writeRig(text)));
}

/** A shipped rig file's text, its relative paths made absolute, for a copy written to another folder. */
export function shippedRig(file: string): string {
  return readFileSync(file, 'utf8').replaceAll('../fixtures/', `${path.resolve('fixtures')}/`);
}
