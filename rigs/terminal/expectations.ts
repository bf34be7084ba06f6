// The words steps use on a terminal — "shows", "says", "prints", "never shows", "finishes" — as thin
// predicates over the one EventHistory.waitFor. Given the rig's text profile, a quoted reference text is looked for
// as this terminal words it (and errors name both).
//   await shows(terminal, '交易成功', { from, timeoutMs });
//   await shows(terminal, '交易成功', { from, timeoutMs }, rig.texts);  // waits for 已支付 on a terminal saying so

import assert from 'node:assert/strict';
import { clock } from '../../protocols/domain/clock.ts';
import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import type { TextProfile } from '../text/textProfile.ts';
import type { Ending } from '../timeline/timeline.ts';
import { FirmwareDefect, ScenarioError } from '../verdict/culprit.ts';
import { type TerminalRecord, TerminalTimeoutError } from './eventHistory.ts';
import type { TerminalDriver } from './terminalDriver.ts';
import { TerminalRefusal } from './terminalRefusal.ts';
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

/** Waits until a display event contains the text (any line, or the lines joined): the profile's wording of it. */
export async function shows(
  terminal: TerminalDriver,
  text: string,
  window: Window,
  texts?: TextProfile,
): Promise<TerminalRecord> {
  const expected = texts?.expected(text) ?? text;
  const what = texts?.describe(text) ?? JSON.stringify(text);
  return terminal.history.waitFor(`the display to show ${what}`, (r) => displayContains(r.message, expected), window);
}

/** Waits until a voice prompt contains the text: the profile's wording of it. */
export async function says(
  terminal: TerminalDriver,
  text: string,
  window: Window,
  texts?: TextProfile,
): Promise<TerminalRecord> {
  const expected = texts?.expected(text, 'voice') ?? text;
  const what = texts?.describe(text, 'voice') ?? JSON.stringify(text);
  return terminal.history.waitFor(
    `the voice prompt ${what}`,
    (r) => r.message.type === 'voice' && r.message.text.includes(expected),
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

/** The transaction's result has this outcome (and response code, when given); a power cut that ended it without a
 * result leaves it no outcome to have (a scenario error). The failure quotes the history from `from` on. */
export async function outcomeIs(
  terminal: TerminalDriver,
  window: Window,
  from: number,
  expected: { outcome: string; code?: string | undefined },
): Promise<void> {
  const { outcome, code } = expected;
  const result = await finishes(terminal, window);
  const quoted = () => terminal.history.quote(from);
  if (!result)
    throw new ScenarioError(
      `the power was cut during the transaction: it ended without a result, so it has no outcome to be "${outcome}"; ${quoted()}`,
    );
  assert.equal(
    result.outcome,
    outcome,
    `the terminal reported "${result.outcome}", expected "${outcome}"; ${quoted()}`,
  );
  if (code)
    assert.equal(result.responseCode, code, `response code ${result.responseCode}, expected ${code}; ${quoted()}`);
}

/** Waits for the host to confirm the reversal of the transaction that began at `window.from`; its STAN — from its
 * result, or (a power cut mid-transaction: no result) from the reversal it stored. */
export async function reversalConfirmed(terminal: TerminalDriver, window: Window): Promise<string | undefined> {
  const history = terminal.history;
  const result = history.events(window.from).find((r) => r.message.type === 'result' && r.message.stan);
  const stored = result
    ? undefined
    : await history.waitFor(
        'the terminal to store a reversal for this transaction',
        (r) => r.message.type === 'reversal' && r.message.status === 'stored',
        window,
      );
  const record = result ?? stored;
  const stan = record && 'stan' in record.message ? record.message.stan : undefined;
  await history.waitFor(
    `the host to confirm the reversal of STAN ${stan} (a "reversal" event with status "confirmed")`,
    (r) => r.message.type === 'reversal' && r.message.status === 'confirmed' && r.message.stan === stan,
    window,
  );
  return stan;
}

/** What the terminal asks the cardholder for: a card (`state` `card`) or the PIN (`state` `pin`). */
export type Prompt = 'card' | 'pin';

const PROMPT_WORDS: Record<Prompt, string> = { card: 'a card', pin: 'the PIN' };

/** Whether the cardholder's input goes in now ('go') or once the terminal asks for it ('wait'), from the `state`
 * values the terminal reported in this transaction and those since the harness's last input. A terminal that reports
 * no state is not waited for (docs/protocol.md: states are RECOMMENDED); one that asks for the prompt gets it at once,
 * and so does one that asks the cardholder for something else (a PIN typed while it asks for a card): its refusal is
 * the scenario's. It waits while the terminal reads the card or talks to the host. */
export function pace(prompt: Prompt, inTransaction: readonly string[], sinceInput: readonly string[]): 'go' | 'wait' {
  if (inTransaction.length === 0) return 'go';
  const last = sinceInput.at(-1);
  return last === prompt || (last !== undefined && AWAITING_CARDHOLDER.has(last)) ? 'go' : 'wait';
}

/** The cardholder acts when asked: `input` goes in once the terminal's last `state` since the harness's last input is
 * the prompt (a card read, the host's answer to a wrong PIN may come first). A terminal that reports no state is not
 * waited for. One that reported states but does not ask within the window gets the input anyway and its answer
 * decides: accepted, the scenario goes on; refused, that is the terminal's doing (it stayed in a state past the rig's
 * wait) — a FirmwareDefect naming that state — unless the transaction had ended meanwhile (the scenario's). */
export async function cardholderTurn(
  terminal: TerminalDriver,
  prompt: Prompt,
  window: Window,
  input: () => Promise<void>,
): Promise<void> {
  const history = terminal.history;
  const records = history.all(window.from);
  const stateOf = (r: (typeof records)[number]) =>
    r.dir === 'in' && r.message.type === 'state' ? r.message.state : '';
  let lastInput = -1;
  records.forEach((r, index) => {
    if (r.dir === 'out' && r.message.type !== 'hello') lastInput = index;
  });
  const inTransaction = records.map(stateOf).filter(Boolean);
  const sinceInput = records
    .slice(lastInput + 1)
    .map(stateOf)
    .filter(Boolean);
  if (pace(prompt, inTransaction, sinceInput) === 'go') return input();
  const started = clock.now();
  const wait = await history
    .waitFor(
      `the terminal to ask for ${PROMPT_WORDS[prompt]} (state "${prompt}")`,
      (r) => r.message.type === 'state' && r.message.state === prompt,
      { from: history.mark(), timeoutMs: window.timeoutMs, endsWhen: window.endsWhen },
    )
    .then(() => 'asked' as const)
    .catch((error: Error) => {
      if (error instanceof TerminalTimeoutError) return 'not asked';
      throw error;
    });
  const ended = window.endsWhen && history.events(window.from).some((r) => window.endsWhen?.predicate(r));
  if (wait === 'asked' || ended) return input();
  const state = history
    .events(window.from)
    .map((r) => (r.message.type === 'state' ? r.message.state : ''))
    .filter(Boolean)
    .at(-1);
  try {
    await input();
  } catch (error) {
    if (!(error instanceof TerminalRefusal)) throw error;
    const waited = ((clock.now() - started) / 1000).toFixed(1);
    throw new FirmwareDefect(
      `the terminal stayed in state "${state}" for ${waited} s without asking for ${PROMPT_WORDS[prompt]} (state "${prompt}"), then refused it: ${error.message}; ${history.quote(window.from)}`,
    );
  }
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

/** Waits until a display event contains the text no later than `boundMs` after the window's first action; a
 * FirmwareDefect naming the bound (`what`) when it comes later or not at all. */
export async function showsWithin(
  terminal: TerminalDriver,
  text: string,
  window: Window,
  boundMs: number,
  what: string,
  texts?: TextProfile,
): Promise<TerminalRecord> {
  const started = actionTime(terminal, window.from).getTime();
  const leftMs = Math.max(1, started + boundMs - clock.now());
  const record = await shows(terminal, text, { ...window, timeoutMs: leftMs }, texts).catch((error: Error) => {
    if (!(error instanceof TerminalTimeoutError)) throw error;
    throw new FirmwareDefect(`not within ${what} of the last action: ${error.message}`);
  });
  const tookMs = record.at.getTime() - started;
  if (tookMs > boundMs)
    throw new FirmwareDefect(
      `the display showed ${texts?.describe(text) ?? JSON.stringify(text)} ${tookMs} ms after the action, later than ${what}; ${terminal.history.quote(window.from)}`,
    );
  return record;
}

/** When the harness sent its first command from a cursor on (the action a window starts with); now if none yet. */
export function actionTime(terminal: TerminalDriver, from: number): Date {
  return terminal.history.all(from).find((r) => r.dir === 'out')?.at ?? clock.date();
}

/** True when a display event shows the text on one line or across its lines. */
export function displayContains(event: TerminalEvent, text: string): boolean {
  return (
    event.type === 'display' && (event.lines.some((line) => line.includes(text)) || event.lines.join('').includes(text))
  );
}
