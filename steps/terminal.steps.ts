// What the terminal shows, says and prints — thin words over the one waitFor (rigs/terminal/expectations.ts).

import assert from 'node:assert/strict';
import { Then } from '@cucumber/cucumber';
import { formatAmount, type Money } from '../protocols/domain/money.ts';
import { findUnmaskedPans } from '../protocols/domain/pan.ts';
import { finishes, never, prints, says, shows } from '../rigs/terminal/expectations.ts';
import type { PosWorld } from './support/world.ts';

/** A reversal waits out the response timeout first, and may need a retry. */
const REVERSAL_TIMEOUT_MS = 12_000;

const COPIES: Record<string, 'cardholder' | 'merchant'> = {
  cardholder: 'cardholder',
  merchant: 'merchant',
  持卡人: 'cardholder',
  商户: 'merchant',
};

async function terminalShows(this: PosWorld, text: string): Promise<void> {
  await shows(this.rig.terminal, text, this.window());
}

async function terminalSays(this: PosWorld, text: string): Promise<void> {
  await says(this.rig.terminal, text, this.window());
}

async function printsReceipt(this: PosWorld, copyWord: string, amount: Money): Promise<void> {
  const copy = COPIES[copyWord];
  if (!copy) throw new Error(`unknown receipt copy "${copyWord}" (known: ${Object.keys(COPIES).join(', ')})`);
  const printed = await prints(
    this.rig.terminal,
    `a ${copy} receipt for ${formatAmount(amount)} ${amount.currency}`,
    (p) => p.copy === copy && !p.reprint && p.lines.some((line) => line.includes(formatAmount(amount))),
    this.window(),
  );
  const leaked = findUnmaskedPans(printed.lines.join('\n'));
  assert.deepEqual(leaked, [], `the ${copy} receipt prints an unmasked card number`);
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

async function reverses(this: PosWorld): Promise<void> {
  const history = this.rig.terminal.history;
  const window = { from: this.transactionFrom, timeoutMs: REVERSAL_TIMEOUT_MS };
  // This transaction's STAN: from its result, or (power cut mid-transaction: no result) the reversal it stored.
  const result = history.events(this.transactionFrom).find((r) => r.message.type === 'result' && r.message.stan);
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
}

async function printsNothing(this: PosWorld): Promise<void> {
  await never(this.rig.terminal, 'print a receipt', (e) => e.type === 'print', this.transactionWindow());
}

async function outcomeIs(this: PosWorld, outcome: string, code?: string): Promise<void> {
  const result = await finishes(this.rig.terminal, this.window());
  const quoted = () => this.rig.terminal.history.quote(this.from);
  assert.equal(
    result.outcome,
    outcome,
    `the terminal reported "${result.outcome}", expected "${outcome}"; ${quoted()}`,
  );
  if (code)
    assert.equal(result.responseCode, code, `response code ${result.responseCode}, expected ${code}; ${quoted()}`);
}

Then('the terminal shows {string}', terminalShows);
Then('终端显示{string}', terminalShows);

Then('the terminal says {string}', terminalSays);
Then('终端播报{string}', terminalSays);

Then('the terminal prints a {word} receipt for {money}', printsReceipt);
Then('终端打印{word}存根，金额{money}', printsReceipt);

Then('the terminal reverses the transaction', reverses);
Then('终端冲正该交易', reverses);

Then('no receipt is printed', printsNothing);
Then('终端不打印凭证', printsNothing);

Then('the transaction is approved', function (this: PosWorld) {
  return outcomeIs.call(this, 'approved');
});
Then('交易成功完成', function (this: PosWorld) {
  return outcomeIs.call(this, 'approved');
});
Then('the transaction is declined with response code {string}', function (this: PosWorld, code: string) {
  return outcomeIs.call(this, 'declined', code);
});
Then('交易被拒绝，应答码{string}', function (this: PosWorld, code: string) {
  return outcomeIs.call(this, 'declined', code);
});
