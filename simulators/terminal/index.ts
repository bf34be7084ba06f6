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
  Firmware,
  type FirmwareDeps,
  type FirmwareState,
  type HostExchange,
  type TerminalEventBody,
} from './firmware.ts';
export {
  HostClient,
  HostClientError,
  type HostClientOptions,
  type HostReply,
  type HostTrace,
  responseMti,
} from './hostClient.ts';
export { type CardRead, ENTRY_MODES, financialRequest, PROCESSING_CODES, track2For } from './isoRequest.ts';
export { type HostOutcome, outcomeOf, REVERSAL_NO_RESPONSE } from './outcome.ts';
export { Printer, type PrinterState } from './printer.ts';
export { type ReceiptCopy, type ReceiptData, receiptLines, type TransactionKind } from './receipt.ts';
export { MemoryReversalStore, type PendingReversal, type ReversalStore } from './reversalStore.ts';
export { runTerminalSimulator, SerialOpenError } from './serialMain.ts';
export { type AttachOptions, type TerminalParts, TerminalSimulator } from './simulator.ts';
export { formatStan, MemoryStanCounter, nextStanValue, STAN_MAX, type StanCounter, StanError } from './stan.ts';
export * from './texts.ts';
