// `posrig conformance`: the clean simulated terminal passes every check (mock and PTY rigs), and each seeded link
// defect fails exactly the checks meant for it (rigs/conformance/checks.ts CAUGHT_BY) and passes all the others.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { CAUGHT_BY, CHECK_IDS, CHECKS, type CheckResult } from '../../rigs/conformance/checks.ts';
import { runConformance } from '../../rigs/conformance/runConformance.ts';
import { openConformanceLine, startSimulatedLine } from '../../rigs/conformance/terminalPort.ts';
import { loadRigFile } from '../../rigs/file/rigFile.ts';
import {
  CONFORMANCE_DEFECTS,
  type Defect,
  FEATURE_DEFECTS,
  type TerminalConfig,
} from '../../simulators/terminal/index.ts';
import { posrig } from '../support/cli.ts';
import { rigText, SIMULATED, writeRig } from '../support/rigText.ts';

const failedIds = (results: readonly CheckResult[]) => results.filter((r) => !r.pass).map((r) => r.id);
const failures = (results: readonly CheckResult[]) =>
  results
    .filter((r) => !r.pass)
    .map((r) => `${r.id}: ${r.seen}`)
    .join('\n');

/** A simulated terminal with these defects on its own mock line; the host address is never dialled. */
function config(defects: Defect[]): TerminalConfig {
  return {
    tid: 'T0000001',
    mid: '898310048160001',
    merchantName: 'POSRIG',
    language: 'en',
    currency: 'CNY',
    host: { host: '127.0.0.1', port: 9 },
    responseTimeoutMs: 1500,
    defects,
  };
}

async function conformanceOf(defects: Defect[]): Promise<CheckResult[]> {
  const line = await startSimulatedLine(
    `mock:/dev/conformance-${defects.join('+') || 'clean'}`,
    115200,
    config(defects),
  );
  try {
    return await runConformance(line.port, { currency: 'CNY' });
  } finally {
    await line.stop();
  }
}

describe('posrig conformance on the clean simulated terminal', () => {
  it('passes every check on rigs/sim-serial.yaml (mock serial port)', async () => {
    const line = await openConformanceLine(loadRigFile('rigs/sim-serial.yaml'));
    let results: CheckResult[];
    try {
      results = await runConformance(line.port, { currency: 'CNY' });
    } finally {
      await line.stop();
    }
    assert.deepEqual(
      results.map((r) => r.id),
      [...CHECK_IDS],
    );
    assert.deepEqual(failedIds(results), [], failures(results));
  });

  it('passes every check on rigs/sim-pty.yaml (a terminal process behind a PTY), exit 0, as JSON', () => {
    const run = posrig(['conformance', '--rig', 'rigs/sim-pty.yaml', '--format', 'json']);
    assert.equal(run.code, 0, run.output);
    const report = JSON.parse(run.stdout) as { rig: string; passed: boolean; checks: CheckResult[] };
    assert.equal(report.rig, 'sim-pty');
    assert.deepEqual(
      report.checks.map((c) => c.id),
      [...CHECK_IDS],
    );
    assert.deepEqual(failedIds(report.checks), [], failures(report.checks));
    assert.equal(report.passed, true);
  });
});

describe('each seeded link defect fails the check meant for it, and only that', () => {
  // link-slow-info makes every hello take over 2 s: its run goes alongside the others instead of after them.
  const slow: Defect = 'link-slow-info';
  let slowRun: Promise<CheckResult[]>;
  before(() => {
    slowRun = conformanceOf([slow]);
    slowRun.catch(() => {}); // judged in its own test
  });

  for (const [defect, checks] of Object.entries(CAUGHT_BY) as Array<[Defect, CheckResult['id'][]]>) {
    it(`${defect} fails ${checks.join(', ')}`, async () => {
      const results = defect === slow ? await slowRun : await conformanceOf([defect]);
      assert.deepEqual(failedIds(results).sort(), [...checks].sort(), failures(results));
    });
  }

  it('covers every link defect only conformance provokes; the feature self-check leaves them out', () => {
    for (const defect of CONFORMANCE_DEFECTS) assert.ok(CAUGHT_BY[defect], `${defect} has checks meant for it`);
    for (const defect of CONFORMANCE_DEFECTS) assert.ok(!(FEATURE_DEFECTS as readonly Defect[]).includes(defect));
  });
});

describe('posrig conformance on the command line', () => {
  const rig = writeRig(
    rigText({
      terminal: SIMULATED.terminal.replace('simulate: {}', 'simulate: { defects: [link-slow-ack] }'),
    }),
  );

  it('prints one ✘ line with the rule for a failed check and exits 1', () => {
    const run = posrig(['conformance', '--rig', rig, '--check', 'ack-time', '--check', 'frame-ack']);
    assert.equal(run.code, 1, run.output);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[1] ?? '', /^✔ frame-ack +§2, §3, §5\.3\.1 +hello SEQ \d+: ACK \d+ after \d+ ms$/);
    assert.match(lines[2] ?? '', /^✘ ack-time +§5\.4 +ACK after \d+ ms \(worst of .*\): over 100 ms$/);
    assert.match(lines[3] ?? '', /^ +must: ACK within 100 ms/);
    assert.equal(lines.at(-1), '1 of 2 checks passed; failed: ack-time');
  });

  for (const [args, message] of [
    [['--format', 'xml'], '--format must be text or json, got "xml"'],
    [['--check', 'crc'], 'unknown check crc (known: '],
    [['--rig', 'rigs/no-such-rig.yaml'], 'no-such-rig.yaml'],
  ] as const) {
    it(`refuses ${args.join(' ')} in one line with exit 2`, () => {
      const run = posrig(['conformance', '--rig', rig, ...args]);
      assert.equal(run.code, 2, run.output);
      assert.ok(run.stderr.startsWith('posrig conformance: '), run.stderr);
      assert.ok(run.stderr.includes(message), run.stderr);
    });
  }

  it('is where posrig selfcheck sends a link defect no feature provokes', () => {
    const run = posrig(['selfcheck', '--defect', 'link-slow-ack'], 60_000);
    assert.equal(run.code, 2, run.output);
    assert.match(run.stderr, /link-slow-ack: no feature provokes it; `posrig conformance` catches it/);
  });
});

describe('docs/conformance.md', () => {
  const doc = readFileSync('docs/conformance.md', 'utf8').split('\n');

  it('has one row per check, in the order they run, with its clause', () => {
    const rows = doc.filter((line) => /^\| `[a-z-]+` +\| §/.test(line));
    assert.deepEqual(
      rows.map((row) => row.split('|')[1]?.trim().replaceAll('`', '')),
      [...CHECK_IDS],
    );
    for (const row of rows) {
      const [, id, clause] = row.split('|').map((cell) => cell.trim().replaceAll('`', ''));
      assert.equal(clause, CHECKS[id as keyof typeof CHECKS].clause, `${id}: clause`);
    }
  });

  it('lists the checks each seeded link defect fails', () => {
    for (const [defect, checks] of Object.entries(CAUGHT_BY)) {
      const row = doc.find((line) => line.startsWith(`| \`${defect}\` `));
      assert.ok(row, `no row for ${defect}`);
      assert.equal(row.split('|')[2]?.trim(), checks.map((c) => `\`${c}\``).join(', '), defect);
    }
  });
});
