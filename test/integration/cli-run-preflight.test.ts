// `posrig run` refuses to go green by accident: a path, line, tag or step that selects or means nothing, a typo
// Gherkin would swallow, an unwritable reports folder — each is one line `posrig run: …` and exit code 2.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { loadConfiguration } from '@cucumber/cucumber/api';
import { runSelection } from '../../cli/runOptions.ts';
import { preflight, RunProblems } from '../../cli/runPreflight.ts';
import { posrig as runPosrig } from '../support/cli.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-preflight-'));
const reports = path.join(folder, 'reports');

function posrig(...args: string[]) {
  return runPosrig(args, 60_000);
}

/** A feature file in the temp folder; the path as posrig names it (relative to the working directory). */
function feature(name: string, text: string): string {
  const file = path.join(folder, name);
  writeFileSync(file, text);
  return path.relative(process.cwd(), file);
}

const clean = feature(
  'clean.feature',
  `Feature: Clean wording
  Scenario: Swiped card
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    Then the terminal shows "交易成功"
`,
);

describe('posrig run: nothing green by accident', () => {
  it('prints the version of package.json', () => {
    const run = posrig('--version');
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('a feature path that matches nothing is exit 2, one line', () => {
    const run = posrig('run', '--dry-run', '--reports', reports, 'features/nope.feature');
    assert.equal(run.code, 2);
    assert.deepEqual(run.lines, ['posrig run: features/nope.feature matches no feature file']);
  });

  it('a file:line with no scenario at that line is exit 2, naming the lines that have one', () => {
    const run = posrig('run', '--dry-run', '--reports', reports, `${clean}:3`);
    assert.equal(run.code, 2);
    assert.deepEqual(run.lines, [`posrig run: ${clean}:3: no scenario at line 3 (scenarios start at lines 2)`]);
  });

  it('a tag that selects nothing is exit 2, also when the options come after --', () => {
    for (const args of [
      ['--tags', '@no-such-tag', clean],
      ['--', '--tags', '@no-such-tag', clean],
    ]) {
      const run = posrig('run', '--dry-run', '--reports', reports, ...args);
      assert.equal(run.code, 2, run.stderr);
      assert.deepEqual(run.lines, [
        `posrig run: no scenario to run: ${clean} --tags "@no-such-tag" selects none of the 1 scenarios there`,
      ]);
    }
  });

  it('an undefined step under --dry-run is exit 2 with the closest defined steps, never a snippet', () => {
    const typo = feature(
      'typo.feature',
      `Feature: A typo
  Scenario: Sale
    Given the card "alice" holds 500.00 CNY
    When the merchant start a sale of 100.00 CNY
`,
    );
    const run = posrig('run', '--dry-run', '--reports', reports, typo);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.deepEqual(run.lines, [
      `posrig run: ${typo}:4: undefined step "the merchant start a sale of 100.00 CNY"; did you mean: When the merchant starts a sale of <amount>`,
    ]);
  });

  it('a Chinese step with an ASCII comma where the step writes ， is undefined, with a hint', () => {
    const comma = feature(
      'comma.zh-CN.feature',
      `# language: zh-CN
功能: 标点
  场景: 刷卡
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    那么终端打印持卡人存根,金额100.00元
`,
    );
    const run = posrig('run', '--dry-run', '--reports', reports, comma);
    assert.equal(run.code, 2, run.stderr);
    assert.deepEqual(run.lines, [
      `posrig run: ${comma}:6: undefined step "终端打印持卡人存根,金额100.00元"; did you mean: 那么终端打印<word>存根，金额<amount> (it has an ASCII comma where the step writes a full-width ，)`,
    ]);
  });

  it('a dry run with every step defined is exit 0 and runs nothing', () => {
    const run = posrig('run', '--dry-run', '--reports', reports, clean);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /1 scenario \(1 skipped\)/);
    assert.match(readFileSync(path.join(reports, 'junit.xml'), 'utf8'), /<testsuite name="posrig sim-serial"/);
  });

  it('加入 for 假如: a step Gherkin would read as a description is exit 2', () => {
    const typo = feature(
      'jiaru.zh-CN.feature',
      `# language: zh-CN
功能: 关键字错别字
  场景: 刷卡
    加入卡"alice"余额为500.00元
    当商户发起消费100.00元
`,
    );
    const run = posrig('run', '--dry-run', '--reports', reports, typo);
    assert.equal(run.code, 2);
    assert.deepEqual(run.lines, [
      `posrig run: ${typo}:4: "加入" looks like a mistyped step keyword "假如": the line is read as a description and never runs`,
    ]);
  });

  it('场影: for 场景: is exit 2', () => {
    const typo = feature(
      'changying.zh-CN.feature',
      `# language: zh-CN
功能: 关键字错别字
  场景: 刷卡
    当商户发起消费100.00元

  场影: 插卡
    当商户发起消费1.00元
`,
    );
    const run = posrig('run', '--dry-run', '--reports', reports, typo);
    assert.equal(run.code, 2);
    assert.deepEqual(run.lines, [`posrig run: ${typo}:6: "场影:" looks like a mistyped "场景:"`]);
  });

  it('a feature file Gherkin cannot parse is exit 2 with file:line', () => {
    const broken = feature(
      'broken.feature',
      'Feature: Broken\n  Scenario: One\n    Given the merchant loads paper\n  Oops\n',
    );
    const run = posrig('run', '--dry-run', '--reports', reports, broken);
    assert.equal(run.code, 2);
    assert.equal(run.lines.length, 1);
    assert.match(run.stderr, new RegExp(`^posrig run: ${broken.replace(/\./g, '\\.')}:4: expected: .*got 'Oops'`));
  });

  it('a reports folder that cannot be written is exit 2, at once', () => {
    const file = feature('not-a-folder.txt', '');
    const unwritable = [path.join(file, 'reports'), ...(process.platform === 'linux' ? ['/proc/x'] : [])];
    for (const folder of unwritable) {
      const run = posrig('run', '--dry-run', '--reports', folder, clean);
      assert.equal(run.code, 2);
      assert.equal(run.lines.length, 1, run.stderr);
      assert.ok(run.lines[0]?.startsWith(`posrig run: reports folder ${folder} cannot be written (`), run.stderr);
      assert.match(run.stderr, /\((ENOENT|ENOTDIR|EACCES|EROFS)\)\n$/);
    }
  });

  it('simulated time on a rig with a part outside the process is refused in one line: --clock and the rig file', () => {
    const pty = posrig('run', '--dry-run', '--clock', 'virtual', '--rig', 'rigs/sim-pty.yaml', clean);
    assert.equal(pty.code, 2);
    assert.deepEqual(pty.lines, [
      'posrig run: rigs/sim-pty.yaml: clock: virtual needs every part of the rig simulated in posrig\'s process, and the terminal is reached at "pty:ttyPOS0" (socat runs on the wall clock); simulated time needs a "mock:NAME" serial path',
    ]);
    const rigFile = path.join(folder, 'virtual-lab.yaml');
    writeFileSync(
      rigFile,
      readFileSync('rigs/lab.example.yaml', 'utf8')
        .replace(/^name: .*$/m, (line) => `${line}\nclock: virtual`)
        .replace(/^cards: .*$/m, `cards: ${path.resolve('fixtures/cards.yaml')}`),
    );
    const lab = posrig('run', '--dry-run', '--rig', rigFile, clean);
    assert.equal(lab.code, 2);
    assert.equal(lab.lines.length, 1, lab.stderr);
    assert.match(
      lab.lines[0] ?? '',
      /clock: virtual needs every part of the rig simulated in posrig's process, and the terminal is a real one/,
    );
    // --clock virtual is judged before the rig's devices are looked for: the refusal, not "/dev/ttyUSB0 does not exist"
    const device = posrig('run', '--dry-run', '--clock', 'virtual', '--rig', 'rigs/lab.example.yaml', clean);
    assert.equal(device.code, 2);
    assert.deepEqual(device.lines, [
      "posrig run: rigs/lab.example.yaml: clock: virtual needs every part of the rig simulated in posrig's process, and the terminal is a real one (no terminal.simulate): it keeps its own time",
    ]);
    const typo = posrig('run', '--dry-run', '--clock', 'fast', clean);
    assert.equal(typo.code, 2);
    assert.deepEqual(typo.lines, [
      'posrig run: --clock takes real or virtual (the wall clock, or simulated time), got "fast"',
    ]);
  });

  it('an unknown option or a bad value is a usage error: exit 2, one line', () => {
    const unknown = posrig('run', '--tgas', '@smoke');
    assert.equal(unknown.code, 2);
    assert.deepEqual(unknown.lines, [
      `posrig run: unknown option '--tgas' (Did you mean --tags?) (see posrig run --help)`,
    ]);
    const shard = posrig('run', '--shard', '4/3');
    assert.equal(shard.code, 2);
    assert.deepEqual(shard.lines, [
      'posrig run: --shard takes <index>/<total> with 1 ≤ index ≤ total (e.g. 1/3), got "4/3"',
    ]);
  });

  it("an English step on a zh-CN scenario's first step line, or a Chinese one in an English file, is exit 2", () => {
    const english = feature(
      'english-in-zh.zh-CN.feature',
      `# language: zh-CN
功能: 拒绝
  场景: 银行拒绝
    Given the bank declines the next purchase with response code "05"
    当商户发起消费100.00元
    而且持卡人刷卡"alice"
    那么终端显示"交易失败"
`,
    );
    const chinese = feature(
      'chinese-in-en.feature',
      `Feature: Declined
  Scenario: The bank declines
    银行以应答码"05"拒绝下一笔消费
    When the merchant starts a sale of 100.00 CNY
`,
    );
    const run = posrig('run', '--dry-run', '--reports', reports, english, chinese);
    assert.equal(run.code, 2, run.output);
    assert.deepEqual(run.lines, [
      `posrig run: ${english}:4: "Given the bank declines the next purchase with response code "05"" reads like a step but Gherkin takes it as description: "Given" is not a step keyword in a # language: zh-CN feature (假如, 假设, 假定, 当, 那么, 而且, 并且, 同时, 但是), so it never runs`,
      `posrig run: ${chinese}:3: "银行以应答码"05"拒绝下一笔消费" reads like a step but Gherkin takes it as description: it has no step keyword (Given, When, Then, And, But), so it never runs`,
    ]);
  });

  it('a # language: Gherkin does not have (zh-cn) is one line, not a cascade of parse errors', () => {
    const wrongCase = feature('zh-cn.feature', '# language: zh-cn\n功能: x\n  场景: y\n    当商户发起消费1.00元\n');
    const run = posrig('run', '--dry-run', '--reports', reports, wrongCase);
    assert.equal(run.code, 2, run.output);
    assert.deepEqual(run.lines, [
      `posrig run: ${wrongCase}:1: # language: zh-cn is not a Gherkin language (did you mean zh-CN?)`,
    ]);
  });

  it('--parallel 0 and a formatter cucumber does not have are exit 2, one line, before anything runs', () => {
    const parallel = posrig('run', '--dry-run', '--reports', reports, '--parallel', '0', clean);
    assert.equal(parallel.code, 2);
    assert.deepEqual(parallel.lines, ['posrig run: --parallel takes a whole number of workers (1 or more), got "0"']);
    for (const format of ['nosuch', 'nosuch:x.txt']) {
      const run = posrig('run', '--dry-run', '--reports', reports, '--format', format, clean);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.deepEqual(run.lines, [
        `posrig run: --format ${format}: there is no formatter "nosuch" (cucumber's: html, junit, pretty, message, json, progress, progress-bar, rerun, snippets, summary, usage, usage-json; or a module such as ./my-formatter.js)`,
      ]);
    }
  });

  it('an ambiguous step names the definitions it matches', async () => {
    const cucumber = pathToFileURL(path.resolve('node_modules/@cucumber/cucumber/lib/index.js')).href;
    const extra = path.join(folder, 'extra.steps.ts');
    writeFileSync(extra, `import { When } from '${cucumber}';\nWhen('the merchant loads {word}', () => {});\n`);
    const paper = feature('paper.feature', 'Feature: Paper\n  Scenario: Load\n    When the merchant loads paper\n');
    const { runConfiguration } = await loadConfiguration({ provided: { import: [extra] } });
    runConfiguration.sources.paths = [paper];
    const selection = runSelection({ rig: 'rigs/sim-serial.yaml', reports });
    await assert.rejects(preflight(runConfiguration, selection, { cwd: process.cwd() }), (error) => {
      assert.ok(error instanceof RunProblems);
      assert.equal(error.lines.length, 1);
      assert.match(
        error.lines[0] ?? '',
        /:3: ambiguous step "the merchant loads paper" matches "the merchant loads paper" \(steps\/.*\.ts:\d+\) and "the merchant loads <word>" \(.*extra\.steps\.ts:2\)/,
      );
      return true;
    });
  });
});
