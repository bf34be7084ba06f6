// The payment-truth invariant, checked after every scenario whatever its steps asserted: the terminal's outcome
// and the bank's ledger agree. Waits first for the reversals the terminal still owes (its `reversal` events).

import { checkPaymentTruth, ledgerDiff, pendingReversalsFrom, transactionsFrom } from '../../rigs/truth/index.ts';
import type { PosWorld } from './world.ts';

/** How long the check waits for a reversal the terminal reported as due to be confirmed by the host. */
const REVERSAL_WAIT_MS = 10_000;

/** A scenario whose terminal and ledger disagree; the message lists the findings and the ledger diff. */
export class PaymentTruthError extends Error {
  override name = 'PaymentTruthError';
}

/** Throws a PaymentTruthError when the invariant does not hold; does nothing where the bank probe cannot see the ledger. */
export async function checkScenarioTruth(world: PosWorld): Promise<void> {
  const { rig, balancesBefore } = world;
  if (!balancesBefore || rig.power?.isOn === false) return;
  const events = () => rig.terminal.history.events(world.scenarioFrom).map((r) => r.message);
  await Promise.all(
    pendingReversalsFrom(events()).map(
      (stan) =>
        rig.terminal.history
          .waitFor(
            `the host to confirm the reversal of STAN ${stan}`,
            (r) => r.message.type === 'reversal' && r.message.stan === stan && r.message.status === 'confirmed',
            { timeoutMs: REVERSAL_WAIT_MS, from: world.scenarioFrom },
          )
          .catch(() => undefined), // still pending: the check below reports it
    ),
  );
  const [journal, balancesAfter] = [await rig.bank.journal(), await rig.bank.balances()];
  if (!journal || !balancesAfter) return;
  const input = {
    transactions: transactionsFrom(events(), rig.terminal.id),
    journal,
    balancesBefore,
    balancesAfter,
    pendingReversals: pendingReversalsFrom(events()),
  };
  const violations = checkPaymentTruth(input);
  if (violations.length === 0) return;
  const findings = violations.map((v) => `  - [${v.rule}] ${v.message}`).join('\n');
  throw new PaymentTruthError(`payment-truth invariant violated:\n${findings}\n\n${ledgerDiff(input)}`);
}
