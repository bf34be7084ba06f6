// posrig's command line: run | report | matrix | nightly | selfcheck | sim | doctor | conformance | agent | iso8583. Exit code 2 for a usage error (unknown option, bad value).
//   npx posrig run --rig rigs/sim-serial.yaml
//   npx posrig sim terminal --port /dev/pts/7 --host 127.0.0.1:5000
//   npx posrig iso8583 decode 30323030…
//   npx posrig --version

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAgent } from './agent.ts';
import { registerConformance } from './conformance.ts';
import { registerDoctor } from './doctor.ts';
import { registerIso8583 } from './iso8583.ts';
import { registerMatrix } from './matrix.ts';
import { registerNightly } from './nightly.ts';
import { registerReport } from './report.ts';
import { registerRun } from './run.ts';
import { registerSelfcheck } from './selfcheck.ts';
import { registerSim } from './sim.ts';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('posrig')
  .description('hardware-in-the-loop test harness for card-payment terminals')
  .version(manifest.version, '-V, --version', 'print the posrig version')
  .showHelpAfterError()
  // Each command's options before its subcommand: `sim --port` (the live page's) is not `sim terminal --port`.
  .enablePositionalOptions()
  .exitOverride();

registerRun(program);
registerSelfcheck(program);
registerSim(program);
registerIso8583(program);
registerConformance(program);
registerDoctor(program);
registerAgent(program);
registerReport(program);
registerMatrix(program);
registerNightly(program);

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
