// `posrig doctor --rig R`: checks every part of a rig, one line each with ✔ or ✘ (and for ✘ the fix). Exit code 0:
// every part sound; 1: a part failed; 2: a usage error (no --rig, a rig file that does not exist).
//   npx posrig doctor --rig rigs/lab-07.yaml
//   ✔ serial port /dev/ttyUSB0  opens at 115200 baud
//   ✘ terminal ID  the terminal says "LAB00008", the rig file says "LAB00007" — fix: set terminal.id: …

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { formatCheck } from '../rigs/doctor/check.ts';
import { doctorChecks } from '../rigs/doctor/doctor.ts';

/** Adds the `doctor` command. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check a rig part by part: ✔ or ✘ with the fix; exit 0 all sound, 1 a part failed, 2 a usage error')
    .requiredOption('--rig <file>', 'rig file')
    .showHelpAfterError(false)
    .configureOutput({
      outputError: (text, write) =>
        write(`posrig doctor: ${text.replace(/^error: /, '').trim()} (see posrig doctor --help)\n`),
    })
    .action(async (options: { rig: string }) => {
      process.exitCode = await doctor(options.rig);
    });
}

async function doctor(rig: string): Promise<number> {
  if (!existsSync(rig)) {
    console.error(`posrig doctor: rig file ${rig} does not exist (see rigs/*.yaml)`);
    return 2;
  }
  let failures = 0;
  for await (const check of doctorChecks(rig)) {
    if (check.status === 'failed') failures += 1;
    console.log(formatCheck(check));
  }
  console.log(
    failures === 0
      ? `rig ${rig}: every part is sound`
      : `rig ${rig}: ${failures} check${failures === 1 ? '' : 's'} failed`,
  );
  return failures === 0 ? 0 : 1;
}
