// `posrig explore` as a user meets it: on clean simulated firmware a few runs find nothing and the summary counts
// runs, transactions and faults; with a seeded defect (double-print) it finds a failure, shrinks it, writes a
// .feature that `posrig run` fails on the defective rig with a firmware-defect verdict and passes on the clean one,
// and --seed/--path replay the same failure (and say "no failure" on clean firmware). Usage errors, and a path that
// replays no run, are one line `posrig explore: …`, exit 2. On sim-virtual it reaches the defects that need a fault
// on the serial link (no-nak) or a power cut while a reversal is out (reversal-lost-in-flight), and the scenario it
// writes for each fails on the defect and passes on clean firmware.

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
    assert.equal(run.stdout.split('\n')[0], 'posrig explore: rig sim-serial, seed 1, 5 runs, simulated time');
    assert.match(
      run.stdout,
      /posrig explore: 5 runs, [1-9]\d* transactions, \d+ faults? injected, 0 failures \(seed 1,/,
    );
    assert.doesNotMatch(run.stdout, /shrinking/);
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
    assert.match(found.stdout, /^posrig explore: rig sim-serial-double-print, seed 1, 30 runs, simulated time\n/);
    assert.match(found.stdout, /\nfirmware defect: /m);
    assert.match(found.stdout, /posrig explore: \d+ runs? of 30 \+ \d+ shrinking runs?, .*, 1 failure \(seed 1,/);
    assert.match(found.stdout, /posrig explore: shrunk to sale\(\w+, \w+, \d+\.\d\d CNY/);
    assert.match(
      found.stdout,
      /run it: +npx posrig run --rig \S+ --reports \S+explore\/sim-serial-double-print-seed1 /,
    );
    const text = readFileSync(feature, 'utf8');
    assert.match(text, /\nFeature: Found by posrig explore on sim-serial-double-print \(seed 1\)\n/);
    assert.match(text, /\n {2}Scenario: the terminal prints a cardholder receipt for \S+ CNY — shortest sequence\n/);
    assert.match(
      text,
      /# {3}firmware defect: expected one cardholder copy, the terminal printed 2 not marked as reprints\n/,
    );
    assert.match(text, /\n {4}(Then|And) the terminal prints a cardholder receipt for /);
    assert.match(text, /@area:\w+ @severity:critical @req:signal-receipt/);
    assert.match(text, /# +npx posrig explore --rig \S+ --seed 1 --runs 30 --path "[\d:]+@[^"]*"/);
  });

  it("says the rig copy is a copy with the defects on, and writes the failed run's merged timeline", () => {
    assert.match(
      readFileSync(rig, 'utf8'),
      /^# A copy of rigs\/sim-serial.yaml made by posrig explore with the defects on: double-print\n/,
    );
    const timeline = readFileSync(said(found, /its timeline \(.*\): (\S+)/), 'utf8');
    for (const source of ['ecr', 'wire', 'iso', 'network'])
      assert.match(timeline, new RegExp(`^\\S+ +${source} `, 'm'));
    assert.match(timeline, /→ host MTI 0200/);
    assert.equal(timeline.match(/← print +cardholder copy/g)?.length, 2);
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
    assert.equal(replay.stdout.split('\n')[1], found.stdout.split('\n')[1]);
    assert.match(replay.stdout, new RegExp(`replayed 1 run \\(seed 1, path ${escaped(path_)}\\): it failed`));
  });

  it('--path on clean firmware replays the one run and says it did not fail', () => {
    const path_ = said(found, /--path "([^"]+)"/);
    const replay = posrig('explore', '--seed', '1', '--path', path_, '--reports', path.join(reports, 'fixed'));
    assert.equal(replay.code, 0, replay.output);
    assert.equal(
      replay.stdout.trim().split('\n').at(-1),
      `posrig explore: replayed 1 run (seed 1, path ${path_}): no failure`,
    );
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

/** Defects explore reaches only with a fault on the serial link or a power cut while a reversal is out: the rule its
 * failure names, what it shrinks to, the step of the written scenario that provokes it, the tag that step needs. */
const PATH_DEFECTS = [
  {
    defect: 'no-nak',
    rule: /\[link-nak\]/,
    shrunk: /^linkFault\((corrupt|truncate)\), \w+/,
    step: /\n {4}Given the next command reaches the terminal (damaged|cut short)\n/,
    needs: '@needs-serial-link',
  },
  {
    defect: 'reversal-lost-in-flight',
    rule: /reversal of STAN \d+/,
    shrunk: /^reversalPath\((lose|garble)-response, cut-power-reversing\), sale\(/,
    step: /\n {4}And the power will be cut while the terminal sends its reversal\n/,
    needs: '@needs-power',
  },
] as const;

for (const { defect, rule, shrunk, step, needs } of PATH_DEFECTS) {
  describe(`posrig explore against ${defect} on sim-virtual`, () => {
    let found: CliRun;
    let feature: string;
    let rig: string;

    before(() => {
      const folder = path.join(reports, defect);
      const args = ['--rig', 'rigs/sim-virtual.yaml', '--defect', defect, '--runs', '60', '--seed', '1'];
      found = posrig('explore', ...args, '--reports', folder);
      feature = said(found, /posrig explore: written (\S+\.feature)/);
      rig = said(found, /posrig explore: run it: +npx posrig run --rig (\S+) /);
    });

    it('finds it, shrinks it to the fault and the command it meets, and writes the step that provokes it', () => {
      assert.equal(found.code, 1, found.output);
      assert.match(found.stdout, new RegExp(`\nfirmware defect: .*${rule.source}`));
      assert.match(said(found, /posrig explore: shrunk to (.+)/), shrunk);
      const text = readFileSync(feature, 'utf8');
      assert.match(text, step);
      assert.match(text, new RegExp(`^@.* ${needs} `, 'm'));
    });

    it('the written scenario fails on the defective terminal, as a firmware defect', () => {
      const { run, total, culprits } = runFeature(rig, feature, `${defect}-defective`);
      assert.equal(run.code, 1, run.output);
      assert.equal(total, 1);
      assert.deepEqual(culprits, ['firmware defect']);
    });

    it('the written scenario passes on clean firmware', () => {
      const { run, total, culprits } = runFeature('rigs/sim-virtual.yaml', feature, `${defect}-clean`);
      assert.equal(run.code, 0, run.output);
      assert.equal(total, 1);
      assert.deepEqual(culprits, []);
    });
  });
}

describe('posrig explore refuses wrong words in one line, exit 2', () => {
  const replayLine = `; paths come from a failure's "replay it" line\\)$`;
  const cases: Array<[string[], RegExp]> = [
    [['--language', 'fr'], /^posrig explore: --language takes en or zh-CN, got "fr"$/],
    [['--defect', 'coffee-spill'], /^posrig explore: unknown defect coffee-spill \(known: no-reversal-on-timeout, /],
    [
      ['--defect', 'unmarked-reprnt'],
      /^posrig explore: unknown defect unmarked-reprnt: did you mean unmarked-reprint\?$/,
    ],
    [
      ['--defect', 'link-slow-ack'],
      /^posrig explore: defect link-slow-ack: no feature step provokes it; posrig conformance catches it$/,
    ],
    [['--runs', '0'], /^posrig explore: --runs: expected a positive whole number, got "0"$/],
    [['--path', '1:0'], /^posrig explore: --path replays a run of a seed: give --seed$/],
    [['--bogus'], /^posrig explore: unknown option '--bogus' \(see posrig explore --help\)$/],
    [['extra', 'words'], /^posrig explore: too many arguments for 'explore'\. .* \(see posrig explore --help\)$/],
    [
      ['--seed', '1', '--path', '999:9:9@ZZZ:V'],
      new RegExp(
        `^posrig explore: --path 999:9:9@ZZZ:V does not replay a run of seed 1 \\(its run 999 .*${replayLine}`,
      ),
    ],
    [
      ['--seed', '1', '--path', 'garbage'],
      new RegExp(`^posrig explore: --path garbage does not replay a run of seed 1 \\(.*${replayLine}`),
    ],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), () => {
      const run = posrig('explore', '--reports', path.join(reports, 'usage'), ...args);
      assert.equal(run.code, 2, run.output);
      assert.match(run.stderr.trim(), message);
      assert.equal(run.stdout, '');
      assert.ok(!existsSync(path.join(reports, 'usage')));
    });
  }

  it('a path that walks to no run of the seed', () => {
    const run = posrig('explore', '--seed', '1', '--path', '5:0', '--reports', path.join(reports, 'no-run'));
    assert.equal(run.code, 2, run.output);
    assert.match(
      run.stderr.trim(),
      new RegExp(`^posrig explore: --path 5:0 does not replay a run of seed 1 \\(.*${replayLine}`),
    );
  });
});

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
