// One rig per cucumber worker: leased in BeforeAll, reset (not restarted) before each scenario, stopped in AfterAll.
// A rig that broke (a rig fault) is renewed — stopped and started again — so the next scenario runs on a sound rig;
// if it cannot be, every later scenario fails at once with the one line that says why.
// POSRIG_RIG names the rig file (default rigs/sim-serial.yaml); CUCUMBER_WORKER_ID keeps parallel workers apart.

import { AfterAll, BeforeAll } from '@cucumber/cucumber';
import { CLOCKS, type ClockKind } from '../../rigs/clock/clockChoice.ts';
import { loadRigFile } from '../../rigs/file/rigFile.ts';
import { type Rig, startRig } from '../../rigs/rig.ts';
import { type RigTiming, rigTiming } from '../../rigs/timing.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';
import { recordEnvironment } from './allure.ts';

let rig: Rig | undefined;
/** Why the rig is gone for good: set when a renewal failed. */
let lost: RigFault | undefined;

/** The rig file this run uses. */
export function rigFilePath(): string {
  return process.env.POSRIG_RIG ?? 'rigs/sim-serial.yaml';
}

/** The clock `posrig run --clock` chose (POSRIG_CLOCK), over the rig file's; undefined: the rig file's. */
function clockOverride(): ClockKind | undefined {
  const chosen = process.env.POSRIG_CLOCK;
  return (CLOCKS as readonly string[]).includes(chosen ?? '') ? (chosen as ClockKind) : undefined;
}

/** The rig's timing model, known when the steps load (cucumber timeouts are set then). */
export function leasedTiming(): RigTiming {
  return rigTiming(loadRigFile(rigFilePath()));
}

/** The rig leased for this worker; a rig fault if it did not start or could not recover. */
export function leasedRig(): Rig {
  if (lost) throw lost;
  if (!rig) throw new RigFault(`no rig is leased: ${rigFilePath()} did not start (see the BeforeAll error above)`);
  return rig;
}

/** Resets the rig for the next scenario; a broken rig (or one whose reset fails) is renewed first. */
export async function resetRig(): Promise<Rig> {
  const current = leasedRig();
  if (!current.fault) {
    try {
      await current.reset();
      return current;
    } catch {
      // a rig whose reset failed is in no known state: renew it, and let a second failure speak for itself
    }
  }
  const renewed = await renewRig();
  await renewed.reset();
  return renewed;
}

/** Stops the broken rig and starts it again; when that fails, the run cannot go on and says so once. */
export async function renewRig(): Promise<Rig> {
  const broken = leasedRig();
  rig = undefined;
  await broken.stop();
  try {
    rig = await startRig(rigFilePath(), { worker: workerId(), clock: clockOverride() });
    return rig;
  } catch (error) {
    lost = new RigFault(
      `rig ${broken.name} broke (${broken.fault?.message ?? 'reset failed'}) and could not be started again: ${error instanceof Error ? error.message : String(error)}`,
    );
    console.error(`posrig: ${lost.message}; every later scenario fails`);
    throw lost;
  }
}

function workerId(): string {
  return process.env.CUCUMBER_WORKER_ID ?? '0';
}

BeforeAll({ timeout: 60_000 }, async () => {
  rig = await startRig(rigFilePath(), { worker: workerId(), clock: clockOverride() });
  recordEnvironment(rig); // the Allure report names the terminal tested (its info: model, firmware …)
});

AfterAll({ timeout: 30_000 }, async () => {
  await rig?.stop();
  rig = undefined;
});
