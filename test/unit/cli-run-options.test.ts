import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeSelection, runSelection, UsageError, writesToStdout } from '../../cli/runOptions.ts';

const base = { rig: 'rigs/sim-serial.yaml', reports: 'reports' };

describe('posrig run options', () => {
  it('defaults: every configured feature, serial, no retry', () => {
    assert.deepEqual(runSelection(base, []), {
      paths: [],
      tags: '',
      names: [],
      dryRun: false,
      parallel: 0,
      shard: '',
      retry: 0,
      formats: [],
    });
  });

  it('takes cucumber options before or after --, and feature paths among them', () => {
    const selection = runSelection({ ...base, tags: ['@smoke'], format: ['pretty'] }, [
      'features/pin',
      '--tags',
      'not @slow',
      '--name=PIN',
      '--dry-run',
      '--parallel',
      '2',
      '--shard',
      '2/3',
      '--retry=1',
      'features/purchase/approved.feature:8',
      '--format',
      'message:reports/run.ndjson',
    ]);
    assert.deepEqual(selection, {
      paths: ['features/pin', 'features/purchase/approved.feature:8'],
      tags: '(@smoke) and (not @slow)',
      names: ['PIN'],
      dryRun: true,
      parallel: 2,
      shard: '2/3',
      retry: 1,
      formats: ['pretty', 'message:reports/run.ndjson'],
    });
  });

  it('refuses unknown options, bad numbers and shards, and two formatters on the terminal', () => {
    assert.throws(() => runSelection(base, ['--profile', 'ci']), UsageError);
    assert.throws(() => runSelection({ ...base, parallel: 'two' }), /--parallel takes a whole number/);
    assert.throws(() => runSelection({ ...base, retry: '-1' }), /--retry takes a whole number/);
    for (const shard of ['0/3', '4/3', '1-3', '1/0'])
      assert.throws(() => runSelection({ ...base, shard }), /--shard takes <index>\/<total>/);
    assert.throws(
      () => runSelection({ ...base, format: ['pretty', 'summary'] }),
      /only one formatter can write to the terminal/,
    );
    assert.throws(() => runSelection(base, ['--tags']), /'--tags' needs a value/);
  });

  it('knows which formats write to the terminal', () => {
    assert.equal(writesToStdout('pretty'), true);
    assert.equal(writesToStdout('@cucumber/pretty-formatter'), true);
    assert.equal(writesToStdout('"summary"'), true);
    assert.equal(writesToStdout('html:reports/x.html'), false);
    assert.equal(writesToStdout('"html":"reports/x.html"'), false);
    assert.equal(writesToStdout('file://./formatter.js'), true);
  });

  it('describes a selection for a "nothing selected" message', () => {
    const selection = runSelection(base, ['--tags', '@slow', '--shard', '2/3']);
    assert.equal(
      describeSelection(selection, ['features/**/*.feature']),
      'features/**/*.feature --tags "@slow" --shard 2/3',
    );
  });
});
