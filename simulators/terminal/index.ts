// The simulated POS terminal firmware: what the harness talks to over the ECR test link when no real terminal is used.

export { type Clock, formatLocalDateTime, systemClock } from './clock.ts';
export {
  checkTerminalConfig,
  DEFAULT_TAP_NO_PIN_LIMIT,
  midField,
  type ResolvedTerminalConfig,
  type TerminalConfig,
  TerminalConfigError,
  tidField,
} from './config.ts';
export {
  CONFORMANCE_DEFECTS,
  type ConformanceDefect,
  DEFECT_DESCRIPTIONS,
  DEFECTS,
  type Defect,
  type DefectSet,
  defectSet,
  FEATURE_DEFECTS,
  type FeatureDefect,
  isDefect,
} from './defects.ts';
export {
  Firmware,
  type FirmwareDeps,
  type FirmwareState,
  type HostExchange,
  type TerminalEventBody,
} from './firmware.ts';
export {
  type ExchangeOptions,
  HostClient,
  HostClientError,
  type HostClientOptions,
  type HostFailover,
  type HostReply,
  type HostTrace,
  responseMti,
} from './hostClient.ts';
export {
  type CardRead,
  ENTRY_MODES,
  financialRequest,
  originalDataElements,
  PROCESSING_CODES,
  reversalRequest,
  signOnRequest,
  track2For,
} from './isoRequest.ts';
export { type NonVolatileOptions, NonVolatileStore, STATE_FILE, TerminalStateError } from './nonVolatileStore.ts';
export {
  goOnline,
  LATE_WAIT_FACTOR,
  type OnlineDeps,
  type OnlineRequest,
  type OnlineStep,
  REVERSAL_CANCELLED,
  takeStan,
} from './onlinePhase.ts';
export {
  type HostOutcome,
  mismatchedField,
  outcomeOf,
  REVERSAL_BAD_RESPONSE,
  REVERSAL_NO_RESPONSE,
  reversalPendingOutcome,
} from './outcome.ts';
export { Printer, type PrinterState } from './printer.ts';
export { type ReceiptCopy, type ReceiptData, receiptLines, type TransactionKind } from './receipt.ts';
export {
  REVERSAL_POWER_FAILURE,
  type ReversalNotice,
  ReversalSender,
  type ReversalSenderDeps,
} from './reversalSender.ts';
export {
  MemoryReversalStore,
  type PendingReversal,
  REVERSAL_FIELDS,
  type ReversalStore,
  reversalRecord,
} from './reversalStore.ts';
export { runTerminalSimulator, SerialOpenError } from './serialMain.ts';
export { type AttachOptions, type LinkAttachment, type TerminalParts, TerminalSimulator } from './simulator.ts';
export { formatStan, MemoryStanCounter, nextStanValue, STAN_MAX, type StanCounter, StanError } from './stan.ts';
export * from './texts.ts';
