// The bank probe of a rig whose terminal is one of a pool (terminal.link.terminals): the other workers' terminals use
// the same bank at the same time. Its journal is this terminal's entries since the last reset only; the bank is not
// re-seeded between scenarios (that would pull the ground from under the others); a scripted decline is refused,
// because the bank would decline whichever purchase of the pool comes next, and so is the merchant's balance, which
// every terminal of the pool moves.
//   const probe = shareBank(inner, 'LAB00007', 'the pool LAB00007, LAB00008');

import { RigFault } from '../verdict/culprit.ts';
import type { BankJournalEntry, BankProbe } from './bankProbe.ts';

export function shareBank(probe: BankProbe, terminalId: string, pool: string): BankProbe {
  /** The last journal id before this scenario: what came before is an earlier scenario's. */
  let since = 0;
  return {
    sharedBy: pool,
    setBalance: (card, amount) => probe.setBalance(card, amount),
    balance: (card) => probe.balance(card),
    // Every terminal of the pool credits the one merchant account: the baseline a scenario reads is a RigFault, which
    // fails only the steps about the merchant (as for a host that does not tell the merchant's balance).
    async merchantBalance() {
      throw new RigFault(
        `the merchant account is credited by every terminal of ${pool} at the same time: its change cannot be told apart per scenario`,
      );
    },
    balances: () => probe.balances(),
    async journal(): Promise<BankJournalEntry[] | undefined> {
      return (await probe.journal())?.filter((entry) => entry.id > since && entry.tid === terminalId);
    },
    async declineNextPurchase(): Promise<void> {
      throw new RigFault(
        `the bank is shared by ${pool}: a scripted decline would hit whichever purchase of the pool comes next; run the decline scenarios on a rig of one terminal`,
      );
    },
    async reset(): Promise<void> {
      // shared: re-seeding it would undo the other workers' balances and journal mid-scenario; a new scenario only
      // stops seeing the journal of the earlier ones
      since = Math.max(since, ...((await probe.journal()) ?? []).map((entry) => entry.id));
    },
  };
}
