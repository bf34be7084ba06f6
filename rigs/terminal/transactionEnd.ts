// A transaction is judged when it has ended — its result, the reversal it owes delivered, or the power cut that
// ended it — never at the moment a scenario happens to stop. `settled` waits for that (bounded by the rig's timing).
//   await settled(rig.terminal, rig.power, { from: transactionFrom, timing: rig.timing });

import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import type { Ending } from '../timeline/timeline.ts';
import type { RigTiming } from '../timing.ts';
import { pendingReversalsFrom } from '../truth/index.ts';
import { type TerminalRecord, TerminalTimeoutError } from './eventHistory.ts';
import type { TerminalDriver } from './terminalDriver.ts';

/** Commands that open a transaction, which ends with exactly one `result` (docs/protocol.md section 10). */
export const TRANSACTION_COMMANDS: ReadonlySet<string> = new Set(['sale', 'refund', 'void', 'settle']);
/** `state` values in which the terminal waits for the cardholder: the transaction cannot end by itself. */
export const AWAITING_CARDHOLDER: ReadonlySet<string> = new Set(['card', 'pin']);

export interface SettleOptions {
  /** History cursor where the transaction started. */
  readonly from: number;
  readonly timing: RigTiming;
  /** STANs of the requests the host approved since the transaction started: money moved for them. */
  readonly approvedByHost?: () => readonly string[];
  /** STANs of the reversals (0400) seen leaving the terminal since then: each is owed its `confirmed` event. */
  readonly reversalsSent?: () => readonly string[];
}

/** The power as far as settling needs it. */
export interface PowerState {
  readonly isOn: boolean;
  readonly lastPowerOn: number | undefined;
}

/** The open transaction's command id: a sale (refund, void, settle) sent since `from` with no result yet. */
export function openTransaction(terminal: TerminalDriver, from: number): string | undefined {
  const id = terminal.currentTransaction;
  if (!id) return undefined;
  const records = terminal.history.all(from);
  const command = records.find((r) => r.dir === 'out' && r.message.id === id);
  if (!command || !TRANSACTION_COMMANDS.has(command.message.type)) return undefined;
  const ended = records.some((r) => r.dir === 'in' && r.message.type === 'result' && resultOf(r.message, id));
  return ended ? undefined : id;
}

/** The event that ends the current transaction: a wait for something of it can fail at once after it. */
export function transactionEnding(terminal: TerminalDriver): Ending<TerminalRecord> | undefined {
  const id = terminal.currentTransaction;
  if (!id) return undefined;
  return { what: 'the transaction result', predicate: (r) => r.message.type === 'result' && resultOf(r.message, id) };
}

/** Waits until the transaction from `from` has ended and the reversals the terminal owes are delivered. Never throws
 * on a timeout: what is still open after the bounded wait is for the payment-truth check to judge. */
export async function settled(terminal: TerminalDriver, power: PowerState | undefined, options: SettleOptions) {
  const { from, timing } = options;
  if (power && !power.isOn) return;
  const open = openTransaction(terminal, from);
  const cutSince = power?.lastPowerOn !== undefined && power.lastPowerOn >= from;
  if (open && !cutSince && !waitingForCardholder(terminal, from)) {
    await terminal.history
      .waitFor('the transaction result', (r) => r.message.type === 'result' && resultOf(r.message, open), {
        from,
        timeoutMs: timing.eventMs,
      })
      .catch(swallowTimeout);
  }
  const events = () => terminal.history.events(from).map((r) => r.message);
  // Owed: what the terminal reported stored and not yet confirmed, and what the host approved but the terminal did
  // not report approved — its reversal may be reported only after the result (docs/protocol.md section 9).
  const unreported = (options.approvedByHost?.() ?? []).filter((stan) => !reportedApproved(events(), stan));
  // A 0400 already on the network whose events are still queued behind others on the serial link: its stored,
  // sent and confirmed reports come, in order, after the result (section 9).
  const unconfirmed = (options.reversalsSent?.() ?? []).filter((stan) => !reportedConfirmed(events(), stan));
  const owed = new Set([...pendingReversalsFrom(events()), ...unreported, ...unconfirmed]);
  await Promise.all(
    [...owed].map((stan) =>
      terminal.history
        .waitFor(
          `the host to confirm the reversal of STAN ${stan}`,
          (r) => r.message.type === 'reversal' && r.message.stan === stan && r.message.status === 'confirmed',
          { from, timeoutMs: timing.reversalMs },
        )
        .catch(swallowTimeout),
    ),
  );
}

/** The terminal reported the request with this STAN approved (a result without a STAN counts for its transaction). */
function reportedApproved(events: readonly TerminalEvent[], stan: string): boolean {
  return events.some(
    (e) => e.type === 'result' && e.outcome === 'approved' && (e.stan === undefined || e.stan === stan),
  );
}

/** The terminal reported the reversal of this STAN confirmed. */
function reportedConfirmed(events: readonly TerminalEvent[], stan: string): boolean {
  return events.some((e) => e.type === 'reversal' && e.stan === stan && e.status === 'confirmed');
}

function resultOf(message: { ref?: string | undefined }, id: string): boolean {
  return message.ref === undefined || message.ref === id;
}

/** The terminal's last `state` since `from` says it waits for a card or a PIN. */
function waitingForCardholder(terminal: TerminalDriver, from: number): boolean {
  const states = terminal.history.events(from).filter((r) => r.message.type === 'state');
  const last = states.at(-1)?.message;
  return last?.type === 'state' && AWAITING_CARDHOLDER.has(last.state);
}

/** A wait that timed out is left for the judge; a rig fault is not (it must reach the step or hook). */
function swallowTimeout(error: unknown): void {
  if (error instanceof TerminalTimeoutError) return;
  throw error;
}
