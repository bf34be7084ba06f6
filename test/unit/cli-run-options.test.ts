import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BUILTIN_FORMATTERS,
  describeSelection,
  formatterName,
  runSelection,
  UsageError,
  writesToStdout,
} from '../../cli/runOptions.ts';

const base = { rig: 'rigs/sim-serial.yaml', reports: 'reports' };

describe('posrig run options', () => {
  it('defaults: every configured feature, serial, no retry, the behaviour monitor on', () => {
    assert.deepEqual(runSelection(base, []), {
      paths: [],
      tags: '',
      names: [],
      dryRun: false,
      parallel: 0,
      shard: '',
      retry: 0,
      formats: [],
      monitor: true,
      evidence: undefined,
      clock: undefined,
      reports: ['html', 'junit', 'json', 'allure'],
    });
  });

  it('--reports-only names the reports to write, comma-separated or repeated, in any order', () => {
    assert.deepEqual(runSelection({ ...base, reportsOnly: ['json'] }, []).reports, ['json']);
    assert.deepEqual(runSelection(base, ['--reports-only', 'allure,html']).reports, ['html', 'allure']);
    assert.deepEqual(runSelection({ ...base, reportsOnly: ['junit'] }, ['--reports-only=json']).reports, [
      'junit',
      'json',
    ]);
    assert.deepEqual(runSelection(base, ['--reports-only', ' json , json ']).reports, ['json']);
  });

  it('refuses a --reports-only naming something else, naming the four and the value', () => {
    assert.throws(
      () => runSelection(base, ['--reports-only', 'json,jnuit']),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message ===
          '--reports-only takes html, junit, json, allure (comma-separated: the reports to write), got "jnuit"',
    );
    assert.throws(() => runSelection({ ...base, reportsOnly: [''] }, []), /--reports-only takes .* got ""/);
  });

  it('--evidence failed | all | none, as an option or after --; absent it leaves the choice to the rig file', () => {
    assert.equal(runSelection({ ...base, evidence: 'all' }, []).evidence, 'all');
    assert.equal(runSelection(base, ['--evidence', 'none']).evidence, 'none');
    assert.equal(runSelection(base, ['--evidence', 'failed', 'features/pin']).evidence, 'failed');
    assert.equal(runSelection({ ...base, evidence: 'failed' }, ['--evidence=all']).evidence, 'all');
    assert.deepEqual(runSelection(base, ['--evidence', 'all', 'features/pin']).paths, ['features/pin']);
    assert.equal(runSelection(base, []).evidence, undefined);
  });

  it('refuses an --evidence other than failed, all or none, naming the option and the value', () => {
    assert.throws(
      () => runSelection({ ...base, evidence: 'some' }, []),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message ===
          '--evidence takes failed, all or none (pictures of the screen and receipt for which scenarios), got "some"',
    );
    assert.throws(() => runSelection(base, ['--evidence']), /option '--evidence' needs a value/);
  });

  it('--no-monitor switches the behaviour monitor off, as an option or after --', () => {
    assert.equal(runSelection({ ...base, monitor: false }, []).monitor, false);
    assert.equal(runSelection(base, ['--no-monitor', 'features/pin']).monitor, false);
    assert.deepEqual(runSelection(base, ['--no-monitor', 'features/pin']).paths, ['features/pin']);
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
      monitor: true,
      evidence: undefined,
      clock: undefined,
      reports: ['html', 'junit', 'json', 'allure'],
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

  it('refuses --parallel 0: given, it is a number of workers, 1 or more', () => {
    for (const parallel of ['0', '00', '-1', '1.5'])
      assert.throws(
        () => runSelection({ ...base, parallel }),
        new UsageError(`--parallel takes a whole number of workers (1 or more), got "${parallel}"`),
      );
    assert.throws(() => runSelection(base, ['--parallel=0']), /--parallel takes a whole number of workers/);
    assert.equal(runSelection({ ...base, parallel: '1' }).parallel, 1);
    assert.equal(runSelection(base).parallel, 0, 'not given: the run stays in this process');
  });

  it('refuses a formatter cucumber does not have, naming its own', () => {
    assert.deepEqual(BUILTIN_FORMATTERS.slice().sort(), [
      'html',
      'json',
      'junit',
      'message',
      'pretty',
      'progress',
      'progress-bar',
      'rerun',
      'snippets',
      'summary',
      'usage',
      'usage-json',
    ]);
    for (const format of ['nosuch', 'nosuch:reports/x.txt', './no-such-formatter.js', '"nosuch":"x.txt"'])
      assert.throws(
        () => runSelection(base, ['--format', format]),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, /^--format .+: there is no formatter ".+" \(cucumber's: html, junit, pretty, /);
          assert.match(error.message, /progress-bar, .*summary, usage/);
          assert.doesNotMatch(error.message, /\n/);
          return true;
        },
      );
    // Cucumber's names, an installed package and a module that is there are all fine.
    const formats = ['usage-json:reports/u.json', '@cucumber/pretty-formatter', './cli/runOptions.ts:x.txt'];
    assert.deepEqual(
      runSelection(
        base,
        formats.flatMap((f) => ['--format', f]),
      ).formats,
      formats,
    );
  });

  it('reads the formatter out of a format descriptor as cucumber does', () => {
    assert.equal(formatterName('pretty'), 'pretty');
    assert.equal(formatterName('message:reports/run.ndjson'), 'message');
    assert.equal(formatterName('"html":"C:/reports/x.html"'), 'html');
    assert.equal(formatterName('json:"reports/a:b.json"'), 'json');
    assert.equal(formatterName('file:///tmp/f.js:out.txt'), 'file:///tmp/f.js');
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
