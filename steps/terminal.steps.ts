// What the terminal shows and says, and how the transaction ended — thin words over the one waitFor
// (rigs/terminal/expectations.ts). Receipts are in receipt.steps.ts.

import { Then } from '@cucumber/cucumber';
import {
  displayContains,
  outcomeIs as expectOutcome,
  finishes,
  never,
  reversalConfirmed,
  says,
  shows,
  showsWithin,
} from '../rigs/terminal/expectations.ts';
import { ScenarioError } from '../rigs/verdict/culprit.ts';
import type { PosWorld } from './support/world.ts';

/** The longest bound "shows … within n s" accepts; its cucumber timeout is a little above it. */
const WITHIN_MAX_S = 60;

async function terminalShows(this: PosWorld, text: string): Promise<void> {
  await shows(this.rig.terminal, text, this.window(), this.rig.texts);
}

/** The display shows the text at most `seconds` after the last merchant or cardholder action. */
async function terminalShowsWithin(this: PosWorld, text: string, seconds: number): Promise<void> {
  if (!(seconds > 0 && seconds <= WITHIN_MAX_S))
    throw new ScenarioError(`"within ${seconds} s": the bound is more than 0 and at most ${WITHIN_MAX_S} s`);
  await showsWithin(this.rig.terminal, text, this.window(), seconds * 1000, `${seconds} s`, this.rig.texts);
}

/** Once the transaction has ended, nothing it displayed contained the text (as this terminal words it). */
async function terminalNeverShows(this: PosWorld, text: string): Promise<void> {
  const expected = this.rig.texts.expected(text);
  const what = `show ${this.rig.texts.describe(text)}`;
  await never(this.rig.terminal, what, (e) => displayContains(e, expected), this.transactionWindow());
}

async function terminalSays(this: PosWorld, text: string): Promise<void> {
  await says(this.rig.terminal, text, this.window(), this.rig.texts);
}

async function reverses(this: PosWorld): Promise<void> {
  await confirmedReversal(this);
}

/** Waits for the host to confirm the reversal of this transaction; its STAN. */
export async function confirmedReversal(world: PosWorld): Promise<string | undefined> {
  // A reversal waits out the response timeout first, and may need retries: the rig's reversal wait.
  return reversalConfirmed(world.rig.terminal, { from: world.transactionFrom, timeoutMs: world.rig.timing.reversalMs });
}

/** The transaction ended: its result arrived, whatever its outcome (or a power cut ended it). */
async function completes(this: PosWorld): Promise<void> {
  await finishes(this.rig.terminal, this.window());
}

/** The transaction's result has this outcome (and response code, when given). */
async function outcomeIs(world: PosWorld, outcome: string, code?: string): Promise<void> {
  await expectOutcome(world.rig.terminal, world.window(), world.from, { outcome, code });
}

async function approved(this: PosWorld): Promise<void> {
  await outcomeIs(this, 'approved');
}

async function cancelled(this: PosWorld): Promise<void> {
  await outcomeIs(this, 'cancelled');
}

/** The host's answer was unusable, the connection was lost, or an owed reversal kept the request back: "failed". */
async function failed(this: PosWorld): Promise<void> {
  await outcomeIs(this, 'failed');
}

/** No answer within the terminal's response timeout: outcome "timeout". */
async function timedOut(this: PosWorld): Promise<void> {
  await outcomeIs(this, 'timeout');
}

async function declinedWith(this: PosWorld, code: string): Promise<void> {
  await outcomeIs(this, 'declined', code);
}

Then('the terminal shows {string}', terminalShows);
Then('终端显示{string}', terminalShows);

Then('the terminal shows {string} within {float} s', { timeout: (WITHIN_MAX_S + 5) * 1000 }, terminalShowsWithin);
Then('终端显示{string}，用时不超过{float}秒', { timeout: (WITHIN_MAX_S + 5) * 1000 }, terminalShowsWithin);

Then('the terminal does not show {string}', terminalNeverShows);
Then('终端不显示{string}', terminalNeverShows);

Then('the terminal says {string}', terminalSays);
Then('终端播报{string}', terminalSays);

Then('the terminal reverses the transaction', reverses);
Then('终端冲正该交易', reverses);

Then('the transaction completes', completes);
Then('交易结束', completes);

Then('the transaction is approved', approved);
Then('交易成功完成', approved);

Then('the transaction is cancelled', cancelled);
Then('交易已取消', cancelled);

Then('the transaction is declined with response code {string}', declinedWith);
Then('交易被拒绝，应答码{string}', declinedWith);

Then('the transaction fails', failed);
Then('交易失败', failed);

Then('the transaction times out', timedOut);
Then('交易超时', timedOut);
