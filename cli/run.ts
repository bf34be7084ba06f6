// `posrig run`: runs the feature suite on a rig with cucumber-js, then scans the reports for unmasked card numbers.
//   npx posrig run                              # rigs/sim-serial.yaml, reports/
//   npx posrig run --rig rigs/sim-pty.yaml --reports reports/sim-pty -- --tags @smoke

import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Command } from 'commander';
import { scanForPans } from '../reporting/panScan.ts';
import { loadCardBook } from '../rigs/file/cardBook.ts';
import { loadRigFile } from '../rigs/file/rigFile.ts';

interface RunOptions {
  rig: string;
  reports: string;
  parallel?: string;
}

/** Adds the `run` command. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the feature suite on a rig (cucumber-js); extra arguments after -- go to cucumber')
    .option('--rig <file>', 'rig file', 'rigs/sim-serial.yaml')
    .option('--reports <dir>', 'where cucumber.html, junit.xml and cucumber.json go', 'reports')
    .option('--parallel <n>', 'workers, each leasing its own rig')
    .argument('[cucumberArgs...]', 'passed to cucumber-js (e.g. features/purchase --tags @smoke)')
    .action(async (cucumberArgs: string[], options: RunOptions) => {
      process.exitCode = await runFeatures(options, cucumberArgs);
    });
}

/** A feature file (optionally with :line), or a folder of them: these replace the suite's default paths. */
function isFeaturePath(arg: string): boolean {
  if (arg.startsWith('-')) return false;
  const file = arg.replace(/(:\d+)+$/, '');
  return file.endsWith('.feature') ? existsSync(file) : existsSync(arg) && statSync(arg).isDirectory();
}

async function runFeatures(options: RunOptions, cucumberArgs: string[]): Promise<number> {
  if (!existsSync(options.rig)) throw new Error(`rig file ${options.rig} does not exist (see rigs/*.yaml)`);
  // Check the rig file and its cards before cucumber starts: a typo is one clear line, not a stack trace.
  loadCardBook(loadRigFile(options.rig).cards);
  const manifest = createRequire(import.meta.url).resolve('@cucumber/cucumber/package.json');
  const cucumber = path.join(path.dirname(manifest), 'bin', 'cucumber.js');
  // Plain progress where nobody watches a bar redraw: CI logs and pipes.
  const plain = Boolean(process.env.CI) || !process.stdout.isTTY;
  const args = [cucumber, ...(plain ? ['--profile', 'ci'] : [])];
  if (options.parallel) args.push('--parallel', options.parallel);
  const features = cucumberArgs.filter(isFeaturePath);
  args.push(...cucumberArgs.filter((arg) => !isFeaturePath(arg)));
  const env = {
    ...process.env,
    ...(features.length > 0 ? { POSRIG_FEATURES: JSON.stringify(features) } : {}),
    POSRIG_RIG: options.rig,
    POSRIG_REPORTS: options.reports,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim(),
  };
  console.error(`posrig run: rig ${options.rig}, reports in ${options.reports}/`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: 'inherit' });
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
    child.on('error', (error) => {
      console.error(`posrig run: cannot start cucumber-js: ${error.message}`);
      resolve(2);
    });
  });
  const leaks = scanForPans(options.reports);
  for (const leak of leaks) console.error(`posrig run: unmasked card number ${leak.masked} in ${leak.file}`);
  return leaks.length > 0 ? 1 : code;
}
