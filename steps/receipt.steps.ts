// The printer and reprints: paper out, paper loaded, a reprint asked for — and how the reprint is marked.

import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { findUnmaskedPans } from '../protocols/domain/pan.ts';
import { prints } from '../rigs/terminal/expectations.ts';
import type { PosWorld } from './support/world.ts';

async function paperOutAfterFirstCopy(this: PosWorld): Promise<void> {
  await this.rig.terminal.setPrinter('paper-out', 'first-copy');
}

async function loadPaper(this: PosWorld): Promise<void> {
  this.markAction();
  await this.rig.terminal.setPrinter('ok');
}

async function askForReprint(this: PosWorld): Promise<void> {
  this.startTransaction();
  await this.rig.terminal.reprint();
}

async function printsMarkedReprint(this: PosWorld, mark: string): Promise<void> {
  const printed = await prints(
    this.rig.terminal,
    `a cardholder receipt marked as a reprint ("${mark}")`,
    (p) => p.copy === 'cardholder' && p.lines.some((line) => line.includes(mark)),
    this.window(),
  );
  assert.equal(printed.reprint, true, `the receipt says "${mark}" but its print event has reprint: false`);
  assert.deepEqual(findUnmaskedPans(printed.lines.join('\n')), [], 'the reprint prints an unmasked card number');
}

Given('the printer runs out of paper after the first copy', paperOutAfterFirstCopy);
Given('打印完第一联后打印机缺纸', paperOutAfterFirstCopy);

When('the merchant loads paper', loadPaper);
When('商户装入打印纸', loadPaper);

When('the merchant asks for a reprint of the last receipt', askForReprint);
When('商户要求重打印上一张凭证', askForReprint);

Then('the terminal prints a cardholder receipt marked {string}', printsMarkedReprint);
Then('终端打印标注{string}的持卡人存根', printsMarkedReprint);
