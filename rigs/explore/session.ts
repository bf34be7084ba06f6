// An explored scenario played on a rig: the cursors a scenario keeps (where it, its transaction and the last action
// started) and each step played through the rig's interfaces exactly as its step definition in steps/ plays it —
// the same waits (rigs/terminal/expectations.ts), the same faults, the same verdicts — so the .feature written from
// the steps fails and passes where the exploration did.
//   const session = await ExploreSession.begin(rig);  await session.play(steps);  await session.judge();

import assert from 'node:assert/strict';
import { clock } from '../../protocols/domain/clock.ts';
import { formatAmount, formatMoney, type Money } from '../../protocols/domain/money.ts';
import { findUnmaskedPans, maskPan } from '../../protocols/domain/pan.ts';
import { monitorError } from '../monitor/monitor.ts';
import { judgeScenarioBehaviour } from '../monitor/scenarioBehaviour.ts';
import type { Rig } from '../rig.ts';
import {
  cardholderTurn,
  displayContains,
  outcomeIs as expectOutcome,
  finishes,
  never,
  prints,
  reversalConfirmed,
  says,
  shows,
  type Window,
} from '../terminal/expectations.ts';
import { settled, transactionEnding } from '../terminal/transactionEnd.ts';
import { judgeTruth } from '../truth/scenarioTruth.ts';
import { FirmwareDefect, RigFault, ScenarioError } from '../verdict/culprit.ts';
import { REPRINT_MARK, type ScenarioStep } from './scenarioStep.ts';
import { armFault, faultsOf, linkOf, powerOf } from './stepFaults.ts';

/** The step each failure was thrown by (the judge after the last step throws without one). */
const failedSteps = new WeakMap<Error, ScenarioStep>();

/** The step that failed with this error; undefined when the judge after the last step found it. */
export function failedStep(error: unknown): ScenarioStep | undefined {
  return error instanceof Error ? failedSteps.get(error) : undefined;
}

const METHODS = { swipe: 'swipe', chip: 'chip', tap: 'tap' } as const;

/** Where a run starts: its terminal history mark, when the rig was ready, the fault proxy's mark. */
export interface RunSpan {
  readonly scenarioFrom: number;
  readonly rigReadyAt: Date;
  readonly faultsFrom: number;
}

/** What a run did so far, for the progress line. */
export interface Tally {
  transactions: number;
  faults: number;
}

export class ExploreSession {
  private scenarioFrom = 0;
  private scenarioStarted = clock.date();
  private transactionFrom = 0;
  private transactionStarted = clock.date();
  private from = 0;
  private faultsFrom = 0;
  private powerCut: Promise<void> | undefined;
  private balancesBefore: Map<string, Money> | undefined;

  private constructor(
    readonly rig: Rig,
    readonly tally: Tally,
  ) {}

  /** Resets the rig (as before every scenario) and notes where the scenario starts and its balances. */
  static async begin(rig: Rig, tally: Tally): Promise<ExploreSession> {
    const session = new ExploreSession(rig, tally);
    await rig.reset();
    // A run starts on a freshly booted terminal where the rig can switch its power: nothing an earlier run left in
    // the terminal's RAM (its count of wrong PINs, its last receipt) may decide this one, so the .feature written from
    // a failure fails alone, as it will be run. (A reset between scenarios does not clear that RAM.)
    if (rig.power) {
      await rig.power.off();
      await rig.power.on();
    }
    session.scenarioStarted = clock.date();
    session.transactionStarted = session.scenarioStarted;
    session.scenarioFrom = rig.terminal.history.mark();
    session.transactionFrom = session.scenarioFrom;
    session.from = session.scenarioFrom;
    session.faultsFrom = rig.faults?.mark() ?? 0;
    session.balancesBefore = (await rig.bank.journal()) ? await rig.bank.balances() : undefined;
    return session;
  }

  /** Where this run starts, for its timeline (`posrig run` gathers a scenario's the same way). */
  timelineSpan(): RunSpan {
    return { scenarioFrom: this.scenarioFrom, rigReadyAt: this.scenarioStarted, faultsFrom: this.faultsFrom };
  }

  /** Plays the steps in order; the first that fails throws, its message naming the step. */
  async play(steps: readonly ScenarioStep[]): Promise<void> {
    for (const step of steps) {
      try {
        await this.step(step);
      } catch (error) {
        if (error instanceof Error) failedSteps.set(error, step);
        throw error;
      }
    }
  }

  /** After the last step, as after every scenario: the transaction ended (the power back on), then the
   * payment-truth invariant and the behaviour monitor. Throws the first violation. */
  async judge(): Promise<void> {
    const { rig } = this;
    if (rig.fault) throw rig.fault;
    if (this.powerCut) await this.powerCut.catch(() => {});
    if (rig.power?.isOn === false) await rig.power.on();
    await this.settle('scenario');
    const defect = rig.terminal.history.failure;
    if (defect) throw defect;
    const truth = await judgeTruth(rig, { from: this.scenarioFrom, balancesBefore: this.balancesBefore });
    const span = { from: this.scenarioFrom, started: this.scenarioStarted, faultsFrom: this.faultsFrom };
    const behaviour = await judgeScenarioBehaviour(rig, span);
    if (behaviour && behaviour.report.findings.length > 0) throw monitorError(behaviour.report, behaviour.evidence);
    if (truth) throw truth;
  }

  private async step(step: ScenarioStep): Promise<void> {
    const { rig } = this;
    const terminal = rig.terminal;
    switch (step.kind) {
      case 'holds':
        await rig.bank.setBalance(rig.cards.get(step.card), step.amount);
        return;
      case 'noPinLimit':
        return; // explore taps only up to the limit the rig declares
      case 'fault': {
        this.tally.faults++;
        const { cut } = await armFault(rig, step.fault);
        if (cut) this.powerCut = cut;
        return;
      }
      case 'linkFault':
        this.tally.faults++;
        return linkOf(rig).arm(step.fault);
      case 'paperOut':
        return terminal.setPrinter('paper-out', step.after);
      case 'startSale':
        this.tally.transactions++;
        this.startTransaction();
        return terminal.startSale(step.amount);
      case 'present': {
        const card = rig.cards.get(step.card);
        return cardholderTurn(terminal, 'card', this.transactionWindow(), async () => {
          this.markAction();
          await terminal.presentCard({ method: METHODS[step.method], pan: card.pan, expiry: card.expiry });
        });
      }
      case 'pin':
        return cardholderTurn(terminal, 'pin', this.transactionWindow(), async () => {
          this.markAction();
          await terminal.pressKeys([...step.pin, 'ENTER']);
        });
      case 'cancel':
        this.markAction();
        return terminal.pressKeys(['CANCEL']);
      case 'abort':
        this.markAction();
        return terminal.abort();
      case 'loadPaper':
        this.markAction();
        return terminal.setPrinter('ok');
      case 'reprint':
        this.startTransaction();
        return terminal.reprint();
      case 'powerBack':
        return this.powerBack();
      case 'recovers':
        return faultsOf(rig).heal();
      case 'shows':
        await shows(terminal, step.text, this.window(), rig.texts);
        return;
      case 'doesNotShow': {
        const expected = rig.texts.expected(step.text);
        const what = `show ${rig.texts.describe(step.text)}`;
        return never(terminal, what, (e) => displayContains(e, expected), this.transactionWindow());
      }
      case 'says':
        await says(terminal, step.text, this.window(), rig.texts);
        return;
      case 'outcome':
        return this.outcomeIs(step.outcome, step.code);
      case 'completes':
        await finishes(terminal, this.window());
        return;
      case 'noReceipt':
        return never(terminal, 'print a receipt', (e) => e.type === 'print', this.transactionWindow());
      case 'receipt':
        return this.printsReceipt(step.copy, step.amount);
      case 'markedReceipt':
        return this.printsMarked(step.copy, step.amount);
      case 'balance':
        return this.balanceIs(step.card, step.amount);
      case 'reverses':
        return this.reverses(step.reason);
      case 'noRequest':
        return this.noRequest();
    }
  }

  // --- the cursors (steps/support/world.ts)

  private startTransaction(): void {
    this.transactionFrom = this.rig.terminal.history.mark();
    this.transactionStarted = clock.date();
    this.from = this.transactionFrom;
  }

  private markAction(): void {
    this.from = this.rig.terminal.history.mark();
  }

  private window(): Window {
    return this.windowFrom(this.from);
  }

  private transactionWindow(): Window {
    return this.windowFrom(this.transactionFrom);
  }

  private windowFrom(from: number): Window {
    const { terminal, timing } = this.rig;
    return { from, timeoutMs: timing.eventMs, endsWhen: transactionEnding(terminal) };
  }

  private async settle(scope: 'transaction' | 'scenario'): Promise<void> {
    if (this.powerCut) await this.powerCut.catch(() => {});
    const { terminal, power, timing } = this.rig;
    const whole = scope === 'scenario';
    const since = whole ? this.scenarioStarted : this.transactionStarted;
    await settled(terminal, power, {
      from: whole ? this.scenarioFrom : this.transactionFrom,
      timing,
      approvedByHost: () => this.rig.approvedByHost(since),
      reversalsSent: () => this.rig.reversalsSent(since),
    });
  }

  // --- power (steps/faults.steps.ts)

  private async powerBack(): Promise<void> {
    const power = powerOf(this.rig);
    if (!this.powerCut && power.isOn) throw new ScenarioError('the power is on: nothing cut it');
    if (this.powerCut) await this.powerCut;
    this.powerCut = undefined;
    this.markAction();
    await power.on();
  }

  // --- outcome, receipts, reversals, balances (terminal, receipt, reversal and bank steps)

  private async outcomeIs(outcome: string, code?: string): Promise<void> {
    await expectOutcome(this.rig.terminal, this.window(), this.from, { outcome, code });
  }

  private async printsReceipt(copy: 'merchant' | 'cardholder', amount: Money): Promise<void> {
    const terminal = this.rig.terminal;
    const printed = await prints(
      terminal,
      `a ${copy} receipt for ${formatAmount(amount)} ${amount.currency}`,
      (p) => p.copy === copy && !p.reprint && p.lines.some((line) => amountOn(line, amount)),
      this.window(),
    );
    noUnmaskedPan(printed.lines, `the ${copy} receipt`);
    await finishes(terminal, this.window());
    const originals = terminal.history
      .events(this.transactionFrom)
      .filter((r) => r.message.type === 'print' && r.message.copy === copy && !r.message.reprint);
    assert.equal(
      originals.length,
      1,
      `expected one ${copy} copy, the terminal printed ${originals.length} not marked as reprints; ${terminal.history.quote(this.transactionFrom)}`,
    );
  }

  private async printsMarked(copy: 'merchant' | 'cardholder', amount: Money): Promise<void> {
    const texts = this.rig.texts;
    const mark = texts.expected(REPRINT_MARK, 'print');
    const printed = await prints(
      this.rig.terminal,
      `a ${copy} receipt marked as a reprint (${texts.describe(REPRINT_MARK, 'print')}) for ${formatMoney(amount)}`,
      (p) => p.copy === copy && p.lines.some((line) => line.includes(mark)) && p.lines.some((l) => amountOn(l, amount)),
      this.window(),
    );
    assert.equal(printed.reprint, true, `the ${copy} receipt says "${mark}" but its print event has reprint: false`);
    noUnmaskedPan(printed.lines, `the ${copy} reprint`);
  }

  private async balanceIs(alias: string, amount: Money): Promise<void> {
    await this.settle('transaction');
    const now = await this.rig.bank.balance(this.rig.cards.get(alias));
    assert.equal(formatMoney(now), formatMoney(amount), `card "${alias}": balance`);
  }

  private async reverses(reason?: string): Promise<void> {
    const window = { from: this.transactionFrom, timeoutMs: this.rig.timing.reversalMs };
    const stan = await reversalConfirmed(this.rig.terminal, window);
    if (!reason) return;
    const sent = faultsOf(this.rig)
      .messages(this.faultsFrom)
      .filter((m) => m.direction === 'request' && m.mti === '0400' && m.stan === stan);
    if (sent.length === 0) throw new RigFault(`the fault proxy saw no 0400 for STAN ${stan}`);
    const wrong = sent.find((m) => m.responseCode !== reason);
    if (wrong)
      throw new FirmwareDefect(
        `the reversal of STAN ${stan} carried reason (DE39) "${wrong.responseCode ?? 'none'}", expected "${reason}"`,
      );
  }

  private async noRequest(): Promise<void> {
    await finishes(this.rig.terminal, this.window());
    const sent = faultsOf(this.rig)
      .messages(this.faultsFrom)
      .filter((m) => m.direction === 'request' && m.mti === '0200' && m.at >= this.transactionStarted);
    if (sent.length > 0)
      throw new FirmwareDefect(
        `the sale sent its request to the host (0200 STAN ${sent[0]?.stan}) while a reversal was owed`,
      );
  }
}

/** The amount on a line in major units with its decimals, not inside a longer number (receipt.steps.ts). */
function amountOn(line: string, amount: Money): boolean {
  const [whole = '', fraction] = formatAmount(amount).split('.');
  const digits = whole.replace(/\B(?=(\d{3})+$)/g, ',?') + (fraction === undefined ? '' : `\\.${fraction}`);
  return new RegExp(`(?<![\\d.,])${digits}(?!\\d|[.,]\\d)`).test(line);
}

function noUnmaskedPan(lines: readonly string[], what: string): void {
  const pans = findUnmaskedPans(lines.join('\n'));
  if (pans.length > 0)
    throw new FirmwareDefect(`[pan-masked] ${what} prints an unmasked card number (${pans.map(maskPan).join(', ')})`);
}
