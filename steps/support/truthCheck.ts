// The payment-truth invariant, checked after every scenario whatever its steps asserted: the terminal's outcome
// and the bank's ledger agree. The transaction is judged once it has ended (World.settle), not when the scenario
// happened to stop.

import {
  checkPaymentTruth,
  ledgerDiff,
  pendingReversalsFrom,
  type TruthInput,
  transactionsFrom,
} from '../../rigs/truth/index.ts';
import type { PosWorld } from './world.ts';

/** A scenario whose terminal and ledger disagree; the message lists the findings and the ledger diff. */
export class PaymentTruthError extends Error {
  override name = 'PaymentTruthError';
}

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
  const input = await scenarioTruthInput(world);
  if (!input) return undefined;
  const violations = checkPaymentTruth(input);
  if (violations.length === 0) return undefined;
  const findings = violations.map((v) => `  - [${v.rule}] ${v.message}`).join('\n');
  return new PaymentTruthError(`payment-truth invariant violated:\n${findings}\n\n${ledgerDiff(input)}`);
}

/** The ledger before and after the scenario, its journal and the terminal's transactions, as text (ledgerDiff):
 * the evidence of a failed scenario; undefined where the bank probe cannot see the ledger. */
export async function scenarioLedger(world: PosWorld): Promise<string | undefined> {
  const input = await scenarioTruthInput(world);
  return input && ledgerDiff(input);
}

/** What the invariant judges: the terminal's transactions of the scenario against the bank's journal and balances. */
async function scenarioTruthInput(world: PosWorld): Promise<TruthInput | undefined> {
  const { rig, balancesBefore } = world;
  if (!balancesBefore) return undefined;
  const events = rig.terminal.history.events(world.scenarioFrom).map((r) => r.message);
  const journal = await rig.bank.journal();
  const balancesAfter = journal && (await rig.bank.balances());
  if (!journal || !balancesAfter) return undefined;
  return {
    transactions: transactionsFrom(events, rig.terminal.id),
    journal,
    balancesBefore,
    balancesAfter,
    pendingReversals: pendingReversalsFrom(events),
    // other terminals of a pool move money in the same bank meanwhile: only this terminal's journal is judged
    conservation: rig.bank.sharedBy === undefined,
  };
}
