// posrig's command line: run | selfcheck | sim | iso8583. Exit code 2 for a usage error (unknown option, bad value).
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
import { registerRun } from './run.ts';
import { registerSelfcheck } from './selfcheck.ts';
import { registerSim } from './sim.ts';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('posrig')
  .description('hardware-in-the-loop test harness for card-payment terminals')
  .version(manifest.version, '-V, --version', 'print the posrig version')
  .showHelpAfterError()
  .exitOverride();

registerRun(program);
registerSelfcheck(program);
registerSim(program);
registerIso8583(program);
registerConformance(program);
registerDoctor(program);
registerAgent(program);

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
