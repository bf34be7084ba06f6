// Reversals as the host sees them, through the fault proxy: the reason a 0400 carries (DE39), an owed reversal
// delivered before the next sale's 0200 (or that 0200 held back), and the sign-on before the reversals at power-up.
// Each waits for the terminal's own events first, then reads the network the proxy saw.

import { Then } from '@cucumber/cucumber';
import type { ProxyMessage } from '../rigs/faults/faults.ts';
import { quoteTraffic } from '../rigs/faults/proxyFaults.ts';
import { finishes } from '../rigs/terminal/expectations.ts';
import { WaitTimeoutError } from '../rigs/timeline/timeline.ts';
import { FirmwareDefect, RigFault, ScenarioError } from '../rigs/verdict/culprit.ts';
import { faultsOf } from './support/rigParts.ts';
import type { PosWorld } from './support/world.ts';
import { confirmedReversal } from './terminal.steps.ts';

const isRequest = (mti: string) => (m: ProxyMessage) => m.direction === 'request' && m.mti === mti;

/** The network the proxy saw since the scenario started, quoted for a failure. */
function traffic(world: PosWorld): string {
  return quoteTraffic(faultsOf(world).messages(world.faultsFrom));
}

/** The host confirmed the reversal of this transaction, and every 0400 for it carried this reason (DE39). */
async function reversesWithReason(this: PosWorld, reason: string): Promise<void> {
  if (!/^[0-9A-Z]{2}$/.test(reason))
    throw new ScenarioError(`reason code "${reason}": two characters, such as "98", "96", "17" or "06"`);
  const faults = faultsOf(this);
  const stan = await confirmedReversal(this);
  const sent = faults.messages(this.faultsFrom).filter((m) => isRequest('0400')(m) && m.stan === stan);
  if (sent.length === 0)
    throw new RigFault(
      `the fault proxy saw no 0400 for STAN ${stan}: the reversal went past it (to a backup host?); ${traffic(this)}`,
    );
  const wrong = sent.find((m) => m.responseCode !== reason);
  if (wrong)
    throw new FirmwareDefect(
      `the reversal of STAN ${stan} carried reason (DE39) "${wrong.responseCode ?? 'none'}", expected "${reason}"; ${traffic(this)}`,
    );
}

/** The terminal's events of the scenario before the current transaction started. */
function eventsBefore(world: PosWorld) {
  const history = world.rig.terminal.history;
  const since = new Set(history.events(world.transactionFrom));
  return history.events(world.scenarioFrom).filter((r) => !since.has(r));
}

/** STANs the terminal owed a reversal for when the current transaction started: reported `stored` before the sale
 * started, or its 0400 on the network before the sale's 0200 (the report MAY come after the sale started,
 * docs/protocol.md section 9), and not answered (0410 delivered) before the sale started. */
function owedAtStart(world: PosWorld, seen: readonly ProxyMessage[]): string[] {
  const storedBefore = eventsBefore(world).flatMap((r) =>
    r.message.type === 'reversal' && r.message.status === 'stored' ? [r.message.stan] : [],
  );
  const request = seen.find((m) => isRequest('0200')(m) && m.at >= world.transactionStarted);
  const sentBefore = seen
    .filter((m) => isRequest('0400')(m) && (!request || m.at <= request.at))
    .flatMap((m) => (m.stan ? [m.stan] : []));
  const answeredBefore = (stan: string) =>
    seen.some(
      (m) =>
        m.direction === 'response' &&
        m.mti === '0410' &&
        m.stan === stan &&
        m.deliveredAt !== undefined &&
        m.deliveredAt < world.transactionStarted,
    );
  return [...new Set([...storedBefore, ...sentBefore])].filter((stan) => !answeredBefore(stan));
}

/** Why no reversal was owed when the sale started: an earlier transaction of the scenario that timed out, with no
 * reversal ever reported for it, is the firmware's (section 15.2.2); otherwise the scenario arranged none. */
function nothingOwed(world: PosWorld): Error {
  const history = world.rig.terminal.history;
  const reversals = history.events(world.scenarioFrom).some((r) => r.message.type === 'reversal');
  const unfinished = eventsBefore(world).find(
    (r) => r.message.type === 'result' && r.message.outcome === 'timeout', // its request went out
  );
  const quote = history.quote(world.scenarioFrom);
  if (!reversals && unfinished?.message.type === 'result')
    return new FirmwareDefect(
      `the earlier transaction ended "${unfinished.message.outcome}" after its request went out, but the terminal never reported a reversal for it (docs/protocol.md 15.2.2), so none was owed when the sale started; ${quote}`,
    );
  return new ScenarioError(
    `no reversal was owed when the sale started, so nothing shows what comes first (lose the reversal's answer before the first sale: "Given the host's answer to the terminal's next reversal is lost"); ${quote}`,
  );
}

/** The sale's 0200 went out only after the host had answered the reversal owed when the sale started. */
async function owedReversalFirst(this: PosWorld): Promise<void> {
  const faults = faultsOf(this);
  await finishes(this.rig.terminal, this.window());
  const seen = faults.messages(this.faultsFrom);
  const owed = owedAtStart(this, seen);
  if (owed.length === 0) throw nothingOwed(this);
  const request = seen.findIndex((m) => isRequest('0200')(m) && m.at >= this.transactionStarted);
  if (request < 0) throw new FirmwareDefect(`the sale sent no 0200 to the host; ${traffic(this)}`);
  for (const stan of owed) {
    const answered = seen.findIndex(
      (m) => m.direction === 'response' && m.mti === '0410' && m.stan === stan && m.fault !== 'swallow',
    );
    if (answered < 0 || answered > request)
      throw new FirmwareDefect(
        `the sale's 0200 (STAN ${seen[request]?.stan}) went out while the reversal of STAN ${stan} was still owed (the host had not answered it); ${traffic(this)}`,
      );
  }
}

/** Once the transaction has ended: no 0200 went to the host since it started. */
async function noRequest(this: PosWorld): Promise<void> {
  const faults = faultsOf(this);
  await finishes(this.rig.terminal, this.window());
  const sent = faults.messages(this.faultsFrom).filter((m) => isRequest('0200')(m) && m.at >= this.transactionStarted);
  if (sent.length > 0)
    throw new FirmwareDefect(
      `the sale sent its request to the host (0200 STAN ${sent[0]?.stan}) while a reversal was owed; ${traffic(this)}`,
    );
}

/** After the power came back, the terminal's first 0800 sign-on went out before any 0400. */
async function signsOnFirst(this: PosWorld): Promise<void> {
  const faults = faultsOf(this);
  const since = this.powerOnFaultsFrom;
  if (since === undefined)
    throw new ScenarioError('the power did not come back in this scenario: "When the power comes back" first');
  const seen = faults.messages(since);
  const signOn = seen.findIndex(isRequest('0800'));
  const reversal = seen.findIndex(isRequest('0400'));
  if (reversal < 0)
    throw new FirmwareDefect(`the terminal sent no reversal after the power came back; ${traffic(this)}`);
  if (signOn < 0 || signOn > reversal)
    throw new FirmwareDefect(
      `after the power came back the terminal sent a reversal (0400 STAN ${seen[reversal]?.stan}) before signing on (0800); ${traffic(this)}`,
    );
}

/** The terminal's first attempt to deliver the reversal of the transaction just ended reached the network (the
 * proxy saw its 0400): a scenario that starts the next sale now knows an attempt is in progress (section 15.2.4). */
async function reversalAttempted(this: PosWorld): Promise<void> {
  const faults = faultsOf(this);
  await finishes(this.rig.terminal, this.window());
  const stans = faults
    .messages(this.faultsFrom)
    .filter((m) => isRequest('0200')(m) && m.at >= this.transactionStarted)
    .map((m) => m.stan);
  if (stans.length === 0)
    throw new FirmwareDefect(`the transaction sent no 0200, so there is nothing to reverse; ${traffic(this)}`);
  await faults
    .waitForMessage(
      `the terminal's 0400 reversing STAN ${stans.join(' or ')}`,
      (m) => isRequest('0400')(m) && stans.includes(m.stan),
      { from: this.faultsFrom, timeoutMs: this.rig.timing.reversalMs },
    )
    .catch((error: unknown) => {
      throw error instanceof WaitTimeoutError ? new FirmwareDefect(error.message) : error;
    });
}

Then('the terminal reverses the transaction with reason code {string}', reversesWithReason);
Then('终端冲正该交易，原因码{string}', reversesWithReason);

Then("the terminal delivers the owed reversal before the sale's request", owedReversalFirst);
Then('终端先送达所欠的冲正，再发送本笔请求', owedReversalFirst);

Then("the sale's request does not reach the host", noRequest);
Then('本笔交易的请求未发往主机', noRequest);

Then('the terminal sends the reversal to the host', reversalAttempted);
Then('终端向主机发送冲正', reversalAttempted);
Then('the terminal signs on before it delivers the reversal', signsOnFirst);
Then('终端先签到，再发送冲正', signsOnFirst);
