// The payment-truth invariant, checked after every scenario whatever its steps asserted: the terminal's outcome
// and the bank's ledger agree. The transaction is judged once it has ended (World.settle), not when the scenario
// happened to stop.

import { ledgerDiff } from '../../rigs/truth/index.ts';
import { judgeTruth, PaymentTruthError, truthInput } from '../../rigs/truth/scenarioTruth.ts';
import type { PosWorld } from './world.ts';

/** A scenario whose terminal and ledger disagree (rigs/truth/scenarioTruth.ts, shared with `posrig explore`). */
export { PaymentTruthError };

/** Waits, bounded, until the scenario's transaction has ended (switching a terminal left without power back on);
 * throws the defect of an event that broke the spec after the scenario's last wait: nothing else would report it. */
export async function settleScenario(world: PosWorld): Promise<void> {
  const { rig } = world;
  if (world.powerCut) await world.powerCut.catch(() => {});
  // A scenario that ends with the power off has not seen its transaction end: the terminal delivers what it owes
  // once it is back on, and it must do so within this scenario, not the next.
  if (rig.power?.isOn === false) {
    world.notes.push('the power was off when the scenario ended: posrig switched it on to judge the transaction');
    await rig.power.on();
  }
  await world.settle('scenario');
  const defect = rig.terminal.history.failure;
  if (defect) throw defect;
}

/** The invariant's violation, if any; undefined where it holds or the bank probe cannot see the ledger. Call once the
 * scenario has settled (settleScenario). */
export async function judgeScenarioTruth(world: PosWorld): Promise<PaymentTruthError | undefined> {
  return judgeTruth(world.rig, spanOf(world));
}

/** The ledger before and after the scenario, its journal and the terminal's transactions, as text (ledgerDiff):
 * the evidence of a failed scenario; undefined where the bank probe cannot see the ledger. */
export async function scenarioLedger(world: PosWorld): Promise<string | undefined> {
  const input = await truthInput(world.rig, spanOf(world));
  return input && ledgerDiff(input);
}

/** Where the scenario starts, for the invariant: its history cursor and balances then. */
function spanOf(world: PosWorld) {
  return { from: world.scenarioFrom, balancesBefore: world.balancesBefore };
}
