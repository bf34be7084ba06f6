// `--evidence none` (the selfcheck's default) wins over the rig file's `evidence.pictures: all`: the scenario keeps
// its text evidence — voice prompts, each receipt as text, the timeline — and no picture is drawn.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { posrig } from '../support/cli.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-evidence-none-'));
after(() => rmSync(folder, { recursive: true, force: true }));

describe('posrig run --evidence none', () => {
  it('on sim-serial (evidence.pictures: all) attaches text evidence and no picture', () => {
    const reports = path.join(folder, 'reports');
    const result = posrig([
      'run',
      '--rig',
      'rigs/sim-serial.yaml',
      '--clock',
      'virtual',
      '--reports',
      reports,
      '--evidence',
      'none',
      '--name',
      '^Swiped card with PIN is approved$',
      '--',
      'features/purchase/approved.feature',
    ]);
    assert.equal(result.code, 0, result.output);
    const attachments = readdirSync(path.join(reports, 'allure-results')).filter((f) => f.includes('-attachment'));
    assert.ok(
      attachments.some((f) => f.endsWith('.txt')),
      `text evidence attached: ${attachments.join(', ')}`,
    );
    assert.deepEqual(
      attachments.filter((f) => f.endsWith('.png')),
      [],
      'no picture',
    );
  });
});
