// Allure as a lab meets it: every `posrig run` writes Allure results (labels from the tags, the rig as parent suite,
// the culprit categories, the environment with the terminal's own info), `posrig report` builds the report folder and
// the single file and carries the trend history, the categories tell a firmware defect, a rig fault and a scenario
// error apart, `posrig nightly` runs several rigs into one report, and the report shows all of it in Chromium.
// One browser for the whole file, closed in `after`; the report is served over a local HTTP server (Allure loads its
// data with XHR).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { JAVA_MISSING } from '../../reporting/allure/allureReport.ts';
import { launchOptions } from '../../reporting/pictures/pictureRenderer.ts';
import { type CliRun, posrig, startPosrig } from '../support/cli.ts';
import { shippedRig } from '../support/rigText.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-allure-'));

function write(name: string, text: string): string {
  const file = path.join(folder, name);
  writeFileSync(file, text);
  return file;
}

const PURCHASE = `
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"`;

/** Two passing scenarios: one whose tags map to Allure labels, one with a tag that maps to none. */
const TAGGED = write(
  'tagged.feature',
  `@area:purchase
Feature: tagged purchases
  @severity:critical @req:stan-new
  Scenario: a tagged purchase${PURCHASE}
    Then the terminal shows "交易成功"

  @needs-pin
  Scenario: a purchase without a severity${PURCHASE}
    Then the transaction is approved
`,
);

/** One failure of each culprit; the second is found only after the steps, by the behaviour monitor. */
const CULPRITS = write(
  'culprits.feature',
  `Feature: one failure of each culprit
  Scenario: a display that never comes${PURCHASE}
    Then the terminal shows "this text is never shown"

  Scenario: receipts in the wrong order${PURCHASE}
    Then the terminal shows "交易成功"

  Scenario: an unknown card
    Given the card "zed" holds 500.00 CNY

  Scenario: no backup host to fail over to
    Given the primary host refuses connections
`,
);

/** sim-serial seeded with a defect the monitor finds after the steps, without a backup host, named allure-lab. */
const DEFECT_RIG = write(
  'allure-lab.yaml',
  shippedRig('rigs/sim-serial.yaml')
    .replace(/^name: .*$/m, 'name: allure-lab')
    .replace('simulate: { language: zh-CN }', 'simulate: { language: zh-CN, defects: [cardholder-copy-first] }')
    .replace(/^\s*backup: direct.*\n/m, ''),
);

interface AllureResult {
  readonly name: string;
  readonly status: string;
  readonly statusDetails?: { message?: string };
  readonly labels: { name: string; value: string }[];
}

function results(resultsDir: string): Map<string, AllureResult> {
  const files = readdirSync(resultsDir).filter((f) => f.endsWith('-result.json'));
  const all = files.map((f) => JSON.parse(readFileSync(path.join(resultsDir, f), 'utf8')) as AllureResult);
  return new Map(all.map((r) => [r.name, r]));
}

function labels(result: AllureResult | undefined, name: string): string[] {
  return (result?.labels ?? []).filter((l) => l.name === name).map((l) => l.value);
}

function json<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

const tagged = path.join(folder, 'tagged');
const culprits = path.join(folder, 'culprits');

describe('Allure results and report', () => {
  it('a run on rigs/sim-serial.yaml writes results with tag labels, the rig, categories and the terminal tested', () => {
    const run = posrig(['run', '--rig', 'rigs/sim-serial.yaml', '--reports', tagged, TAGGED]);
    assert.equal(run.code, 0, run.output);
    const allure = path.join(tagged, 'allure-results');
    const found = results(allure);
    assert.deepEqual([...found.keys()].sort(), ['a purchase without a severity', 'a tagged purchase']);
    const first = found.get('a tagged purchase');
    assert.deepEqual(labels(first, 'epic'), ['purchase']);
    assert.deepEqual(labels(first, 'severity'), ['critical']);
    assert.deepEqual(labels(first, 'story'), ['stan-new']);
    assert.deepEqual(labels(first, 'parentSuite'), ['sim-serial']);
    assert.deepEqual(labels(first, 'suite'), ['tagged purchases']);
    const second = found.get('a purchase without a severity');
    assert.deepEqual(labels(second, 'severity'), []);
    assert.deepEqual(labels(second, 'epic'), ['purchase']); // the feature's tag
    assert.deepEqual(labels(second, 'tag'), ['@needs-pin']);
    const names = json<{ name: string }[]>(path.join(allure, 'categories.json')).map((c) => c.name);
    assert.deepEqual(names, ['Firmware defects', 'Rig faults', 'Scenario errors', 'Other failures']);
    const environment = readFileSync(path.join(allure, 'environment.properties'), 'utf8');
    for (const line of ['rig = sim-serial', 'rig.file = rigs/sim-serial.yaml', 'terminal.model = posrig-sim'])
      assert.ok(environment.includes(`${line}\n`), `${line} in\n${environment}`);
    assert.match(environment, /^terminal\.firmware = 0\.1\.0$/m);
    assert.match(environment, /^terminal\.serial = SIM-T0000001$/m);
    assert.match(environment, /^git\.revision = (?:[0-9a-f]{7,}(?:-dirty)?|unknown)$/m);
    assert.match(
      json<{ buildName: string }>(path.join(allure, 'executor.json')).buildName,
      /^sim-serial \d{4}-\d{2}-\d{2}$/,
    );
  });

  it('each failure carries its culprit, a failure found after the steps too, and the report groups them by it', () => {
    const run = posrig(['run', '--rig', DEFECT_RIG, '--reports', culprits, CULPRITS]);
    assert.equal(run.code, 1, run.output);
    const found = results(path.join(culprits, 'allure-results'));
    const firstWords = (name: string) => found.get(name)?.statusDetails?.message?.split(':')[0];
    assert.equal(firstWords('a display that never comes'), 'firmware defect');
    assert.equal(firstWords('receipts in the wrong order'), 'firmware defect');
    assert.equal(firstWords('an unknown card'), 'scenario error');
    assert.equal(firstWords('no backup host to fail over to'), 'rig fault');
    for (const result of found.values()) assert.ok(['failed', 'broken'].includes(result.status), result.name);

    const report = posrig(['report', '--reports', culprits]);
    assert.equal(report.code, 0, report.output);
    const page = readFileSync(path.join(culprits, 'allure-report', 'index.html'), 'utf8');
    assert.doesNotMatch(page, /googletagmanager/, 'a report handed to a lab calls out to no analytics');
    assert.match(page, /href="matrix\.html"/, 'the certification matrix linked from the page');
    const single = readFileSync(path.join(culprits, 'allure-report-single', 'index.html'), 'utf8');
    assert.ok(single.includes('receipts in the wrong order') || single.length > 100_000, 'a self-contained report');
    // categories › failure messages › scenarios
    const categories = json<{ children: { name: string; children: { children: { name: string }[] }[] }[] }>(
      path.join(culprits, 'allure-report', 'data', 'categories.json'),
    );
    const byCategory = new Map(
      categories.children.map((c) => [c.name, c.children.flatMap((m) => m.children.map((s) => s.name)).sort()]),
    );
    assert.deepEqual(
      byCategory,
      new Map([
        ['Firmware defects', ['a display that never comes', 'receipts in the wrong order']],
        ['Scenario errors', ['an unknown card']],
        ['Rig faults', ['no backup host to fail over to']],
      ]),
    );
  });

  it('a second run and report carry the first report history: the trend has two entries', () => {
    const first = posrig(['report', '--reports', tagged]);
    assert.equal(first.code, 0, first.output);
    const trend = path.join(tagged, 'allure-report', 'history', 'history-trend.json');
    assert.equal(json<unknown[]>(trend).length, 1);
    const again = posrig(['run', '--rig', 'rigs/sim-serial.yaml', '--reports', tagged, `${TAGGED}:4`]);
    assert.equal(again.code, 0, again.output);
    // the results folder was emptied: only this run's scenario is in it
    assert.deepEqual([...results(path.join(tagged, 'allure-results')).keys()], ['a tagged purchase']);
    const second = posrig(['report', '--reports', tagged]);
    assert.equal(second.code, 0, second.output);
    assert.equal(json<unknown[]>(trend).length, 2);
  });

  it('says in one line when there are no results to report, or no Java to report them with', async () => {
    const none = posrig(['report', '--reports', path.join(folder, 'never-ran')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr.trim(), /^posrig report: no Allure results folder \S+never-ran\/allure-results \(.+\)$/);
    const noJava = await startPosrig(['report', '--reports', tagged], { JAVA_HOME: path.join(folder, 'no-java') }).done;
    assert.equal(noJava.code, 2);
    assert.equal(noJava.stderr.trim(), `posrig report: ${JAVA_MISSING}`);
  });
});

describe('posrig nightly', () => {
  it('runs each rig into its own folder, says one line per rig and builds one report over all; a failure fails it', async () => {
    const feature = write(
      'nightly.feature',
      `Feature: nightly\n  Scenario: passes${PURCHASE}\n    Then the terminal shows "交易成功"\n\n  Scenario: fails${PURCHASE}\n    Then the terminal shows "never"\n`,
    );
    const reports = path.join(folder, 'nightly');
    const output = path.join(folder, 'nightly-report');
    const run = await nightly([
      '--reports',
      reports,
      '--output',
      output,
      '--only',
      'sim-serial',
      '--only',
      'sim-words',
      feature,
    ]);
    assert.equal(run.code, 1, run.output);
    const lines = run.stdout.trim().split('\n');
    for (const rig of ['sim-serial', 'sim-words'])
      assert.ok(
        lines.includes(`nightly: ${rig}: 1 passed, 1 failed, 0 skipped (exit 1, log ${reports}/${rig}/run.log)`),
        run.output,
      );
    assert.ok(
      lines.includes(
        `nightly: report ${output}/index.html and ${output}-single/index.html; certification matrix ${output}/matrix.html`,
      ),
      run.output,
    );
    // rig › feature › scenarios: the same scenarios on two rigs are two tests each, not one and its retry
    type Node = { name: string; children?: Node[] };
    const suites = json<Node>(path.join(output, 'data', 'suites.json'));
    const scenariosOf = (rig: Node) =>
      (rig.children ?? []).flatMap((f) => (f.children ?? []).map((s) => s.name)).sort();
    assert.deepEqual(
      new Map((suites.children ?? []).map((rig) => [rig.name, scenariosOf(rig)])),
      new Map([
        ['sim-serial', ['fails', 'passes']],
        ['sim-words', ['fails', 'passes']],
      ]),
    );
  });

  it('refuses a rig that is not one of the night, naming the ones there are', async () => {
    const run = await nightly(['--only', 'lab-moon']);
    assert.equal(run.code, 2, run.output);
    assert.match(
      run.stderr.trim(),
      /^posrig nightly: --only: no nightly rig lab-moon \(the rigs: sim-agent, .*sim-serial.*\)$/,
    );
  });
});

/** `posrig nightly …` (spawned: its rigs' runs take a while). */
function nightly(args: readonly string[]): Promise<CliRun> {
  return startPosrig(['nightly', ...args]).done;
}

describe('the Allure report in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let base = '';

  before(async () => {
    // the report of the culprits run (built by the test above, or here when this part runs alone)
    const report = path.join(culprits, 'allure-report');
    if (!existsSync(path.join(report, 'index.html'))) {
      assert.equal(posrig(['run', '--rig', DEFECT_RIG, '--reports', culprits, CULPRITS]).code, 1);
      assert.equal(posrig(['report', '--reports', culprits]).code, 0);
    }
    server = serve(report);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
    browser = await chromium.launch(launchOptions());
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('shows the environment with the rig and the firmware, the three culprit categories and every scenario', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    const environment = page.locator('[data-id="environment"]');
    await environment.getByText('allure-lab', { exact: true }).waitFor();
    await environment.getByText('Show all').click();
    const shown = (await environment.textContent()) ?? '';
    assert.match(shown, /terminal\.firmware\s*0\.1\.0/);
    assert.match(shown, /terminal\.model\s*posrig-sim/);
    const categories = page.locator('[data-id="categories"]');
    for (const name of ['Firmware defects', 'Rig faults', 'Scenario errors'])
      await categories.getByText(name, { exact: true }).waitFor();

    await page.goto(`${base}#suites`);
    await page.getByText('allure-lab', { exact: true }).click();
    await page.getByText('one failure of each culprit', { exact: true }).click();
    for (const scenario of [
      'a display that never comes',
      'receipts in the wrong order',
      'an unknown card',
      'no backup host to fail over to',
    ])
      await page.getByText(scenario, { exact: true }).waitFor();
    await page.close();
  });

  it('shows a display picture and a receipt picture on the steps that produced them, and links the matrix', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}#suites`);
    await page.getByText('allure-lab', { exact: true }).click();
    await page.getByText('one failure of each culprit', { exact: true }).click();
    await page.getByText('a display that never comes', { exact: true }).click();
    // the step that waited while the terminal approved and printed (it failed when the result came without the
    // awaited text): what the terminal showed and printed meanwhile is attached to it, not to the scenario
    const step = page
      .locator('.step__name')
      .filter({ hasText: /^Then the terminal shows "this text is never shown"$/ })
      .first()
      .locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' step ')][1]");
    await step.locator('.step__title').first().click();
    for (const picture of [/display \d\d:\d\d:\d\d\.\d{3}\.png/, /receipt cardholder copy .*\.png/]) {
      const row = step.locator('.attachment-row').filter({ hasText: picture }).first();
      await row.click();
      const image = row.locator('xpath=..').locator('img').first();
      await image.waitFor();
      await page.waitForFunction((img) => (img as HTMLImageElement).complete, await image.elementHandle());
      const width = await image.evaluate((img) => (img as HTMLImageElement).naturalWidth);
      assert.ok(width > 100, `a picture ${width} px wide`);
    }
    // the certification matrix, linked from the report's page
    await page.locator('#posrig-matrix').click();
    await page.getByText('signal-display', { exact: true }).first().waitFor();
    await page.close();
  });
});

/** A tiny static file server for a report folder. */
function serve(root: string): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://report');
    const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''));
    readFile(file).then(
      (body) => {
        response.writeHead(200, { 'content-type': MEDIA_TYPES[path.extname(file)] ?? 'application/octet-stream' });
        response.end(body);
      },
      () => {
        response.writeHead(404);
        response.end();
      },
    );
  });
}

const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};
