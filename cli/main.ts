// posrig's command line: run | selfcheck | sim | iso8583.
//   npx posrig run --rig rigs/sim-serial.yaml
//   npx posrig sim terminal --port /dev/pts/7 --host 127.0.0.1:5000
//   npx posrig iso8583 decode 30323030…

import { Command, CommanderError } from 'commander';
import { registerIso8583 } from './iso8583.ts';
import { registerRun } from './run.ts';
import { registerSelfcheck } from './selfcheck.ts';
import { registerSim } from './sim.ts';

const program = new Command('posrig')
  .description('hardware-in-the-loop test harness for card-payment terminals')
  .showHelpAfterError()
  .exitOverride();

registerRun(program);
registerSelfcheck(program);
registerSim(program);
registerIso8583(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    console.error(`posrig: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
