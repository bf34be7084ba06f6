// `posrig selfcheck`: proves the suite can certify. Runs the features once on clean simulated firmware and once per
// seeded firmware defect, and prints which scenarios caught each defect. Every defect must be caught by at least one
// scenario, and the clean firmware must pass everything; otherwise the exit code is 1.
//   npm run selfcheck
//   npx posrig selfcheck --rig rigs/sim-serial.yaml --defect stan-reused --defect double-print

import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { loadRigFile } from '../rigs/file/rigFile.ts';
import { DEFECTS } from '../simulators/terminal/index.ts';

interface SelfcheckOptions {
  rig: string;
  defect: string[];
  reports: string;
}

interface Run {
  readonly defect: string;
  readonly failed: string[];
  readonly total: number;
  readonly exitCode: number;
}

/** Adds the `selfcheck` command. */
export function registerSelfcheck(program: Command): void {
  program
    .command('selfcheck')
    .description('run the features on clean firmware and once per seeded defect; every defect must be caught')
    .option('--rig <file>', 'a rig with a simulated terminal', 'rigs/sim-serial.yaml')
    .option('--defect <name>', 'only this defect (repeatable); all by default', collect, [])
    .option('--reports <dir>', 'where each run reports', 'reports/selfcheck')
    .action(async (options: SelfcheckOptions) => {
      process.exitCode = await selfcheck(options);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function selfcheck(options: SelfcheckOptions): Promise<number> {
  const rig = loadRigFile(options.rig);
  if (!rig.terminal.simulate)
    throw new Error(`${options.rig}: selfcheck needs a simulated terminal (terminal.simulate)`);
  const unknown = options.defect.filter((d) => !(DEFECTS as readonly string[]).includes(d));
  if (unknown.length > 0) throw new Error(`unknown defect ${unknown.join(', ')} (known: ${DEFECTS.join(', ')})`);
  const defects = options.defect.length > 0 ? options.defect : [...DEFECTS];
  // One language is enough to catch a firmware defect; the Chinese files run the same steps.
  const features = readdirSync('features', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.feature') && !f.endsWith('.zh-CN.feature'))
    .map((f) => path.join('features', f))
    .sort();
  const runs: Run[] = [];
  for (const defect of ['', ...defects]) {
    const run = await runWith(options, defect, features);
    runs.push(run);
    console.error(
      `posrig selfcheck: ${defect || 'clean firmware'}: ${run.failed.length} of ${run.total} scenarios failed`,
    );
  }
  console.log(table(runs));
  const [clean, ...seeded] = runs;
  const cleanGreen = clean !== undefined && clean.failed.length === 0 && clean.exitCode === 0 && clean.total > 0;
  const caught = seeded.filter((r) => r.failed.length > 0).length;
  const passed = caught + (cleanGreen ? 1 : 0);
  // One line a CI log reader understands: each run that did what it must (clean green, defect caught) passed.
  console.log(`selfcheck: ${passed} passed, ${runs.length - passed} failed`);
  return passed === runs.length ? 0 : 1;
}

async function runWith(options: SelfcheckOptions, defect: string, features: string[]): Promise<Run> {
  const name = defect || 'clean';
  const folder = path.join(options.reports, name);
  mkdirSync(folder, { recursive: true });
  const rigFile = path.join(folder, 'rig.yaml');
  const doc = parseDocument(readFileSync(options.rig, 'utf8'));
  doc.setIn(['name'], `${doc.getIn(['name'])}-${name}`);
  doc.setIn(['terminal', 'simulate', 'defects'], defect ? [defect] : []);
  writeFileSync(rigFile, doc.toString());
  const args = ['run', '--rig', rigFile, '--reports', folder, '--', ...features];
  rmSync(path.join(folder, 'cucumber.json'), { force: true }); // never read a previous run's results
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [path.resolve('bin/posrig.js'), ...args], {
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { ...process.env, CI: 'true' },
    });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
  const scenarios = scenarioResults(path.join(folder, 'cucumber.json'));
  return {
    defect: name,
    exitCode,
    total: scenarios.length,
    failed: scenarios.filter((s) => !s.passed).map((s) => s.name),
  };
}

interface CucumberJsonFeature {
  name: string;
  elements?: Array<{ name: string; type: string; steps: Array<{ result: { status: string } }> }>;
}

function scenarioResults(file: string): Array<{ name: string; passed: boolean }> {
  let features: CucumberJsonFeature[];
  try {
    features = JSON.parse(readFileSync(file, 'utf8')) as CucumberJsonFeature[];
  } catch {
    return [];
  }
  return features.flatMap((feature) =>
    (feature.elements ?? [])
      .filter((e) => e.type === 'scenario')
      .map((e) => ({
        name: `${feature.name} › ${e.name}`,
        passed: e.steps.every((s) => s.result.status === 'passed'),
      })),
  );
}

function table(runs: Run[]): string {
  const width = Math.max(...runs.map((r) => r.defect.length), 'defect'.length) + 2;
  const lines = [`${'defect'.padEnd(width)}caught by`, `${'-'.repeat(width - 2)}  ${'-'.repeat(40)}`];
  for (const run of runs) {
    if (run.defect === 'clean') {
      const verdict = run.failed.length === 0 ? `all ${run.total} scenarios pass` : `FAILED: ${run.failed.join('; ')}`;
      lines.push(`${'(clean firmware)'.padEnd(width)}${verdict}`);
      continue;
    }
    const [first, ...rest] = run.failed;
    lines.push(`${run.defect.padEnd(width)}${first ? `${run.failed.length} scenario(s): ${first}` : 'NOT CAUGHT'}`);
    for (const name of rest)
      lines.push(`${''.padEnd(width)}${' '.repeat(`${run.failed.length} scenario(s): `.length)}${name}`);
  }
  return lines.join('\n');
}
