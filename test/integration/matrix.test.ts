// `posrig matrix` as a user meets it: on posrig's own features (every @req id exists, the four signals covered, the
// English and Chinese twins declaring the same), and against the cucumber.json of a real run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Scenario, scenariosIn } from '../../reporting/matrix/index.ts';
import { SCENARIO_REQUIREMENT_IDS } from '../../rigs/certification/requirements.ts';
import { cliEnvironment, posrig as runPosrig } from '../support/cli.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-matrix-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function posrig(...args: string[]) {
  return runPosrig(args, 120_000);
}

/** The CSV's rows (no field of posrig's features has a line break): [family, requirement, …, results…]. */
function csvRows(csv: string): string[][] {
  return csv
    .split('\r\n')
    .slice(1, -1)
    .map((row) =>
      [...row.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => (m[1] as string).replace(/^"|"$/g, '')),
    );
}

describe('posrig matrix on the shipped features', () => {
  it('declares only requirements that exist, and covers the four signals', () => {
    const run = posrig('matrix', '--format', 'csv');
    assert.equal(run.code, 0, run.output);
    const rows = csvRows(run.stdout);
    for (const signal of ['signal-display', 'signal-receipt', 'signal-voice', 'signal-balances']) {
      const covering = rows.filter((r) => r[1] === signal);
      assert.ok(covering.length > 0, signal);
      assert.ok(
        covering.every((r) => r[4] === 'not run' && r[5]?.startsWith('features/')),
        `${signal}: covered by scenarios, none run`,
      );
    }
  });

  it('gives the English and Chinese twin of each scenario the same tags', async () => {
    const scenarios = await scenariosIn(['features/**/*.feature']);
    const byFile = new Map<string, Scenario[]>();
    for (const s of scenarios) byFile.set(s.uri, [...(byFile.get(s.uri) ?? []), s]);
    for (const [uri, english] of byFile) {
      if (uri.endsWith('.zh-CN.feature')) continue;
      const chinese = byFile.get(uri.replace(/\.feature$/, '.zh-CN.feature')) ?? [];
      assert.deepEqual(
        chinese.map((s) => s.tags),
        english.map((s) => s.tags),
        `${uri} and its zh-CN twin`,
      );
    }
    const declared = new Set(
      scenarios.flatMap((s) => s.tags.filter((t) => t.startsWith('@req:')).map((t) => t.slice(5))),
    );
    for (const id of declared) assert.ok(SCENARIO_REQUIREMENT_IDS.includes(id), id);
    assert.ok(
      scenarios.every(
        (s) => s.tags.some((t) => t.startsWith('@area:')) && s.tags.some((t) => t.startsWith('@severity:')),
      ),
      'every scenario has an area and a severity',
    );
  });

  it('lists the uncovered requirements at the end, and exits 1 for them with --fail-uncovered', () => {
    const run = posrig('matrix', '--fail-uncovered');
    assert.equal(run.code, 1, run.output);
    const lines = run.stdout.trimEnd().split('\n');
    const at = lines.findIndex((l) => /^Not covered by any scenario \(\d+\):$/.test(l));
    assert.ok(at > 0, run.stdout);
    assert.ok(lines.slice(at + 1).every((l) => /^ {2}[a-z-]+ {2}/.test(l)));
    assert.ok(!lines.slice(at + 1).some((l) => l.includes('signal-')));
  });

  it('refuses a bad format, a path without features, a results folder without cucumber.json and an output it cannot write in one line, exit 2', () => {
    for (const [args, message] of [
      [['--format', 'pdf'], 'posrig matrix: --format must be text, csv, html, got "pdf"'],
      [['features/nothing-here'], 'posrig matrix: features/nothing-here matches no feature file'],
      [['--reports', folder], `posrig matrix: ${folder}: no cucumber.json (run posrig run --reports ${folder})`],
      [['--output', '/proc/no/matrix.html'], 'posrig matrix: --output /proc/no/matrix.html: cannot write it (ENOENT)'],
    ] as const) {
      const run = posrig('matrix', ...args);
      assert.equal(run.code, 2, run.output);
      assert.deepEqual(run.lines, [message]);
    }
  });
});

describe('posrig matrix after a run', () => {
  const reports = path.join(folder, 'sim-serial');

  before(() => {
    const run = posrig('run', '--reports', reports, 'features/purchase/approved.feature');
    assert.equal(run.code, 0, run.output);
  });

  it('shows each scenario passed under the rig, and its requirements verified', () => {
    const run = posrig('matrix', '--reports', reports, '--format', 'csv', 'features/purchase');
    assert.equal(run.code, 0, run.output);
    const rows = csvRows(run.stdout);
    const header = run.stdout.split('\r\n')[0];
    assert.equal(header, 'family,requirement,clause,text,status,verified by,scenario,sim-serial');
    const approvedRows = rows.filter((r) => r[5]?.startsWith('features/purchase/approved.feature:'));
    assert.ok(approvedRows.length > 0);
    assert.ok(
      approvedRows.every((r) => r[7] === 'passed'),
      'every approved.feature scenario passed',
    );
    assert.ok(
      rows.filter((r) => r[5]?.startsWith('features/purchase/declined.feature:')).every((r) => r[7] === 'not run'),
    );
    const voice = rows.filter((r) => r[1] === 'signal-voice');
    assert.ok(
      voice.every((r) => r[4] === 'partly verified'),
      'signal-voice: passed where run, other features not run',
    );
    // approved.feature passed; its zh-CN twin, which declares the same, was not run
    const approval = rows.filter((r) => r[1] === 'approval-after-host');
    assert.deepEqual(
      approval.map((r) => [r[4], r[5], r[7]]),
      [
        ['partly verified', 'features/purchase/approved.feature:10', 'passed'],
        ['partly verified', 'features/purchase/approved.feature:23', 'passed'],
        ['partly verified', 'features/purchase/approved.feature:34', 'passed'],
        ['partly verified', 'features/purchase/approved.zh-CN.feature:10', 'not run'],
        ['partly verified', 'features/purchase/approved.zh-CN.feature:23', 'not run'],
        ['partly verified', 'features/purchase/approved.zh-CN.feature:34', 'not run'],
      ],
    );
  });

  it('writes a standalone HTML page with --output', () => {
    const file = path.join(folder, 'matrix.html');
    const run = posrig(
      'matrix',
      '--reports',
      reports,
      '--format',
      'html',
      '--output',
      file,
      'features/purchase/approved.feature',
    );
    assert.equal(run.code, 0, run.output);
    assert.equal(run.stdout, '');
    const html = readFileSync(file, 'utf8');
    assert.match(html, /<td class="ok">passed<\/td>/);
    assert.match(html, /<td class="ok"[^>]*>verified<\/td>/); // only approved.feature: every scenario of it passed
    assert.ok(html.includes('features/purchase/approved.feature:10'));
  });

  it('reads reports/ by itself when a run left its results there', () => {
    // a project folder of its own: the features, and the run's results where `posrig run` puts them by default
    const project = path.join(folder, 'project');
    mkdirSync(path.join(project, 'reports'), { recursive: true });
    symlinkSync(path.resolve('features'), path.join(project, 'features'));
    copyFileSync(path.join(reports, 'cucumber.json'), path.join(project, 'reports', 'cucumber.json'));
    const run = spawnSync(process.execPath, [path.resolve('bin/posrig.js'), 'matrix', '--format', 'csv'], {
      cwd: project,
      encoding: 'utf8',
      env: cliEnvironment(),
    });
    assert.equal(run.status, 0, run.stderr);
    const header = run.stdout.split('\r\n')[0];
    assert.equal(header, 'family,requirement,clause,text,status,verified by,scenario,reports');
    const approved = csvRows(run.stdout).filter((r) => r[5] === 'features/purchase/approved.feature:10');
    assert.ok(approved.length > 0 && approved.every((r) => r[7] === 'passed'), run.stdout);
  });
});
