// The merchant and the cardholder act: start a sale, present a card, enter a PIN, cancel.

import { When } from '@cucumber/cucumber';
import { formatMoney, type Money, money } from '../protocols/domain/money.ts';
import type { CardMethod } from '../protocols/ecr/index.ts';
import { cardholderTurn } from '../rigs/terminal/expectations.ts';
import { ScenarioError } from '../rigs/verdict/culprit.ts';
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
  this.markAction();
  await this.rig.terminal.presentCard({ method, pan: card.pan, expiry: card.expiry });
}

async function enterPin(this: PosWorld, pin: string): Promise<void> {
  if (!/^\d{4,12}$/.test(pin)) throw new ScenarioError('a PIN is 4 to 12 digits');
  await cardholderTurn(this.rig.terminal, this.transactionWindow());
  this.markAction();
  await this.rig.terminal.pressKeys([...pin, 'ENTER']);
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
