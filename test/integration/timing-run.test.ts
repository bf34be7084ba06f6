// The terminal's own timings: on a copy of rigs/sim-serial.yaml whose terminal waits 5 s for the host (not 1.5 s),
// the network-fault features and the approved purchases pass unchanged — every delay and bound in them comes from the
// rig's terminal.timing, none is written into a feature.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { posrig } from '../support/cli.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-timing-'));

/** rigs/sim-serial.yaml with the terminal's response timeout set to `ms` (and its cards path made absolute). */
function simSerialWithResponseTimeout(ms: number): string {
  const original = readFileSync('rigs/sim-serial.yaml', 'utf8');
  const text = original
    .replace(/responseTimeoutMs: \d+/, `responseTimeoutMs: ${ms}`)
    .replace(/^cards: .*$/m, `cards: ${path.resolve('fixtures/cards.yaml')}`);
  assert.match(text, new RegExp(`timing: \\{[^}]*responseTimeoutMs: ${ms}`), 'sim-serial declares terminal.timing');
  const rig = path.join(folder, `sim-serial-${ms}.yaml`);
  writeFileSync(rig, text);
  return rig;
}

describe('a terminal with a 5 s response timeout', () => {
  it('passes the network faults (English and Chinese) and the approved purchases', () => {
    const rig = simSerialWithResponseTimeout(5000);
    const features = [
      'features/resilience/network.feature',
      'features/resilience/network.zh-CN.feature',
      'features/purchase/approved.feature',
    ];
    const run = posrig(['run', '--rig', rig, '--reports', path.join(folder, 'reports'), '--', ...features], 240_000);
    assert.equal(run.code, 0, run.output);
    assert.match(run.stdout, /17 scenarios \(17 passed\)/);
  });
});
