// `posrig explore` as a user meets it: on clean simulated firmware a few runs find nothing and the summary counts
// runs, transactions and faults; with a seeded defect (double-print) it finds a failure, shrinks it, writes a
// .feature that `posrig run` fails on the defective rig with a firmware-defect verdict and passes on the clean one,
// and --seed/--path replay the same failure. Usage errors exit 2 before any rig starts.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { readCucumberJson } from '../../cli/selfcheckVerdicts.ts';
import { type CliRun, posrig as runPosrig } from '../support/cli.ts';

const reports = mkdtempSync(path.join(tmpdir(), 'posrig-explore-'));

function posrig(...args: string[]): CliRun {
  return runPosrig(args, 600_000);
}

/** The value a line of explore's output gives after a label ("written <file>"). */
function said(run: CliRun, pattern: RegExp): string {
  const found = pattern.exec(run.stdout)?.[1];
  assert.ok(found, `no ${pattern} in:\n${run.output}`);
  return found;
}

/** `posrig run` of one feature on a rig: its exit code and the culprits of its failed scenarios. */
function runFeature(rig: string, feature: string, name: string) {
  const folder = path.join(reports, name);
  const run = posrig('run', '--rig', rig, '--reports', folder, feature);
  const results = readCucumberJson(path.join(folder, 'cucumber.json'));
  return { run, total: results.total, culprits: results.failed.map((f) => f.culprit) };
}

describe('posrig explore on clean firmware', () => {
  it('finds nothing in a few runs and says how many transactions and faults it tried', () => {
    const run = posrig('explore', '--runs', '5', '--seed', '1', '--reports', path.join(reports, 'clean'));
    assert.equal(run.code, 0, run.output);
    assert.match(
      run.stdout,
      /posrig explore: 5 runs, [1-9]\d* transactions, \d+ faults injected, 0 failures \(seed 1,/,
    );
    assert.ok(!existsSync(path.join(reports, 'clean', 'explore', 'sim-serial-seed1.feature')));
  });
});

describe('posrig explore against a seeded defect (double-print)', () => {
  let found: CliRun;
  let feature: string;
  let rig: string;

  before(() => {
    found = posrig('explore', '--defect', 'double-print', '--runs', '30', '--seed', '1', '--reports', reports);
    feature = said(found, /posrig explore: written (\S+\.feature)/);
    rig = said(found, /posrig explore: run it: +npx posrig run --rig (\S+) /);
  });

  it('finds it, with a firmware-defect verdict, and writes the shrunk scenario', () => {
    assert.equal(found.code, 1, found.output);
    assert.match(found.stdout, /^firmware defect: /);
    assert.match(found.stdout, /1 failures \(seed 1,/);
    const text = readFileSync(feature, 'utf8');
    assert.match(text, /Feature: Found by posrig explore/);
    assert.match(text, /\n {4}(Then|And) the terminal prints a cardholder receipt for /);
    assert.match(text, /@area:\w+ @severity:critical @req:signal-receipt/);
    assert.match(text, /# +npx posrig explore --rig \S+ --seed 1 --path "[\d:]+@[^"]*"/);
  });

  it('the written scenario fails on the defective terminal, as a firmware defect', () => {
    const { run, total, culprits } = runFeature(rig, feature, 'run-defective');
    assert.equal(run.code, 1, run.output);
    assert.equal(total, 1);
    assert.deepEqual(culprits, ['firmware defect']);
  });

  it('the written scenario passes on clean firmware', () => {
    const { run, total, culprits } = runFeature('rigs/sim-serial.yaml', feature, 'run-clean');
    assert.equal(run.code, 0, run.output);
    assert.equal(total, 1);
    assert.deepEqual(culprits, []);
  });

  it('--seed and --path replay the same failure', () => {
    const path_ = said(found, /--path "([^"]+)"/);
    const replay = posrig(
      'explore',
      '--rig',
      rig,
      '--seed',
      '1',
      '--path',
      path_,
      '--reports',
      path.join(reports, 'r'),
    );
    assert.equal(replay.code, 1, replay.output);
    const shrunk = (run: CliRun) => said(run, /posrig explore: shrunk to (.+)/);
    assert.equal(shrunk(replay), shrunk(found));
    assert.equal(replay.stdout.split('\n')[0], found.stdout.split('\n')[0]);
  });

  it('writes it in Chinese with --language zh-CN, which fails on the defective terminal and passes on clean firmware', () => {
    const zh = posrig(
      ...['explore', '--defect', 'double-print', '--runs', '30', '--seed', '1', '--language', 'zh-CN'],
      ...['--reports', path.join(reports, 'zh')],
    );
    assert.equal(zh.code, 1, zh.output);
    const file = said(zh, /posrig explore: written (\S+\.zh-CN\.feature)/);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# language: zh-CN\n/);
    assert.match(text, /\n {4}(那么|而且)终端打印持卡人存根，金额/);
    assert.deepEqual(runFeature(rig, file, 'zh-defective').culprits, ['firmware defect']);
    assert.equal(runFeature('rigs/sim-serial.yaml', file, 'zh-clean').run.code, 0);
  });
});

describe('posrig explore refuses wrong words in one line, exit 2', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--language', 'fr'], /^posrig: --language takes en or zh-CN, got "fr"$/],
    [['--defect', 'coffee-spill'], /^posrig: unknown defect coffee-spill \(known: no-reversal-on-timeout, /],
    [['--runs', '0'], /^posrig: --runs: expected a positive whole number, got "0"$/],
    [['--path', '1:0'], /^posrig: --path replays a run of a seed: give --seed$/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), () => {
      const run = posrig('explore', '--reports', path.join(reports, 'usage'), ...args);
      assert.equal(run.code, 2, run.output);
      assert.match(run.stderr.trim(), message);
      assert.ok(!existsSync(path.join(reports, 'usage')));
    });
  }
});
