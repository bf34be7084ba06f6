// posrig's command line: run | explore | report | matrix | nightly | selfcheck | sim | doctor | conformance | agent | iso8583. Exit code 2 for a usage error (unknown option, bad value).
//   npx posrig run --rig rigs/sim-serial.yaml
//   npx posrig sim terminal --port /dev/pts/7 --host 127.0.0.1:5000
//   npx posrig iso8583 decode 30323030…
//   npx posrig --version

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('posrig')
  .description('hardware-in-the-loop test harness for card-payment terminals')
  .version(manifest.version, '-V, --version', 'print the posrig version')
  .showHelpAfterError()
  // Each command's options before its subcommand: `sim --port` (the live page's) is not `sim terminal --port`.
  .enablePositionalOptions()
  .exitOverride();

/** Each command's module, loaded only when it is the one asked for (a run does not load the agent, the report's
 * Allure or the live page); all of them for `posrig --help` or an unknown command. */
type Register = (program: Command) => void;
const COMMANDS: Record<string, () => Promise<Register>> = {
  run: async () => (await import('./run.ts')).registerRun,
  selfcheck: async () => (await import('./selfcheck.ts')).registerSelfcheck,
  explore: async () => (await import('./explore.ts')).registerExplore,
  sim: async () => (await import('./sim.ts')).registerSim,
  iso8583: async () => (await import('./iso8583.ts')).registerIso8583,
  conformance: async () => (await import('./conformance.ts')).registerConformance,
  doctor: async () => (await import('./doctor.ts')).registerDoctor,
  agent: async () => (await import('./agent.ts')).registerAgent,
  report: async () => (await import('./report.ts')).registerReport,
  matrix: async () => (await import('./matrix.ts')).registerMatrix,
  nightly: async () => (await import('./nightly.ts')).registerNightly,
};
const asked = COMMANDS[process.argv[2] ?? ''];
for (const load of asked ? [asked] : Object.values(COMMANDS)) (await load())(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version exit 0; every other commander error is a usage error.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    console.error(`posrig: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
