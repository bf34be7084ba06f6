// The words steps use on a terminal — "shows", "says", "prints", "never shows", "finishes" — as thin
// predicates over the one EventHistory.waitFor.
//   await shows(terminal, '交易成功', { from, timeoutMs });

import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import type { Ending } from '../timeline/timeline.ts';
import { FirmwareDefect, ScenarioError } from '../verdict/culprit.ts';
import { type TerminalRecord, TerminalTimeoutError } from './eventHistory.ts';
import type { TerminalDriver } from './terminalDriver.ts';
import { AWAITING_CARDHOLDER } from './transactionEnd.ts';

export interface Window {
  /** History cursor where the scenario (or transaction) started. */
  readonly from: number;
  readonly timeoutMs: number;
  /** The event after which nothing awaited can come any more (the current transaction's result): fail at once. */
  readonly endsWhen?: Ending<TerminalRecord> | undefined;
}

export type Printed = Extract<TerminalEvent, { type: 'print' }>;
export type Result = Extract<TerminalEvent, { type: 'result' }>;
/** A printed copy with the time it arrived. */
export type PrintRecord = TerminalRecord & { readonly message: Printed };

/** Waits until a display event contains the text (any line, or the lines joined). */
export async function shows(terminal: TerminalDriver, text: string, window: Window): Promise<TerminalRecord> {
  return terminal.history.waitFor(`the display to show "${text}"`, (r) => displayContains(r.message, text), window);
}

/** Waits until a voice prompt contains the text. */
export async function says(terminal: TerminalDriver, text: string, window: Window): Promise<TerminalRecord> {
  return terminal.history.waitFor(
    `the voice prompt "${text}"`,
    (r) => r.message.type === 'voice' && r.message.text.includes(text),
    window,
  );
}

/** Waits for a printed copy matching the predicate. */
export async function prints(
  terminal: TerminalDriver,
  what: string,
  predicate: (printed: Printed) => boolean,
  window: Window,
): Promise<Printed> {
  return (await printRecord(terminal, what, predicate, window)).message;
}

/** Waits for a printed copy matching the predicate; the record tells when it arrived. */
export async function printRecord(
  terminal: TerminalDriver,
  what: string,
  predicate: (printed: Printed) => boolean,
  window: Window,
): Promise<PrintRecord> {
  const record = await terminal.history.waitFor(
    what,
    (r) => r.message.type === 'print' && predicate(r.message),
    window,
  );
  return record as PrintRecord;
}

/** Waits for the transaction's result event, the terminal's last word on a transaction; undefined when a power cut
 * ended the transaction first (it has no result). */
export async function finishes(terminal: TerminalDriver, window: Window): Promise<Result | undefined> {
  const current = terminal.currentTransaction;
  const isResult = (r: TerminalRecord) =>
    r.message.type === 'result' && (r.message.ref === undefined || current === undefined || r.message.ref === current);
  const done = terminal.history.events(window.from).find(isResult);
  if (done) return done.message as Result;
  if (terminal.powerCutSince(window.from)) return undefined;
  const record = await terminal.unlessPowerCut(
    terminal.history.waitFor('the transaction result', isResult, {
      ...window,
      endsWhen: cardholderAwaited(terminal, window.from),
    }),
  );
  return record?.message as Result | undefined;
}

/** A cardholder types when asked: while the terminal's last reported state says it is busy with the host
 * ("online"), waits for its next state (a new prompt, or the end) before the keys go in. A terminal that reports no
 * state is not waited for; one that stays online past the window gets the keys anyway (and may refuse them). */
export async function cardholderTurn(terminal: TerminalDriver, window: Window): Promise<void> {
  const states = terminal.history.events(window.from).filter((r) => r.message.type === 'state');
  const last = states.at(-1)?.message;
  if (last?.type !== 'state' || last.state !== 'online') return;
  await terminal.history
    .waitFor(
      'the terminal to come back from the host',
      (r) => r.message.type === 'state' && r.message.state !== 'online',
      {
        from: terminal.history.mark(),
        timeoutMs: window.timeoutMs,
      },
    )
    .catch((error: Error) => {
      if (!(error instanceof TerminalTimeoutError)) throw error;
    });
}

/** A `state` asking for the cardholder (card, PIN) after the harness's last input: the transaction cannot end until
 * the scenario acts, so a wait for its result ends there, as the scenario's error. */
function cardholderAwaited(terminal: TerminalDriver, from: number): Ending<TerminalRecord> {
  const records = terminal.history.all(from);
  let lastInput = -1;
  records.forEach((r, index) => {
    if (r.dir === 'out' && r.message.type !== 'hello') lastInput = index;
  });
  const before = new Set(records.slice(0, lastInput + 1));
  return {
    what: 'a prompt for the cardholder',
    predicate: (r) => !before.has(r) && r.message.type === 'state' && AWAITING_CARDHOLDER.has(r.message.state),
    because: 'the terminal waits for the cardholder: the transaction cannot end until the scenario gives a card or PIN',
    error: (message) => new ScenarioError(message),
  };
}

/** After the transaction finished, fails with a FirmwareDefect (quoting the history) if any event matched. */
export async function never(
  terminal: TerminalDriver,
  what: string,
  predicate: (event: TerminalEvent) => boolean,
  window: Window,
): Promise<void> {
  await finishes(terminal, window);
  if (terminal.history.events(window.from).some((r) => predicate(r.message))) {
    throw new FirmwareDefect(
      `expected the terminal never to ${what}, but it did; ${terminal.history.quote(window.from)}`,
    );
  }
}

/** When the harness sent its first command from a cursor on (the action a window starts with); now if none yet. */
export function actionTime(terminal: TerminalDriver, from: number): Date {
  return terminal.history.all(from).find((r) => r.dir === 'out')?.at ?? new Date();
}

/** True when a display event shows the text on one line or across its lines. */
export function displayContains(event: TerminalEvent, text: string): boolean {
  return (
    event.type === 'display' && (event.lines.some((line) => line.includes(text)) || event.lines.join('').includes(text))
  );
}
