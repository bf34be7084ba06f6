// The certification matrix's computation and renderers (reporting/matrix), on small hand-made inputs.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  computeMatrix,
  csvField,
  declared,
  elementStatus,
  featuresRun,
  type Matrix,
  MatrixInputError,
  matrixCsv,
  matrixHtml,
  matrixText,
  type Requirement,
  type RigRun,
  readRigRuns,
  rigNameOf,
  scenarioKey,
  scenarioStatuses,
  scenariosOf,
  statusCounts,
  uncovered,
  writeMatrixFiles,
} from '../../reporting/matrix/index.ts';

const requirements: Requirement[] = [
  { id: 'signal-receipt', family: 'signal', clause: '§9 print', text: 'prints its copies' },
  { id: 'copy-once', family: 'monitor', clause: '§15.4', text: 'each copy is printed once, "reprints" marked' },
  { id: 'stan-reused', family: 'truth', clause: '§15.1, §15.3', text: 'a STAN is never reused' },
  { id: 'info-tid', family: 'monitor', clause: '§9 info', text: 'the TID in <info>' },
  { id: 'conformance/nak-bad-crc', family: 'conformance', clause: '§4.5', text: 'a bad CRC is NAKed' },
];

const FEATURE = `@needs-printer @area:receipts @req:signal-receipt
Feature: Reprints

  @severity:critical @req:copy-once
  Scenario: Paper out
    Given the card "alice" holds 500.00 CNY

  @req:stan-reused
  Scenario Outline: Reprint <n>
    Given the card "alice" holds 500.00 CNY

    Examples:
      | n |
      | 1 |
      | 2 |
`;

const scenarios = scenariosOf('features/receipts/reprint.feature', FEATURE);
const run = (
  rig: string,
  statuses: Record<string, RigRun['scenarios'] extends ReadonlyMap<string, infer S> ? S : never>,
) => ({ rig, scenarios: new Map(Object.entries(statuses)) }) satisfies RigRun;

describe('scenarios from feature files', () => {
  it('gives one scenario per example row, with the feature, scenario and examples tags', () => {
    assert.deepEqual(
      scenarios.map((s) => [s.line, s.name]),
      [
        [5, 'Paper out'],
        [14, 'Reprint 1'],
        [15, 'Reprint 2'],
      ],
    );
    assert.deepEqual(scenarios[0]?.tags, [
      '@needs-printer',
      '@area:receipts',
      '@req:signal-receipt',
      '@severity:critical',
      '@req:copy-once',
    ]);
    assert.deepEqual(declared(scenarios[1]?.tags ?? []), {
      requirements: ['signal-receipt', 'stan-reused'],
      area: 'receipts',
    });
  });

  it('reads a zh-CN feature', () => {
    const zh = scenariosOf(
      'x.zh-CN.feature',
      '# language: zh-CN\n@req:copy-once\n功能: 重打印\n  场景: 缺纸\n    假如卡"alice"余额为5.00元\n',
    );
    assert.deepEqual(zh, [{ uri: 'x.zh-CN.feature', line: 4, name: '缺纸', tags: ['@req:copy-once'] }]);
  });

  it('refuses a file Gherkin cannot parse, naming file and line', () => {
    assert.throws(
      () => scenariosOf('bad.feature', 'Feature: x\n  Scenario: y\n    Given a\n  nonsense here\n'),
      (error) => {
        assert.ok(error instanceof MatrixInputError);
        assert.match(error.message, /^bad\.feature:4: /);
        return true;
      },
    );
  });
});

describe('scenario results from cucumber.json', () => {
  it('fails a scenario on a failed step or hook, skips it on a skipped step, passes it otherwise', () => {
    const steps = (...statuses: string[]) => ({ line: 1, steps: statuses.map((status) => ({ result: { status } })) });
    assert.equal(elementStatus(steps('passed', 'passed')), 'passed');
    assert.equal(elementStatus(steps('passed', 'passed', 'failed')), 'failed'); // the After hook (truth, monitor)
    assert.equal(elementStatus(steps('passed', 'undefined', 'skipped')), 'failed');
    assert.equal(elementStatus(steps('skipped', 'skipped')), 'skipped');
    assert.equal(elementStatus(steps()), 'skipped');
  });

  it('keys a scenario by its file relative to the working folder, however the file was named', () => {
    const key = 'features/x.feature:9';
    assert.equal(scenarioKey('features/x.feature', 9), key);
    assert.equal(scenarioKey('./features/x.feature', 9), key);
    assert.equal(scenarioKey(path.resolve('features/x.feature'), 9), key);
    const outside = path.join(tmpdir(), 'lab', 'y.feature');
    assert.equal(scenarioKey(outside, 3), scenarioKey(path.relative(process.cwd(), outside), 3));
  });

  it('names the feature files a run ran, and none for what is not cucumber JSON', () => {
    const json = JSON.stringify([{ uri: 'features/a.feature', elements: [] }, { uri: 'features/b.feature' }]);
    assert.deepEqual(featuresRun(json), ['features/a.feature', 'features/b.feature']);
    assert.deepEqual(featuresRun('{"not": "an array"}'), []);
    assert.deepEqual(featuresRun('not json'), []);
  });

  it('keys each scenario by uri and line, an outline row by its own line', () => {
    const json = JSON.stringify([
      {
        uri: 'features/receipts/reprint.feature',
        elements: [
          { type: 'scenario', line: 5, steps: [{ result: { status: 'passed' } }] },
          { type: 'scenario', line: 14, steps: [{ result: { status: 'failed' } }] },
        ],
      },
    ]);
    assert.deepEqual(
      [...scenarioStatuses(json, 'r/cucumber.json')],
      [
        ['features/receipts/reprint.feature:5', 'passed'],
        ['features/receipts/reprint.feature:14', 'failed'],
      ],
    );
  });

  it('refuses a file that is not cucumber JSON, naming it', () => {
    assert.throws(() => scenarioStatuses('{"a":1}', 'r/cucumber.json'), {
      name: 'MatrixInputError',
      message: 'r/cucumber.json: not cucumber JSON (expected an array of features)',
    });
    assert.throws(() => scenarioStatuses('[', 'r/cucumber.json'), /^MatrixInputError: r\/cucumber\.json: not JSON/);
  });
});

describe('the matrix', () => {
  it('lists, per requirement, the scenarios whose tags declare it; feature tags apply to every scenario', () => {
    const matrix = computeMatrix({ requirements, scenarios });
    const where = (id: string) => matrix.rows.find((r) => r.requirement.id === id)?.verifications.map((v) => v.where);
    assert.deepEqual(where('signal-receipt'), [
      'features/receipts/reprint.feature:5',
      'features/receipts/reprint.feature:14',
      'features/receipts/reprint.feature:15',
    ]);
    assert.deepEqual(where('copy-once'), ['features/receipts/reprint.feature:5']);
    assert.deepEqual(where('conformance/nak-bad-crc'), ['posrig conformance']);
  });

  it('without results: covered requirements not run, the others not covered', () => {
    const matrix = computeMatrix({ requirements, scenarios });
    assert.deepEqual(matrix.rigs, []);
    assert.deepEqual(
      matrix.rows.map((r) => [r.requirement.id, r.status]),
      [
        ['signal-receipt', 'not run'],
        ['copy-once', 'not run'],
        ['stan-reused', 'not run'],
        ['info-tid', 'not covered'],
        ['conformance/nak-bad-crc', 'not run'],
      ],
    );
    assert.deepEqual(
      uncovered(matrix).map((r) => r.id),
      ['info-tid'],
    );
  });

  it('verified when every run passed, failing when one failed, partly verified when some did not run', () => {
    const serial = run('sim-serial', {
      'features/receipts/reprint.feature:5': 'passed',
      'features/receipts/reprint.feature:14': 'passed',
      'features/receipts/reprint.feature:15': 'passed',
    });
    const pty = run('sim-pty', {
      'features/receipts/reprint.feature:5': 'passed',
      'features/receipts/reprint.feature:14': 'failed',
      'features/receipts/reprint.feature:15': 'skipped',
    });
    const matrix = computeMatrix({ requirements, scenarios, runs: [serial, pty] });
    const row = (id: string) => matrix.rows.find((r) => r.requirement.id === id);
    assert.deepEqual(matrix.rigs, ['sim-serial', 'sim-pty']);
    assert.equal(row('copy-once')?.status, 'verified');
    assert.equal(row('stan-reused')?.status, 'failing');
    assert.deepEqual(row('stan-reused')?.verifications[0]?.runs, ['passed', 'failed']);
    assert.equal(row('signal-receipt')?.status, 'failing');
    const onlySerialRan = computeMatrix({ requirements, scenarios, runs: [serial, run('sim-slow', {})] });
    assert.equal(onlySerialRan.rows.find((r) => r.requirement.id === 'copy-once')?.status, 'partly verified');
    assert.deepEqual(statusCounts(matrix), {
      verified: 1,
      'partly verified': 0,
      failing: 2,
      'not run': 1,
      'not covered': 1,
    });
  });

  it('takes a conformance requirement from the conformance run of each rig', () => {
    const conformance = new Map([['nak-bad-crc', 'passed' as const]]);
    const matrix = computeMatrix({ requirements, scenarios, runs: [{ ...run('sim-pty', {}), conformance }] });
    const row = matrix.rows.find((r) => r.requirement.family === 'conformance');
    assert.equal(row?.status, 'verified');
    assert.deepEqual(row?.verifications, [
      { where: 'posrig conformance', name: 'check nak-bad-crc', runs: ['passed'] },
    ]);
  });
});

const matrix: Matrix = computeMatrix({
  requirements,
  scenarios,
  runs: [
    run('sim-serial', {
      'features/receipts/reprint.feature:5': 'passed',
      'features/receipts/reprint.feature:14': 'failed',
    }),
  ],
});

describe('the text table', () => {
  const text = matrixText(matrix);
  const lines = text.split('\n');

  it('aligns its columns, family by family, one line per scenario', () => {
    const monitor = lines.indexOf('monitor: Behaviour monitor: the rules of docs/protocol.md (docs/monitor.md)');
    assert.ok(monitor > 0);
    const header = lines[monitor + 1] ?? '';
    const row = lines.find((l) => l.startsWith('  copy-once')) ?? '';
    assert.equal(row.indexOf('§15.4'), header.indexOf('clause'));
    assert.equal(row.indexOf('verified'), header.indexOf('status'));
    assert.equal(row.indexOf('passed'), header.indexOf('sim-serial'));
    assert.equal(row.indexOf('features/receipts/reprint.feature:5'), header.indexOf('scenario'));
    assert.match(lines[0] ?? '', /^Certification matrix: 5 requirements, 1 rig \(sim-serial\): .*1 not covered$/);
  });

  it('lists the uncovered requirements at the end', () => {
    const at = lines.indexOf('Not covered by any scenario (1):');
    assert.ok(at > 0);
    assert.match(lines[at + 1] ?? '', /^ {2}info-tid {2}§9 info {2}the TID in <info>$/);
  });
});

describe('the CSV', () => {
  it('quotes fields as RFC 4180 says', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('§15.1, §15.3'), '"§15.1, §15.3"');
    assert.equal(csvField('say "x"'), '"say ""x"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
  });

  it('has one row per requirement and scenario, one per uncovered requirement, CRLF line ends', () => {
    const csv = matrixCsv(matrix);
    assert.ok(csv.endsWith('\r\n'));
    const rows = csv.split('\r\n').slice(0, -1);
    assert.equal(rows[0], 'family,requirement,clause,text,status,verified by,scenario,sim-serial');
    assert.ok(
      rows.includes(
        'monitor,copy-once,§15.4,"each copy is printed once, ""reprints"" marked",verified,features/receipts/reprint.feature:5,Paper out,passed',
      ),
    );
    assert.ok(rows.includes('monitor,info-tid,§9 info,the TID in <info>,not covered,,,'));
    assert.equal(rows.length, 1 + 3 + 1 + 2 + 1 + 1);
  });
});

describe('the HTML page', () => {
  const html = matrixHtml(matrix, { title: 'nightly <2026-12-02>' });

  it('is a standalone page, escaped: an overview, then one section per family', () => {
    assert.match(html, /^<!doctype html>/);
    assert.ok(!/<script|<link|src=/.test(html), 'no script and no outside resource');
    assert.ok(html.includes('<title>nightly &#60;2026-12-02&#62;</title>'));
    assert.ok(html.includes('the TID in &#60;info&#62;'));
    assert.deepEqual(
      [...html.matchAll(/<section><h2>([^<]+)<\/h2>/g)].map((m) => m[1]?.split(':')[0]),
      ['Overview', 'Success signals', 'Behaviour monitor', 'Payment-truth invariant', 'ECR link conformance'],
    );
    assert.ok(html.includes('<td class="bad">failing</td><td>3 scenarios: 1 passed, 1 failed, 1 not run</td>'));
  });

  it('colours results and statuses, and highlights the uncovered requirements', () => {
    assert.ok(html.includes('<td class="ok">passed</td>'));
    assert.ok(html.includes('<td class="bad">failed</td>'));
    assert.ok(html.includes('<td class="bad" rowspan="2">failing</td>'));
    assert.match(html, /<tr class="uncovered"><td class="id" id="info-tid">info-tid<\/td>/);
    assert.ok(html.includes('<h2>Not covered by any scenario (1)</h2>'));
    assert.ok(html.includes('@media print'));
  });
});

describe('reading results folders and writing the pages', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'posrig-matrix-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('names each rig by its folder, reads its conformance.json, and writes matrix.html and matrix.csv', () => {
    const nightly = path.join(folder, 'nightly', 'sim-pty');
    writeMatrixFiles(nightly, matrix); // makes the folder
    writeFileSync(
      path.join(nightly, 'cucumber.json'),
      JSON.stringify([
        {
          uri: 'features/receipts/reprint.feature',
          elements: [{ type: 'scenario', line: 5, steps: [{ result: { status: 'passed' } }] }],
        },
      ]),
    );
    writeFileSync(
      path.join(nightly, 'conformance.json'),
      JSON.stringify({ rig: 'r', passed: false, checks: [{ id: 'nak-bad-crc', pass: false }] }),
    );
    const runs = readRigRuns([nightly]);
    assert.equal(runs[0]?.rig, 'sim-pty');
    assert.equal(runs[0]?.scenarios.get('features/receipts/reprint.feature:5'), 'passed');
    assert.equal(runs[0]?.conformance?.get('nak-bad-crc'), 'failed');
    const written = writeMatrixFiles(path.join(folder, 'report'), computeMatrix({ requirements, scenarios, runs }));
    assert.deepEqual(
      written.map((f) => path.basename(f)),
      ['matrix.html', 'matrix.csv'],
    );
    assert.match(
      readFileSync(written[1] as string, 'utf8'),
      /conformance,conformance\/nak-bad-crc,§4\.5,a bad CRC is NAKed,failing,posrig conformance,check nak-bad-crc,failed/,
    );
  });

  it('names the rig as posrig run recorded it in the Allure environment', () => {
    const reports = path.join(folder, 'reports');
    mkdirSync(path.join(reports, 'allure-results'), { recursive: true });
    writeFileSync(path.join(reports, 'cucumber.json'), '[]');
    writeFileSync(
      path.join(reports, 'allure-results', 'environment.properties'),
      'rig = sim-words\nrig.file = rigs/sim-words.yaml\n',
    );
    assert.equal(rigNameOf(reports), 'sim-words');
    const twice = readRigRuns([reports, reports]);
    assert.deepEqual(
      twice.map((r) => r.rig),
      [reports, reports],
    ); // the same rig twice: named by folder
  });

  it('refuses a folder without cucumber.json, naming it', () => {
    assert.throws(() => readRigRuns([path.join(folder, 'empty')]), {
      name: 'MatrixInputError',
      message: new RegExp(`^${folder}/empty: no cucumber.json`),
    } as never);
  });
});
