// The payment-truth invariant: what the terminal said against what the bank's ledger did. Pure functions, no I/O.

export { fixedWidth } from './ledgerDiff.ts';
export { type LedgerEffect, ledgerEffects, transactionKey } from './ledgerEffect.ts';
export { balanceChanges } from './moneyConservation.ts';
export { changeText, moneyText } from './moneyText.ts';
export {
  checkPaymentTruth,
  ledgerDiff,
  type TerminalTransaction,
  TRUTH_RULES,
  type TruthInput,
  type TruthRule,
  type Violation,
} from './paymentTruth.ts';
export { pendingReversalsFrom, transactionsFrom } from './terminalTransactions.ts';
