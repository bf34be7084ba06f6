// The World of one scenario: the leased rig, the history cursor where the scenario began, and balance baselines.
// Steps talk to the rig's interfaces only (TerminalDriver, BankProbe): the same scenario runs on real hardware.

import { type IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import type { Money } from '../../protocols/domain/money.ts';
import type { TestCard } from '../../rigs/file/cardBook.ts';
import type { Rig } from '../../rigs/rig.ts';
import type { Window } from '../../rigs/terminal/expectations.ts';
import { leasedRig } from './rigLease.ts';

/** How long a "Then the terminal …" step waits: the terminal's host timeout plus room for the link. */
const EVENT_TIMEOUT_MS = 8000;

export class PosWorld extends World {
  /** History cursor at the start of the scenario. */
  scenarioFrom = 0;
  /** History cursor where the current transaction (sale, reprint) started: "never" and "exactly one" look from here. */
  transactionFrom = 0;
  /** History cursor at the last merchant or cardholder action: "Then the terminal shows …" looks from here. */
  from = 0;
  /** A power cut armed to happen on a protocol event; "the power comes back" waits for it first. */
  powerCut: Promise<void> | undefined;
  /** Every account's balance when the scenario started, for the payment-truth check. */
  balancesBefore: Map<string, Money> | undefined;
  /** Balances when the scenario started (or when a step set them): "debited" and "credited" compare with these. */
  readonly cardBaselines = new Map<string, Money>();
  merchantBaseline: Money | undefined;

  constructor(options: IWorldOptions) {
    super(options);
  }

  get rig(): Rig {
    return leasedRig();
  }

  /** Marks the start of a new transaction (and of an action). */
  startTransaction(): void {
    this.transactionFrom = this.rig.terminal.history.mark();
    this.from = this.transactionFrom;
  }

  /** Marks a merchant or cardholder action: what the terminal does next is its answer to it. */
  markAction(): void {
    this.from = this.rig.terminal.history.mark();
  }

  /** The window a terminal expectation waits in: from the last action on. */
  window(): Window {
    return { from: this.from, timeoutMs: EVENT_TIMEOUT_MS };
  }

  /** The whole current transaction, for "never" and "exactly one" checks. */
  transactionWindow(): Window {
    return { from: this.transactionFrom, timeoutMs: EVENT_TIMEOUT_MS };
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
