// The optional parts of a rig a step needs — the fault proxy, the power switch — or a RigFault naming what is missing.
//   const faults = faultsOf(world);   // rig sim-serial has a fault proxy (host.faults)
//   const power = powerOf(world);     // rig lab-07 has no power relay → RigFault

import type { Faults } from '../../rigs/faults/faults.ts';
import type { TerminalPower } from '../../rigs/power/bootWatch.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';
import type { PosWorld } from './world.ts';

export function faultsOf(world: PosWorld): Faults {
  const faults = world.rig.faults;
  if (!faults)
    throw new RigFault(`rig ${world.rig.name} has no fault proxy (set host.faults in ${world.rig.file.file})`);
  return faults;
}

export function powerOf(world: PosWorld): TerminalPower {
  const power = world.rig.power;
  if (!power)
    throw new RigFault(`rig ${world.rig.name} has no power relay (in this version only a simulated terminal has one)`);
  return power;
}
