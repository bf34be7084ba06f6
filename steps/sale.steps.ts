// The merchant and the cardholder act: start a sale, present a card, enter a PIN, cancel. The cardholder acts when
// the terminal asks (rigs/terminal/expectations.ts cardholderTurn), as a person at the till does.

import { Given, When } from '@cucumber/cucumber';
import { formatMoney, type Money, money } from '../protocols/domain/money.ts';
import type { CardMethod } from '../protocols/ecr/index.ts';
import { cardholderTurn } from '../rigs/terminal/expectations.ts';
import { ScenarioError } from '../rigs/verdict/culprit.ts';
import { markSkipped, noPinLimitOf } from './support/capabilities.ts';
import type { PosWorld } from './support/world.ts';

const METHODS: Record<string, CardMethod> = {
  swipes: 'swipe',
  inserts: 'chip',
  taps: 'tap',
  刷: 'swipe',
  插: 'chip',
  挥: 'tap',
};

async function startSale(this: PosWorld, amount: Money): Promise<void> {
  if (amount.minor <= 0) throw new ScenarioError(`a sale is for more than ${formatMoney(money(0, amount.currency))}`);
  this.startTransaction();
  await this.rig.terminal.startSale(amount);
}

async function presentCard(this: PosWorld, verb: string, alias: string): Promise<void> {
  const card = this.card(alias);
  const method = METHODS[verb];
  if (!method)
    throw new ScenarioError(`unknown way to present a card: "${verb}" (known: ${Object.keys(METHODS).join(', ')})`);
  await this.baselineOf(card);
  const terminal = this.rig.terminal;
  // Presented when the terminal asks for a card (its `state` `card`).
  await cardholderTurn(terminal, 'card', this.transactionWindow(), async () => {
    this.markAction();
    await terminal.presentCard({ method, pan: card.pan, expiry: card.expiry });
  });
}

async function enterPin(this: PosWorld, pin: string): Promise<void> {
  if (!/^\d{4,12}$/.test(pin)) throw new ScenarioError('a PIN is 4 to 12 digits');
  const terminal = this.rig.terminal;
  // Typed when the PIN prompt is up (`state` `pin`): after the card is read, or the host answered a wrong PIN.
  await cardholderTurn(terminal, 'pin', this.transactionWindow(), async () => {
    this.markAction();
    await terminal.pressKeys([...pin, 'ENTER']);
  });
}

/** A tap without a PIN for this amount needs a no-PIN limit at least as high: the rig declares its terminal's
 * (terminal.timing.noPinLimit). A terminal whose limit is lower, or that does not say, skips the scenario with the
 * reason: the scenario cannot be played there, and that is no one's fault. */
function noPinLimitAtLeast(this: PosWorld, amount: Money): 'skipped' | undefined {
  const limit = noPinLimitOf(this.rig);
  const where = `terminal.timing.noPinLimit in ${this.rig.file.file}`;
  let reason: string | undefined;
  if (!limit) reason = `skipped: rig ${this.rig.name} does not declare its terminal's no-PIN limit (${where})`;
  else if (limit.currency !== amount.currency)
    throw new ScenarioError(`the no-PIN limit is in ${limit.currency} (rig ${this.rig.name}), not ${amount.currency}`);
  else if (limit.minor < amount.minor)
    reason = `skipped: the terminal of rig ${this.rig.name} takes a tap without a PIN up to ${formatMoney(limit)} only (${where}), this scenario needs ${formatMoney(amount)}`;
  if (!reason) return undefined;
  this.log(reason);
  console.error(`posrig: ${reason}`);
  markSkipped(this, reason); // nothing of it ran: the After hook judges nothing
  return 'skipped';
}

/** The cardholder presses CANCEL on the keypad: a transaction in progress ends, outcome "cancelled". */
async function pressCancel(this: PosWorld): Promise<void> {
  this.markAction();
  await this.rig.terminal.pressKeys(['CANCEL']);
}

/** The cash register aborts: the terminal goes back to idle, a transaction in progress ends "cancelled". */
async function merchantAborts(this: PosWorld): Promise<void> {
  this.markAction();
  await this.rig.terminal.abort();
}

Given("the terminal's no-PIN limit is at least {money}", noPinLimitAtLeast);
Given('终端免密限额不低于{money}', noPinLimitAtLeast);

When('the merchant starts a sale of {money}', startSale);
When('商户发起消费{money}', startSale);

When(/^the cardholder (swipes|inserts|taps) the card "([^"]+)"$/, presentCard);
When(/^持卡人(刷|插|挥)卡"([^"]+)"$/, presentCard);

When('the cardholder enters PIN {string}', enterPin);
When('持卡人输入密码{string}', enterPin);

When('the cardholder presses CANCEL', pressCancel);
When('持卡人按取消键', pressCancel);

When('the merchant aborts the transaction', merchantAborts);
When('商户中止交易', merchantAborts);
