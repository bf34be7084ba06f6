// Faults on the network between terminal and host, and on the terminal's power. Each fault triggers on a protocol
// event ("the next 0200", "the host's answer", "the reversal's 0410"), never after a guessed sleep; a delay relative
// to the terminal's response timeout ("just before", "just after") comes from the rig's timing, never from a number.

import { Given, Then, When } from '@cucumber/cucumber';
import type { AlterableField, FaultRule, ProxyMessage } from '../rigs/faults/faults.ts';
import { showsWithin } from '../rigs/terminal/expectations.ts';
import { WaitTimeoutError } from '../rigs/timeline/timeline.ts';
import { FirmwareDefect, RigFault, ScenarioError } from '../rigs/verdict/culprit.ts';
import { faultsOf, powerOf } from './support/rigParts.ts';
import type { PosWorld } from './support/world.ts';

/** Swallows the host's next 0210 and resolves once the proxy has it: the host answered, the terminal still waits. */
async function hostAnswerSwallowed(world: PosWorld): Promise<() => Promise<unknown>> {
  const faults = faultsOf(world);
  const from = faults.mark();
  await faults.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0210' });
  return () =>
    faults.waitForMessage(
      "the host's answer to the terminal's 0200",
      (m) => m.direction === 'response' && m.mti === '0210',
      {
        timeoutMs: world.rig.timing.eventMs,
        from,
      },
    );
}

function arming(rule: FaultRule) {
  return async function (this: PosWorld): Promise<void> {
    await faultsOf(this).arm(rule);
  };
}

async function delayResponse(this: PosWorld, ms: number): Promise<void> {
  await faultsOf(this).arm({ action: { kind: 'delay', ms }, direction: 'response', mti: '0210' });
}

/** Arms the cut: once the host has answered the terminal's 0200, the answer is swallowed and the power goes. */
async function cutPowerWhileOnline(this: PosWorld): Promise<void> {
  const power = powerOf(this);
  const answered = await hostAnswerSwallowed(this);
  this.powerCut = answered().then(() => power.off());
  this.powerCut.catch(() => {}); // awaited (and reported) by "the power comes back"
}

/** Arms the abort: once the host has answered the terminal's 0200 (the answer swallowed), the cash register aborts.
 * The request is out, so the terminal must reverse it (DE39 17). A missing answer shows in the outcome steps. */
async function abortWhileOnline(this: PosWorld): Promise<void> {
  const terminal = this.rig.terminal;
  const answered = await hostAnswerSwallowed(this);
  answered()
    .then(() => terminal.abort())
    .catch(() => {}); // no answer, or the scenario ended: no abort; "the transaction is cancelled" reports it
}

async function powerBack(this: PosWorld): Promise<void> {
  const power = powerOf(this);
  if (!this.powerCut && power.isOn)
    throw new ScenarioError(
      'the power is on: nothing cut it (arm a cut first: "Given the power will be cut while the terminal waits for the host")',
    );
  if (this.powerCut) await this.powerCut;
  this.powerCut = undefined;
  this.markAction();
  this.powerOnFaultsFrom = this.rig.faults?.mark();
  await power.on();
}

/** Arms a swallow of the next `mti` going `direction`; the promise resolves once the proxy has that message. A wait
 * that times out is the terminal's when it never sent what the trigger waits on (`sentFirst`), else the rig's. */
async function swallowedNext(
  world: PosWorld,
  rule: { direction: 'request' | 'response'; mti: string; what: string; timeoutMs: number },
  sentFirst?: { mti: string; what: string },
): Promise<{ seen: Promise<ProxyMessage> }> {
  const faults = faultsOf(world);
  const from = faults.mark();
  await faults.arm({ action: { kind: 'swallow' }, direction: rule.direction, mti: rule.mti });
  const { direction, mti } = rule;
  const seen = faults
    .waitForMessage(rule.what, (m) => m.direction === direction && m.mti === mti, { timeoutMs: rule.timeoutMs, from })
    .catch((error: unknown) => {
      const sent = (m: ProxyMessage) => m.direction === 'request' && m.mti === sentFirst?.mti;
      if (error instanceof WaitTimeoutError && sentFirst && !faults.messages(from).some(sent))
        throw new FirmwareDefect(`the terminal never sent ${sentFirst.what}: ${error.message}`);
      throw error;
    });
  return { seen };
}

/** Arms the cut: once the host has answered the terminal's reversal (0410 swallowed), the power goes — the 0400 is
 * out, its answer never arrives. */
async function cutPowerWhileReversing(this: PosWorld): Promise<void> {
  const power = powerOf(this);
  const rule = { direction: 'response', mti: '0410', timeoutMs: this.rig.timing.reversalMs } as const;
  const answered = await swallowedNext(
    this,
    { ...rule, what: "the host's answer to the terminal's reversal (0410)" },
    { mti: '0400', what: 'a reversal (0400)' },
  );
  this.powerCut = answered.seen.then(() => power.off());
  this.powerCut.catch(() => {}); // awaited (and reported) by "the power comes back"
}

/** Arms the cut: the terminal's next 0200 is swallowed and the power goes the moment the proxy has it. The terminal
 * stored its pending-reversal record before sending; the host never saw the request. */
async function cutPowerAsRequestLeaves(this: PosWorld): Promise<void> {
  const power = powerOf(this);
  const rule = { direction: 'request', mti: '0200', timeoutMs: this.rig.timing.eventMs } as const;
  const sent = await swallowedNext(this, { ...rule, what: "the terminal's request (0200)" });
  this.powerCut = sent.seen.then(() => power.off());
  this.powerCut.catch(() => {}); // awaited (and reported) by "the power comes back"
}

/** "Just after" the terminal's response timeout: a third of the timeout later, so the answer comes once the terminal
 * has given up, and well before a terminal that (wrongly) waits several timeouts for it. From the rig's timing. */
async function responseJustAfterTimeout(this: PosWorld): Promise<void> {
  const { responseTimeoutMs } = this.rig.timing;
  const ms = responseTimeoutMs + Math.round(responseTimeoutMs / 3);
  await faultsOf(this).arm({ action: { kind: 'delay', ms }, direction: 'response', mti: '0210' });
}

/** "Just before" the terminal's response timeout: at two thirds of it, so a terminal that waits as long as its rig
 * declares takes the answer, and one that gives up early is caught. From the rig's timing. */
async function responseJustBeforeTimeout(this: PosWorld): Promise<void> {
  const ms = Math.round((this.rig.timing.responseTimeoutMs * 2) / 3);
  await faultsOf(this).arm({ action: { kind: 'delay', ms }, direction: 'response', mti: '0210' });
}

/** The least room "within its response timeout" gives on top of the timeout: the connection, the request, the screen. */
const SHOWN_SLACK_MIN_MS = 1500;

/** How long after the last action the terminal may take to show the outcome of a host exchange that ran up to its
 * response timeout: the timeout and a third of it (at least SHOWN_SLACK_MIN_MS more). From the rig's timing. */
function shownWithinResponseTimeoutMs(responseTimeoutMs: number): number {
  return responseTimeoutMs + Math.max(Math.round(responseTimeoutMs / 3), SHOWN_SLACK_MIN_MS);
}

/** The display shows the text no later than the terminal's response timeout (and its slack) after the last action:
 * an answer just before the timeout is shown at once; with none in time, the terminal gives up when its rig says. */
async function showsWithinResponseTimeout(this: PosWorld, text: string): Promise<void> {
  const { responseTimeoutMs } = this.rig.timing;
  const boundMs = shownWithinResponseTimeoutMs(responseTimeoutMs);
  const what = `its response timeout (${responseTimeoutMs} ms in rig ${this.rig.name}, ${boundMs} ms with the slack)`;
  await showsWithin(this.rig.terminal, text, this.window(), boundMs, what, this.rig.texts);
}

/** The words for the field a response carries "another" value of. */
const ALTERED: Record<string, AlterableField> = {
  amount: 4,
  STAN: 11,
  'terminal ID': 41,
  金额: 4,
  流水号: 11,
  终端编号: 41,
};

/** The host's next 0210 reaches the terminal with another amount (DE4), STAN (DE11) or terminal ID (DE41). */
async function responseCarriesAnother(this: PosWorld, what: string): Promise<void> {
  const field = ALTERED[what];
  if (field === undefined)
    throw new ScenarioError(
      `the host's response cannot carry another "${what}" (known: ${Object.keys(ALTERED).join(', ')})`,
    );
  await faultsOf(this).arm({ action: { kind: 'alter', fields: [field] }, direction: 'response', mti: '0210' });
}

/** Every rule disarmed: the network is healthy again (the terminal's retries get through). */
async function networkRecovers(this: PosWorld): Promise<void> {
  await faultsOf(this).heal();
}

const dropRequest = arming({ action: { kind: 'drop' }, direction: 'request', mti: '0200' });
Given('the network drops the next request to the host', dropRequest);
Given('网络在下一笔请求到达主机前断开', dropRequest);

const loseResponse = arming({ action: { kind: 'swallow' }, direction: 'response', mti: '0210' });
Given("the host's next response is lost", loseResponse);
Given('主机的下一笔应答丢失', loseResponse);

Given("the host's next response is delayed by {int} ms", delayResponse);
Given('主机的下一笔应答延迟{int}毫秒', delayResponse);

const garbleResponse = arming({ action: { kind: 'corrupt' }, direction: 'response', mti: '0210' });
Given("the host's next response is garbled", garbleResponse);
Given('主机的下一笔应答报文损坏', garbleResponse);

const refusePrimary = arming({ action: { kind: 'refuse' }, times: Number.POSITIVE_INFINITY });
/** "The primary host" means there is a backup to fail over to: a rig without one cannot play this scenario. */
async function refuse(this: PosWorld): Promise<void> {
  if (this.rig.file.host.backup === undefined)
    throw new RigFault(
      `rig ${this.rig.name} has no backup host (host.backup in ${this.rig.file.file}): with the primary refusing, the terminal has nowhere to fail over to`,
    );
  await refusePrimary.call(this);
}
Given('the primary host refuses connections', refuse);
Given('主主机拒绝连接', refuse);

const duplicate = arming({ action: { kind: 'duplicate' }, direction: 'request', mti: '0200' });
Given("the terminal's next request reaches the host twice", duplicate);
Given('终端的下一笔请求重复到达主机', duplicate);

Given('the power will be cut while the terminal waits for the host', cutPowerWhileOnline);
Given('终端等待主机应答时将断电', cutPowerWhileOnline);

Given('the merchant will abort the transaction while the terminal waits for the host', abortWhileOnline);
Given('终端等待主机应答时商户将中止交易', abortWhileOnline);

When('the power comes back', powerBack);
When('恢复供电', powerBack);

const loseReversal = arming({ action: { kind: 'swallow' }, direction: 'request', mti: '0400' });
Given("the terminal's next reversal does not reach the host", loseReversal);
Given('终端的下一笔冲正未到达主机', loseReversal);

const loseReversalAnswer = arming({ action: { kind: 'swallow' }, direction: 'response', mti: '0410' });
Given("the host's answer to the terminal's next reversal is lost", loseReversalAnswer);
Given('主机对终端下一笔冲正的应答丢失', loseReversalAnswer);

const loseEveryReversal = arming({
  action: { kind: 'swallow' },
  direction: 'request',
  mti: '0400',
  times: Number.POSITIVE_INFINITY,
});
Given('no reversal reaches the host until the network recovers', loseEveryReversal);
Given('网络恢复前冲正均无法到达主机', loseEveryReversal);

When('the network recovers', networkRecovers);
When('网络恢复', networkRecovers);

Given(/^the host's next response carries another (amount|STAN|terminal ID)$/, responseCarriesAnother);
Given(/^主机的下一笔应答(金额|流水号|终端编号)与请求不符$/, responseCarriesAnother);

Given("the host's next response comes just after the terminal's response timeout", responseJustAfterTimeout);
Given('主机的下一笔应答在终端应答超时后才到达', responseJustAfterTimeout);

Given("the host's next response comes just before the terminal's response timeout", responseJustBeforeTimeout);
Given('主机的下一笔应答在终端应答超时前到达', responseJustBeforeTimeout);

Then('the terminal shows {string} within its response timeout', showsWithinResponseTimeout);
Then('终端显示{string}，用时不超过终端应答超时', showsWithinResponseTimeout);

Given('the power will be cut while the terminal sends its reversal', cutPowerWhileReversing);
Given('终端发送冲正时将断电', cutPowerWhileReversing);

Given("the power will be cut as the terminal's request leaves for the host", cutPowerAsRequestLeaves);
Given('终端请求发出时将断电', cutPowerAsRequestLeaves);
