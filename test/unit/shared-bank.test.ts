// The bank of a pool's terminal: shared with the other workers' terminals, so this rig sees only its own terminal's
// journal since the scenario began, never re-seeds it, and refuses a scripted decline that would hit another terminal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { money } from '../../protocols/domain/money.ts';
import type { BankJournalEntry, BankProbe } from '../../rigs/bank/bankProbe.ts';
import { shareBank } from '../../rigs/bank/sharedBankProbe.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';

function entry(id: number, tid: string): BankJournalEntry {
  const amount = money(1000, 'CNY');
  return {
    id,
    kind: 'purchase',
    tid,
    stan: String(id).padStart(6, '0'),
    responseCode: '00',
    amount,
    maskedPan: null,
    posted: true,
    reverses: null,
  };
}

describe('a bank shared by a pool', () => {
  it("shows this terminal's journal since the last reset, and never re-seeds the bank", async () => {
    const journal = [entry(1, 'P0000001'), entry(2, 'P0000002')];
    let reseeded = 0;
    const inner = {
      journal: async () => journal,
      reset: async () => {
        reseeded++;
      },
    } as unknown as BankProbe;
    const shared = shareBank(inner, 'P0000001', 'the pool P0000001, P0000002');
    assert.equal(shared.sharedBy, 'the pool P0000001, P0000002');
    assert.deepEqual(
      (await shared.journal())?.map((e) => e.id),
      [1],
    );
    await shared.reset();
    assert.equal(reseeded, 0);
    journal.push(entry(3, 'P0000002'), entry(4, 'P0000001'));
    assert.deepEqual(
      (await shared.journal())?.map((e) => e.id),
      [4],
    );
  });

  it("refuses a scripted decline (it would hit the pool's next purchase) and the merchant's balance (all move it)", async () => {
    const shared = shareBank({} as BankProbe, 'P0000001', 'the pool P0000001, P0000002');
    await assert.rejects(
      shared.declineNextPurchase('51'),
      (error: Error) => error instanceof RigFault && /shared by the pool/.test(error.message),
    );
    await assert.rejects(
      shared.merchantBalance(),
      (error: Error) =>
        error instanceof RigFault && /credited by every terminal of the pool P0000001, P0000002/.test(error.message),
    );
  });
});
