// The bank side: set a test balance, and check that the cardholder was debited and the merchant credited.

import assert from 'node:assert/strict';
import { Given, Then } from '@cucumber/cucumber';
import { formatMoney, type Money, money } from '../protocols/domain/money.ts';
import { RigFault, ScenarioError } from '../rigs/verdict/culprit.ts';
import type { PosWorld } from './support/world.ts';

async function cardHolds(this: PosWorld, alias: string, amount: Money): Promise<void> {
  const card = this.card(alias);
  await this.rig.bank.setBalance(card, amount);
  this.cardBaselines.set(alias, amount);
}

async function cardDebited(this: PosWorld, alias: string, amount: Money): Promise<void> {
  const card = this.card(alias);
  await this.settle();
  const before = await this.baselineOf(card);
  const now = await this.rig.bank.balance(card);
  const debited = money(before.minor - now.minor, now.currency);
  assert.equal(
    formatMoney(debited),
    formatMoney(amount),
    `card "${alias}": expected a debit of ${formatMoney(amount)}, but the balance went from ${formatMoney(before)} to ${formatMoney(now)}`,
  );
}

async function cardNotCharged(this: PosWorld, alias: string): Promise<void> {
  const card = this.card(alias);
  await this.settle();
  await cardDebited.call(this, alias, money(0, (await this.baselineOf(card)).currency));
}

async function merchantCredited(this: PosWorld, amount: Money): Promise<void> {
  const before = this.merchantBaseline;
  if (before instanceof RigFault) throw before;
  assert.ok(before, 'the merchant balance was not read when the scenario started');
  await this.settle();
  const now = await this.rig.bank.merchantBalance();
  const credited = money(now.minor - before.minor, now.currency);
  assert.equal(
    formatMoney(credited),
    formatMoney(amount),
    `merchant: expected a credit of ${formatMoney(amount)}, but the balance went from ${formatMoney(before)} to ${formatMoney(now)}`,
  );
}

async function merchantNotCredited(this: PosWorld): Promise<void> {
  await this.settle();
  const now = await this.rig.bank.merchantBalance();
  await merchantCredited.call(this, money(0, now.currency));
}

async function balanceIs(this: PosWorld, alias: string, amount: Money): Promise<void> {
  await this.settle();
  const now = await this.rig.bank.balance(this.card(alias));
  assert.equal(formatMoney(now), formatMoney(amount), `card "${alias}": balance`);
}

async function declineNext(this: PosWorld, code: string): Promise<void> {
  if (!/^[0-9A-Z]{2}$/.test(code) || code === '00')
    throw new ScenarioError(`response code "${code}": a decline is two characters other than "00" (e.g. "05", "51")`);
  await this.rig.bank.declineNextPurchase(code);
}

Given('the card {string} holds {money}', cardHolds);
Given('卡{string}余额为{money}', cardHolds);

Then('the card {string} is debited {money}', cardDebited);
Then('卡{string}被扣款{money}', cardDebited);

Then('the card {string} is not charged', cardNotCharged);
Then('卡{string}未被扣款', cardNotCharged);

Then('the merchant is credited {money}', merchantCredited);
Then('商户入账{money}', merchantCredited);

Then('the merchant is not credited', merchantNotCredited);
Then('商户未入账', merchantNotCredited);

Then('the card {string} has a balance of {money}', balanceIs);
Then('卡{string}的余额是{money}', balanceIs);

Given('the bank declines the next purchase with response code {string}', declineNext);
Given('银行以应答码{string}拒绝下一笔消费', declineNext);
