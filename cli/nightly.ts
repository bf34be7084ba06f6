// `posrig nightly` (`npm run nightly`): the whole feature suite on every rig that needs no hardware, each into
// reports/nightly/<rig>/, several rigs at once, then one Allure report over all of them with the history carried.
// The rigs: every rigs/sim-*.yaml; mosquitto.yaml when Mosquitto is installed (a broker started for it as
// rigs/mosquitto/ci.sh does, or the one POSRIG_MOSQUITTO_PID names); lab-loopback.yaml when socat is (its bench up
// and down as rigs/lab-loopback/ci.sh does). Those two listen on fixed ports: never both at once. A rig that cannot
// run here is skipped with a line. One line per rig when it ends; exit 0 when every rig passed and the report was
// built, 1 when a rig failed, 2 when the report could not be built (or a usage error).
//   npx posrig nightly                                  # reports/nightly/<rig>/…, report in reports/allure-report
//   npx posrig nightly --only sim-serial --only sim-pty --output /tmp/night-report features/receipts

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { buildAllureReport, ReportError } from '../reporting/allure/allureReport.ts';
import { countResults } from '../reporting/allure/resultCounts.ts';
import { collect, OptionError, positiveInteger } from './commandLine.ts';
import { matrixBeside } from './report.ts';

interface NightlyCommandOptions {
  readonly reports: string;
  readonly output?: string;
  readonly only?: readonly string[];
  readonly jobs?: string;
}

/** One rig of the night: how to run it (a shell script for the rigs with a bench or broker to bring up). */
interface NightlyRig {
  readonly name: string;
  /** Listens on fixed ports: never two such rigs at once. */
  readonly fixedPorts: boolean;
  /** Why it cannot run here; undefined when it can. */
  readonly unavailable?: string;
  /** The command that runs it into `reports`, on these feature paths (all when empty). */
  command(reports: string, paths: readonly string[]): readonly string[];
}

interface RigOutcome {
  readonly rig: NightlyRig;
  readonly code: number | null;
  readonly reports: string;
}

/** Adds the `nightly` command. */
export function registerNightly(program: Command): void {
  program
    .command('nightly')
    .description('run every rig that needs no hardware, then one Allure report over all; exit 1 when a rig failed')
    .option('--reports <dir>', 'where each rig reports (<dir>/<rig>/)', 'reports/nightly')
    .option('--output <dir>', 'the report over all rigs (its history/ is carried on)', 'reports/allure-report')
    .option('--only <rig>', 'only this rig, by name (repeatable)', collect)
    .option('--jobs <n>', 'rigs at once (default: the processors this machine has)')
    .argument('[paths...]', 'feature files or folders for every rig (default: every feature)')
    .showHelpAfterError(false)
    .configureOutput({
      outputError: (text, write) =>
        write(`posrig nightly: ${text.replace(/^error: /, '').trim()} (see posrig nightly --help)\n`),
    })
    .action(async (paths: string[], options: NightlyCommandOptions) => {
      process.exitCode = await nightly(options, paths);
    });
}

async function nightly(options: NightlyCommandOptions, paths: readonly string[]): Promise<number> {
  let rigs: NightlyRig[];
  let jobs: number;
  try {
    jobs = options.jobs === undefined ? availableParallelism() : positiveInteger(options.jobs, '--jobs');
    rigs = chosen(nightlyRigs(), options.only);
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    console.error(`posrig nightly: ${error.message}`);
    return 2;
  }
  for (const rig of rigs.filter((r) => r.unavailable)) console.log(`nightly: ${rig.name}: skipped, ${rig.unavailable}`);
  const outcomes = await runAll(
    rigs.filter((r) => !r.unavailable),
    options.reports,
    jobs,
    paths,
  );
  const failed = outcomes.some((o) => o.code !== 0);
  const results = outcomes
    .map((o) => path.join(o.reports, 'allure-results'))
    .filter((folder) => existsSync(folder) && readdirSync(folder).some((f) => f.endsWith('-result.json')));
  try {
    const built = await buildAllureReport({ results, output: options.output ?? 'reports/allure-report' });
    const matrix = await matrixBeside(built.report, results);
    console.log(`nightly: report ${built.report}/index.html and ${built.singleFile}${matrix}`);
  } catch (error) {
    if (!(error instanceof ReportError)) throw error;
    console.error(`posrig nightly: no report: ${error.message}`);
    return failed ? 1 : 2;
  }
  return failed ? 1 : 0;
}

/** The rigs named by --only (each must be a rig of the night), else all. */
function chosen(rigs: NightlyRig[], only: readonly string[] | undefined): NightlyRig[] {
  if (!only?.length) return rigs;
  const names = rigs.map((r) => r.name);
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length > 0)
    throw new OptionError('--only', `no nightly rig ${unknown.join(', ')} (the rigs: ${names.join(', ')})`);
  return rigs.filter((r) => only.includes(r.name));
}

/** Every rig that needs no hardware, in a stable order. */
function nightlyRigs(): NightlyRig[] {
  const simulated = readdirSync('rigs')
    .filter((f) => /^sim-.*\.yaml$/.test(f))
    .sort()
    .map(
      (file): NightlyRig => ({
        name: file.replace(/\.yaml$/, ''),
        fixedPorts: false,
        command: (reports, paths) => [
          process.execPath,
          'bin/posrig.js',
          'run',
          '--rig',
          `rigs/${file}`,
          '--reports',
          reports,
          ...paths,
        ],
      }),
    );
  return [...simulated, mosquittoRig(), labLoopbackRig()];
}

/** rigs/mosquitto.yaml on a Mosquitto started for it (rigs/mosquitto/start.sh), or on the one CI started. */
function mosquittoRig(): NightlyRig {
  const script = (reports: string, paths: readonly string[]) =>
    [
      // as rigs/mosquitto/ci.sh: the broker CI started, else one for this run (start.sh sets -euo pipefail)
      'set -eo pipefail',
      'if [[ -z "$POSRIG_MOSQUITTO_PID" ]]; then',
      '  source rigs/mosquitto/start.sh',
      '  trap \'kill "$POSRIG_MOSQUITTO_PID" 2>/dev/null || true\' EXIT',
      'fi',
      'node bin/posrig.js doctor --rig rigs/mosquitto.yaml',
      `node bin/posrig.js run --rig rigs/mosquitto.yaml --reports ${quoted(reports)} ${paths.map(quoted).join(' ')}`,
    ].join('\n');
  const reachable = process.env.POSRIG_MOSQUITTO_PID !== undefined || installed('mosquitto');
  return {
    name: 'mosquitto',
    fixedPorts: true,
    ...(reachable ? {} : { unavailable: 'no Mosquitto here (apt-get install mosquitto)' }),
    command: (reports, paths) => ['bash', '-c', script(reports, paths)],
  };
}

/** rigs/lab-loopback.yaml on its bench (a socat cable, `posrig sim host`, a terminal process), as its ci.sh runs it. */
function labLoopbackRig(): NightlyRig {
  const script = (reports: string, paths: readonly string[]) =>
    [
      'set -euo pipefail',
      'bench=rigs/lab-loopback/bench.sh',
      'trap \'"$bench" stop\' EXIT',
      '"$bench" start',
      'node bin/posrig.js doctor --rig rigs/lab-loopback.yaml',
      'node bin/posrig.js conformance --rig rigs/lab-loopback.yaml',
      `node bin/posrig.js run --rig rigs/lab-loopback.yaml --reports ${quoted(reports)} ${paths.map(quoted).join(' ')}`,
    ].join('\n');
  return {
    name: 'lab-loopback',
    fixedPorts: true,
    ...(installed('socat') ? {} : { unavailable: 'its bench needs socat (apt-get install socat)' }),
    command: (reports, paths) => ['bash', '-c', script(reports, paths)],
  };
}

function installed(command: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function quoted(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** Runs the rigs, up to `jobs` at once and never two with fixed ports at once; one line per rig as it ends. */
function runAll(
  rigs: readonly NightlyRig[],
  reports: string,
  jobs: number,
  paths: readonly string[],
): Promise<RigOutcome[]> {
  const waiting = [...rigs];
  const outcomes: RigOutcome[] = [];
  let running = 0;
  let fixedRunning = false;
  return new Promise((resolve) => {
    const next = (): void => {
      if (waiting.length === 0 && running === 0) {
        resolve(outcomes);
        return;
      }
      while (running < jobs) {
        const at = waiting.findIndex((r) => !(r.fixedPorts && fixedRunning));
        if (at < 0) return;
        const [rig] = waiting.splice(at, 1) as [NightlyRig];
        running += 1;
        if (rig.fixedPorts) fixedRunning = true;
        runRig(rig, path.join(reports, rig.name), paths).then((outcome) => {
          running -= 1;
          if (rig.fixedPorts) fixedRunning = false;
          outcomes.push(outcome);
          console.log(outcomeLine(outcome));
          next();
        });
      }
    };
    next();
  });
}

/** One rig's run, its output into <reports>/run.log (several rigs run at once: their output must not mix). */
function runRig(rig: NightlyRig, reports: string, paths: readonly string[]): Promise<RigOutcome> {
  mkdirSync(reports, { recursive: true });
  // A run refused before it starts writes no results: none of last night's may stand in for them.
  rmSync(path.join(reports, 'allure-results'), { recursive: true, force: true });
  const log = openSync(path.join(reports, 'run.log'), 'w');
  const [command, ...args] = rig.command(reports, paths) as [string, ...string[]];
  const child = spawn(command, args, { stdio: ['ignore', log, log] });
  closeSync(log); // the child has its own copy
  return new Promise((resolve) => {
    child.once('error', () => resolve({ rig, code: null, reports }));
    child.once('exit', (code) => resolve({ rig, code, reports }));
  });
}

/** `nightly: sim-serial: 41 passed, 1 failed, 2 skipped (exit 1, log reports/nightly/sim-serial/run.log)` */
function outcomeLine({ rig, code, reports }: RigOutcome): string {
  const { passed, failed, skipped } = countResults(path.join(reports, 'allure-results'));
  const exit = code === null ? 'did not start' : `exit ${code}`;
  return `nightly: ${rig.name}: ${passed} passed, ${failed} failed, ${skipped} skipped (${exit}, log ${path.join(reports, 'run.log')})`;
}
