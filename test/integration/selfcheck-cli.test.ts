// `posrig selfcheck` as a user meets it: wrong arguments are one line and exit 2, before any run starts.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { posrig as runPosrig } from '../support/cli.ts';

const reports = mkdtempSync(path.join(tmpdir(), 'posrig-selfcheck-cli-'));

function posrig(...args: string[]) {
  return runPosrig(args, 60_000);
}

describe('posrig selfcheck', () => {
  it('offers --jobs, defaulting to the CPUs it may use (at most 4)', () => {
    const run = posrig('selfcheck', '--help');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /--jobs <n> +runs at a time \(default: "[1-4]"\)/);
  });

  for (const jobs of ['0', '-1', 'two', '1.5']) {
    it(`refuses --jobs ${jobs} in one line, before running anything`, () => {
      const run = posrig('selfcheck', '--reports', reports, `--jobs=${jobs}`);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(
        run.stderr.trim(),
        `posrig: --jobs must be a whole number of runs at a time (1 or more), got "${jobs}"`,
      );
      assert.deepEqual(readdirSync(reports), []);
    });
  }

  it('refuses an unknown defect, naming the known ones', () => {
    const run = posrig('selfcheck', '--reports', reports, '--defect', 'coffee-spill');
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^posrig: unknown defect coffee-spill \(known: no-reversal-on-timeout, .*stan-reused/);
    assert.deepEqual(readdirSync(reports), []);
  });
});
