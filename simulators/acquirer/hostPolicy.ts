// How the simulated host treats a repeated 0200, and the host defects a rig may seed on purpose.
//   new AcquirerHost({ ledger, duplicatePolicy: 'decline-94' });           // a repeat is answered 94, never posted
//   new AcquirerHost({ ledger, defects: ['double-post-reversal'] });       // a broken bank, to prove the invariant bites
// Each defect switches behaviour at exactly one point and nowhere else:
//   'double-post-reversal'  reversal.ts: a reversal that moves money posts its postings twice (one journal entry)
//   'post-declined'         authorization.ts: a declined purchase (known card and merchant) still moves the money
//   'double-post-duplicate' hostRules.ts: a repeated 0200 is authorised and posted again (the first answer is replayed)

/** What a repeated 0200 (same DE41 + DE11 + DE7) gets: the first response again, or DE39 94. Never posted twice. */
export type DuplicatePolicy = 'replay' | 'decline-94';

/** Seeded host defects; they exist only to prove that the payment-truth invariant catches a broken bank. */
export type HostDefect = 'double-post-reversal' | 'post-declined' | 'double-post-duplicate';

export const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ['replay', 'decline-94'];
export const HOST_DEFECTS: readonly HostDefect[] = ['double-post-reversal', 'post-declined', 'double-post-duplicate'];

export class HostPolicyError extends Error {
  override name = 'HostPolicyError';
}

/** Checks a duplicate policy and a defect list; HostPolicyError naming the bad option and the known values. */
export function validateHostPolicy(duplicatePolicy: unknown, defects: unknown): void {
  if (duplicatePolicy !== undefined && !DUPLICATE_POLICIES.includes(duplicatePolicy as DuplicatePolicy)) {
    throw new HostPolicyError(
      `duplicatePolicy: "${String(duplicatePolicy)}" is not a policy (known: ${DUPLICATE_POLICIES.join(', ')})`,
    );
  }
  if (defects === undefined) return;
  if (!Array.isArray(defects)) throw new HostPolicyError('defects: expected a list of host defect names');
  defects.forEach((defect, index) => {
    if (!HOST_DEFECTS.includes(defect as HostDefect)) {
      throw new HostPolicyError(
        `defects[${index}]: "${String(defect)}" is not a host defect (known: ${HOST_DEFECTS.join(', ')})`,
      );
    }
  });
}
