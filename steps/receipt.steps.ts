// Receipts and the printer: what each copy prints, paper out (now or after the first copy), paper loaded, a
// reprint asked for — and how a reprint is marked. Copies printed after paper is loaded are reprints.
// What a copy prints is judged by meaning (the amount, the card masked), whatever the terminal's layout and labels;
// "shows "<text>"" alone looks for a terminal's exact wording.

import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { amountOn, formatAmount, formatMoney, type Money } from '../protocols/domain/money.ts';
import { findUnmaskedPans, maskPan, maskPansIn } from '../protocols/domain/pan.ts';
import { localDateTime } from '../protocols/domain/time.ts';
import { actionTime, finishes, never, type PrintRecord, printRecord, prints } from '../rigs/terminal/expectations.ts';
import { FirmwareDefect, ScenarioError } from '../rigs/verdict/culprit.ts';
import type { PosWorld } from './support/world.ts';

type Copy = 'cardholder' | 'merchant';

const COPIES: Readonly<Record<string, Copy>> = {
  cardholder: 'cardholder',
  merchant: 'merchant',
  持卡人: 'cardholder',
  商户: 'merchant',
};

/** How far the time a receipt prints may be from when posrig saw the transaction (a terminal clock set by hand). */
const CLOCK_TOLERANCE_S = 60;
/** A receipt's date and time: 2025-01-02 03:04:05, 2025/01/02 03:04 … */
const DATE_TIME = /(\d{4})[-/.](\d{2})[-/.](\d{2})\s+(\d{2}):(\d{2})(?::(\d{2}))?/;

/** The PAN's digits in order, spaces or hyphens allowed between them ("6228 4804 …"): a clear PAN however grouped. */
function clearPan(pan: string): RegExp {
  return new RegExp([...pan].join('[ -]?'), 'g');
}

/** The PAN masked: its first 6 and last 4 digits, each digit between as one mask character (* X • …), spaces or
 * hyphens allowed between them ("622848*********0018", "6228 48** **** **** 0018"). */
function maskedPan(pan: string): RegExp {
  const kept = [...pan].map((digit, i) => (i < 6 || i >= pan.length - 4 ? digit : '[^\\d\\s-]'));
  return new RegExp(`(?<!\\d)${kept.join('[ -]?')}(?!\\d)`);
}

/** A copy's lines for a failure message, indented, every card number in them masked. */
function printout(lines: readonly string[], pan?: string): string {
  const masked = lines.map((line) => maskPansIn(pan ? line.replace(clearPan(pan), maskPan(pan)) : line));
  return `it printed:\n    ${masked.join('\n    ')}`;
}

/** The copy a word names; an unknown word is the scenario's mistake. */
function copyOf(word: string): Copy {
  const copy = COPIES[word];
  if (!copy) throw new ScenarioError(`unknown receipt copy "${word}" (known: ${Object.keys(COPIES).join(', ')})`);
  return copy;
}

/** The card numbers found are named masked: a failure message never shows a clear PAN. */
function noUnmaskedPan(lines: readonly string[], what: string): void {
  const pans = findUnmaskedPans(lines.join('\n'));
  if (pans.length > 0)
    throw new FirmwareDefect(`[pan-masked] ${what} prints an unmasked card number (${pans.map(maskPan).join(', ')})`);
}

/** The first copy of this kind printed for the current transaction (after its result too: paper loaded later). */
async function copyPrinted(world: PosWorld, copy: Copy): Promise<PrintRecord> {
  const window = { from: world.transactionFrom, timeoutMs: world.window().timeoutMs };
  return printRecord(world.rig.terminal, `the ${copy} copy of this transaction`, (p) => p.copy === copy, window);
}

async function paperOut(this: PosWorld): Promise<void> {
  await this.rig.terminal.setPrinter('paper-out', 'now');
}

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

/** Exactly one original (unmarked) copy for the amount, its card number masked. */
async function printsReceipt(this: PosWorld, copyWord: string, amount: Money): Promise<void> {
  const copy = copyOf(copyWord);
  const printed = await prints(
    this.rig.terminal,
    `a ${copy} receipt for ${formatAmount(amount)} ${amount.currency}`,
    (p) => p.copy === copy && !p.reprint && p.lines.some((line) => amountOn(line, amount)),
    this.window(),
  );
  noUnmaskedPan(printed.lines, `the ${copy} receipt`);
  await finishes(this.rig.terminal, this.window());
  const originals = this.rig.terminal.history
    .events(this.transactionFrom)
    .filter((r) => r.message.type === 'print' && r.message.copy === copy && !r.message.reprint);
  assert.equal(
    originals.length,
    1,
    `expected one ${copy} copy, the terminal printed ${originals.length} not marked as reprints; ${this.rig.terminal.history.quote(this.transactionFrom)}`,
  );
}

/** A copy carrying the mark (on a line; as this terminal words it) and `reprint: true`, for the amount when one is
 * given. */
async function markedCopy(world: PosWorld, copyWord: string, quoted: string, amount?: Money): Promise<void> {
  const copy = copyOf(copyWord);
  const forAmount = amount ? ` for ${formatMoney(amount)}` : '';
  const mark = world.rig.texts.expected(quoted, 'print');
  const printed = await prints(
    world.rig.terminal,
    `a ${copy} receipt marked as a reprint (${world.rig.texts.describe(quoted, 'print')})${forAmount}`,
    (p) =>
      p.copy === copy &&
      p.lines.some((line) => line.includes(mark)) &&
      (!amount || p.lines.some((line) => amountOn(line, amount))),
    world.window(),
  );
  assert.equal(printed.reprint, true, `the ${copy} receipt says "${mark}" but its print event has reprint: false`);
  noUnmaskedPan(printed.lines, `the ${copy} reprint`);
}

async function printsMarked(this: PosWorld, copyWord: string, mark: string): Promise<void> {
  await markedCopy(this, copyWord, mark);
}

async function printsMarkedFor(this: PosWorld, copyWord: string, mark: string, amount: Money): Promise<void> {
  await markedCopy(this, copyWord, mark, amount);
}

/** The transaction's copy has a line containing the text. */
async function receiptShows(this: PosWorld, copyWord: string, text: string): Promise<void> {
  const copy = copyOf(copyWord);
  const { message } = await copyPrinted(this, copy);
  assert.ok(
    message.lines.some((line) => line.includes(text)),
    `the ${copy} receipt has no line containing "${text}"; ${printout(message.lines)}`,
  );
}

/** The copy prints the rig file's terminal ID (DE41) and merchant ID (DE42). */
async function receiptShowsIds(this: PosWorld, copyWord: string): Promise<void> {
  const { id, merchant } = this.rig.file.terminal;
  await receiptShows.call(this, copyWord, id);
  await receiptShows.call(this, copyWord, merchant.id);
}

/** The copy prints a date and time between the start of the transaction and the copy (± the clock tolerance). */
async function receiptShowsTime(this: PosWorld, copyWord: string): Promise<void> {
  const copy = copyOf(copyWord);
  const record = await copyPrinted(this, copy);
  const started = actionTime(this.rig.terminal, this.transactionFrom);
  const found = record.message.lines.map((line) => DATE_TIME.exec(line)).find((m) => m !== null);
  assert.ok(
    found,
    `the ${copy} receipt prints no date and time (YYYY-MM-DD hh:mm[:ss]); ${printout(record.message.lines)}`,
  );
  const [, y, mo, d, h, mi, s] = found.map(Number);
  const printedAt = new Date(y ?? 0, (mo ?? 1) - 1, d, h, mi, Number.isNaN(s) ? 0 : s).getTime();
  const earliest = started.getTime() - CLOCK_TOLERANCE_S * 1000 - 1000;
  const latest = record.at.getTime() + CLOCK_TOLERANCE_S * 1000;
  assert.ok(
    printedAt >= earliest && printedAt <= latest,
    `the ${copy} receipt prints "${found[0]}", but the transaction ran from ${localDateTime(started)} to ${localDateTime(record.at)} (±${CLOCK_TOLERANCE_S} s allowed)`,
  );
}

/** The copy has a line with the amount in major units and its decimals, however the terminal labels it. */
async function receiptShowsAmount(this: PosWorld, copyWord: string, amount: Money): Promise<void> {
  const copy = copyOf(copyWord);
  const { message } = await copyPrinted(this, copy);
  if (!message.lines.some((line) => amountOn(line, amount)))
    throw new FirmwareDefect(
      `the ${copy} receipt prints no amount ${formatAmount(amount)}; ${printout(message.lines)}`,
    );
}

/** The copy has a line with the card's PAN masked to its first 6 and last 4 digits, and none with the clear PAN. */
async function receiptShowsMaskedCard(this: PosWorld, copyWord: string, alias: string): Promise<void> {
  const copy = copyOf(copyWord);
  const { pan } = this.card(alias);
  const { message } = await copyPrinted(this, copy);
  if (message.lines.some((line) => clearPan(pan).test(line)))
    throw new FirmwareDefect(
      `[pan-masked] docs/protocol.md §6: the ${copy} receipt prints the card "${alias}" unmasked; ${printout(message.lines, pan)}`,
    );
  if (!message.lines.some((line) => maskedPan(pan).test(line)))
    throw new FirmwareDefect(
      `the ${copy} receipt prints no line with the card "${alias}" masked to its first 6 and last 4 digits (${maskPan(pan)}); ${printout(message.lines, pan)}`,
    );
}

async function printsNothing(this: PosWorld): Promise<void> {
  await never(this.rig.terminal, 'print a receipt', (e) => e.type === 'print', this.transactionWindow());
}

Given('the printer is out of paper', paperOut);
Given('打印机缺纸', paperOut);

Given('the printer runs out of paper after the first copy', paperOutAfterFirstCopy);
Given('打印完第一联后打印机缺纸', paperOutAfterFirstCopy);

When('the merchant loads paper', loadPaper);
When('商户装入打印纸', loadPaper);

When('the merchant asks for a reprint of the last receipt', askForReprint);
When('商户要求重打印上一张凭证', askForReprint);

Then('the terminal prints a {word} receipt for {money}', printsReceipt);
Then('终端打印{word}存根，金额{money}', printsReceipt);

Then('the terminal prints a {word} receipt marked {string}', printsMarked);
Then('终端打印{word}存根，标注{string}', printsMarked);

Then('the terminal prints a {word} receipt marked {string} for {money}', printsMarkedFor);
Then('终端打印{word}存根，标注{string}，金额{money}', printsMarkedFor);

Then('the {word} receipt shows {string}', receiptShows);
Then('{word}存根显示{string}', receiptShows);

Then("the {word} receipt shows this terminal's ID and merchant ID", receiptShowsIds);
Then('{word}存根显示本终端的终端编号和商户编号', receiptShowsIds);

Then('the {word} receipt shows the transaction time', receiptShowsTime);
Then('{word}存根显示交易时间', receiptShowsTime);

Then('the {word} receipt shows the amount {money}', receiptShowsAmount);
Then('{word}存根显示金额{money}', receiptShowsAmount);

Then('the {word} receipt shows the card {string} masked', receiptShowsMaskedCard);
Then('{word}存根显示卡{string}的掩码卡号', receiptShowsMaskedCard);

Then('no receipt is printed', printsNothing);
Then('终端不打印凭证', printsNothing);
