// One rig per cucumber worker: leased in BeforeAll, reset (not restarted) before each scenario, stopped in AfterAll.
// POSRIG_RIG names the rig file (default rigs/sim-serial.yaml); CUCUMBER_WORKER_ID keeps parallel workers apart.

import { AfterAll, BeforeAll } from '@cucumber/cucumber';
import { type Rig, startRig } from '../../rigs/rig.ts';

let rig: Rig | undefined;

/** The rig file this run uses. */
export function rigFilePath(): string {
  return process.env.POSRIG_RIG ?? 'rigs/sim-serial.yaml';
}

/** The rig leased for this worker; an error if used outside a run. */
export function leasedRig(): Rig {
  if (!rig) throw new Error(`no rig is leased: ${rigFilePath()} did not start (see the BeforeAll error above)`);
  return rig;
}

BeforeAll({ timeout: 60_000 }, async () => {
  rig = await startRig(rigFilePath(), { worker: process.env.CUCUMBER_WORKER_ID ?? '0' });
});

AfterAll({ timeout: 30_000 }, async () => {
  await rig?.stop();
  rig = undefined;
});
