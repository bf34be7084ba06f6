// The simulated acquirer: an ISO 8583 host over TCP and the SQLite ledger behind it.

export {
  type AcquirerFault,
  AcquirerHost,
  AcquirerHostError,
  type AcquirerOptions,
  type IsoTrace,
} from './acquirerHost.ts';
export {
  type Authorization,
  type CardRequest,
  MAX_PIN_TRIES,
  type MerchantRequest,
  type PurchaseRequest,
} from './authorization.ts';
export {
  DUPLICATE_POLICIES,
  type DuplicatePolicy,
  HOST_DEFECTS,
  type HostDefect,
  HostPolicyError,
  validateHostPolicy,
} from './hostPolicy.ts';
export { answerRequest, type HostAnswer, type HostContext } from './hostRules.ts';
export { IsoClientError, IsoTcpClient } from './isoClient.ts';
export {
  type AnsweredRequest,
  type CardAccountSeed,
  type JournalEntry,
  LEDGER_BUSY_TIMEOUT_MS,
  Ledger,
  LedgerError,
  type MerchantSeed,
  type Posting,
  type Responder,
} from './ledger.ts';
export type { OriginalKey, ReversalOutcome, ReversalRequest } from './reversal.ts';
