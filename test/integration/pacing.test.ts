// The harness paces itself to the terminal: a simulated terminal that takes 300 ms to read a card (and stays in its
// `card` state meanwhile, refusing a PIN) still gets its approved purchases, the PIN typed once it asks for it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { posrig } from '../support/cli.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-pacing-'));

/** An in-process simulated rig whose terminal reads a card in `cardReadMs`. */
function slowReaderRig(cardReadMs: number): string {
  const rig = path.join(folder, `card-read-${cardReadMs}.yaml`);
  writeFileSync(
    rig,
    [
      `name: card-read-${cardReadMs}`,
      'terminal:',
      '  id: T0000001',
      '  link: { kind: serial, path: "mock:/dev/ttyPacing", baudRate: 115200 }',
      `  simulate: { language: zh-CN, cardReadMs: ${cardReadMs} }`,
      'host:',
      '  simulate: { ledger: ":memory:" }',
      'bank: { probe: simulator }',
      `cards: ${path.resolve('fixtures/cards.yaml')}`,
      '',
    ].join('\n'),
  );
  return rig;
}

describe('pacing to the terminal', () => {
  it('a terminal that takes 300 ms to read a card passes the approved purchases', () => {
    const rig = slowReaderRig(300);
    const reports = path.join(folder, 'reports');
    const run = posrig(
      ['run', '--rig', rig, '--reports', reports, '--', 'features/purchase/approved.feature'],
      120_000,
    );
    assert.equal(run.code, 0, run.output);
    assert.match(run.stdout, /3 scenarios \(3 passed\)/);
  });
});
