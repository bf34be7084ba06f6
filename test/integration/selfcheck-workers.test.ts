// The selfcheck's worker processes: one process runs `posrig run` after `posrig run` in itself, each on its own rig copy
// with its own reports and log, with the verdicts a process of its own gives (a defect in one run does not leak into
// the next); a selection the steps were not loaded for is refused; a worker that ended answers 1 and is replaced.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readCucumberJson } from '../../cli/selfcheckVerdicts.ts';
import { SelfcheckWorkers } from '../../cli/selfcheckWorkers.ts';
import { rigCopyText } from '../../rigs/file/rigCopy.ts';

const root = mkdtempSync(path.join(tmpdir(), 'posrig-selfcheck-workers-'));
const FEATURE = 'features/purchase/approved.feature';

/** A folder with a copy of rigs/sim-virtual.yaml, these defects on. */
function runFolder(name: string, defects: string[]): { folder: string; rig: string; log: string } {
  const folder = path.join(root, name);
  mkdirSync(folder, { recursive: true });
  const rig = path.join(folder, 'rig.yaml');
  writeFileSync(rig, rigCopyText('rigs/sim-virtual.yaml', { name: `sim-virtual-${name}`, defects }));
  return { folder, rig, log: path.join(folder, 'run.log') };
}

function runArgs(run: { folder: string; rig: string }, ...paths: string[]): string[] {
  return ['run', '--rig', run.rig, '--reports', run.folder, '--evidence', 'failed', '--', ...paths];
}

describe('selfcheck workers', () => {
  const workers = new SelfcheckWorkers();
  after(() => workers.close());

  it('runs clean, defective, clean firmware in one process, each with its own verdicts, reports and log', async () => {
    const worker = workers.take();
    const plan = [
      { name: 'clean-1', defects: [] as string[], exitCode: 0 },
      { name: 'double-print', defects: ['double-print'], exitCode: 1 },
      { name: 'clean-2', defects: [] as string[], exitCode: 0 },
    ];
    for (const step of plan) {
      const run = runFolder(step.name, step.defects);
      const code = await worker.posrig(runArgs(run, FEATURE), run.log);
      const log = readFileSync(run.log, 'utf8');
      assert.equal(code, step.exitCode, log);
      assert.match(log, new RegExp(`posrig run: rig ${run.rig.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, reports in`));
      assert.match(log, /3 scenarios \(/);
      const results = readCucumberJson(path.join(run.folder, 'cucumber.json'));
      assert.equal(results.total, 3);
      if (step.exitCode === 0) assert.deepEqual(results.failed, []);
      else {
        assert.ok(results.failed.length > 0);
        for (const failed of results.failed) assert.equal(failed.culprit, 'firmware defect', failed.message);
      }
    }
    assert.ok(worker.alive);
    workers.giveBack(worker, { fresh: false });
    assert.equal(workers.started, 1);
  });

  it('refuses, in that process, a selection other than the one its steps were loaded for', async () => {
    const worker = workers.take();
    const run = runFolder('other-selection', []);
    const code = await worker.posrig(runArgs(run, 'features/pin/wrong-pin.feature'), run.log);
    assert.equal(code, 2);
    assert.match(readFileSync(run.log, 'utf8'), /^posrig run: this process loaded the steps for another selection/m);
    workers.giveBack(worker, { fresh: true });
  });

  it('answers 1 for a worker that has ended, and starts a fresh one for the next command', async () => {
    const ended = workers.take();
    await ended.stop();
    assert.equal(ended.alive, false);
    const run = runFolder('ended', []);
    assert.equal(await ended.posrig(runArgs(run, FEATURE), run.log), 1);
    assert.match(readFileSync(run.log, 'utf8'), /the worker process has ended/);
    workers.giveBack(ended, { fresh: false });
    const before = workers.started;
    const fresh = workers.take();
    assert.equal(workers.started, before + 1);
    const code = await fresh.posrig(runArgs(run, FEATURE), run.log);
    assert.equal(code, 0, readFileSync(run.log, 'utf8'));
    workers.giveBack(fresh, { fresh: false });
  });
});
