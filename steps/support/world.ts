// The World of one scenario: the leased rig, the history cursor where the scenario began, and balance baselines.
// Steps talk to the rig's interfaces only (TerminalDriver, BankProbe): the same scenario runs on real hardware.

import { type IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import { clock } from '../../protocols/domain/clock.ts';
import type { Money } from '../../protocols/domain/money.ts';
import type { TestCard } from '../../rigs/file/cardBook.ts';
import type { Rig } from '../../rigs/rig.ts';
import type { Window } from '../../rigs/terminal/expectations.ts';
import { settled, transactionEnding } from '../../rigs/terminal/transactionEnd.ts';
import { type RigFault, ScenarioError } from '../../rigs/verdict/culprit.ts';
import { leasedRig } from './rigLease.ts';
import type { StepPictures } from './stepPictures.ts';

export class PosWorld extends World {
  /** History cursor at the start of the scenario. */
  scenarioFrom = 0;
  /** When the scenario started: traces kept outside the terminal history are cut here for the evidence. */
  scenarioStarted = clock.date();
  /** When the rig was ready for the scenario (after its reset): the evidence's timeline starts here. */
  rigReadyAt = clock.date();
  /** When the current transaction started: the host's approvals since then are this transaction's money. */
  transactionStarted = clock.date();
  /** What posrig itself did to judge the scenario (e.g. power restored), for the evidence. */
  readonly notes: string[] = [];
  /** Cursor into the fault proxy's traffic at the start of the scenario. */
  faultsFrom = 0;
  /** History cursor where the current transaction (sale, reprint) started: "never" and "exactly one" look from here. */
  transactionFrom = 0;
  /** History cursor at the last merchant or cardholder action: "Then the terminal shows …" looks from here. */
  from = 0;
  /** Cursor into the fault proxy's traffic when "the power comes back" last switched the power on. */
  powerOnFaultsFrom: number | undefined;
  /** A power cut armed to happen on a protocol event; "the power comes back" waits for it first. */
  powerCut: Promise<void> | undefined;
  /** Every account's balance when the scenario started, for the payment-truth check. */
  balancesBefore: Map<string, Money> | undefined;
  /** Balances when the scenario started (or when a step set them): "debited" and "credited" compare with these. */
  readonly cardBaselines = new Map<string, Money>();
  /** The merchant's balance when the scenario started; the RigFault when the bank probe cannot read it. */
  merchantBaseline: Money | RigFault | undefined;
  /** What the scenario has shown and printed, attached step by step (stepPictures.ts); set when it starts. */
  pictures: StepPictures | undefined;

  constructor(options: IWorldOptions) {
    super(options);
  }

  get rig(): Rig {
    return leasedRig();
  }

  /** Marks the start of a new transaction (and of an action). */
  startTransaction(): void {
    this.transactionFrom = this.rig.terminal.history.mark();
    this.transactionStarted = clock.date();
    this.from = this.transactionFrom;
  }

  /** Marks a merchant or cardholder action: what the terminal does next is its answer to it. */
  markAction(): void {
    this.from = this.rig.terminal.history.mark();
  }

  /** The window a terminal expectation waits in: from the last action on, up to the rig's event timeout, ending
   * early when the transaction ends without what was awaited. */
  window(): Window {
    return this.windowFrom(this.from);
  }

  /** The whole current transaction, for "never" and "exactly one" checks. */
  transactionWindow(): Window {
    return this.windowFrom(this.transactionFrom);
  }

  /** Waits until the current transaction (or every one of the scenario) has ended — result, owed reversals delivered,
   * or power cut: what a balance read and the payment-truth check must see. Bounded by the rig's timing. */
  async settle(scope: 'transaction' | 'scenario' = 'transaction'): Promise<void> {
    if (this.powerCut) await this.powerCut.catch(() => {});
    const { terminal, power, timing } = this.rig;
    if (scope === 'transaction' && power?.isOn === false)
      throw new ScenarioError(
        'the terminal\'s power is off: its transaction ends (and its reversal goes out) only once the power is back: add "When the power comes back" before reading balances',
      );
    const whole = scope === 'scenario';
    const since = whole ? this.scenarioStarted : this.transactionStarted;
    const approvedByHost = () => this.rig.approvedByHost(since);
    const reversalsSent = () => this.rig.reversalsSent(since);
    const from = whole ? this.scenarioFrom : this.transactionFrom;
    await settled(terminal, power, { from, timing, approvedByHost, reversalsSent });
  }

  private windowFrom(from: number): Window {
    const { terminal, timing } = this.rig;
    return { from, timeoutMs: timing.eventMs, endsWhen: transactionEnding(terminal) };
  }

  /** The card by alias; an unknown alias names the fixture and the known aliases. */
  card(alias: string): TestCard {
    return this.rig.cards.get(alias);
  }

  /** The baseline balance of a card, read from the bank the first time it is needed. */
  async baselineOf(card: TestCard): Promise<Money> {
    const known = this.cardBaselines.get(card.alias);
    if (known) return known;
    const balance = await this.rig.bank.balance(card);
    this.cardBaselines.set(card.alias, balance);
    return balance;
  }
}

setWorldConstructor(PosWorld);
