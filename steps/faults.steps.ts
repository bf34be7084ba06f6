// Faults on the network between terminal and host, and on the terminal's power. Each fault triggers on a protocol
// event ("the next 0200", "the host's answer"), never after a guessed sleep.

import { Given, When } from '@cucumber/cucumber';
import type { FaultRule } from '../rigs/faults/faults.ts';
import { RigFault, ScenarioError } from '../rigs/verdict/culprit.ts';
import type { PosWorld } from './support/world.ts';

function faultsOf(world: PosWorld) {
  const faults = world.rig.faults;
  if (!faults)
    throw new RigFault(`rig ${world.rig.name} has no fault proxy (set host.faults in ${world.rig.file.file})`);
  return faults;
}

function powerOf(world: PosWorld) {
  const power = world.rig.power;
  if (!power)
    throw new RigFault(`rig ${world.rig.name} has no power relay (in this version only a simulated terminal has one)`);
  return power;
}

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
  await power.on();
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

const refuse = arming({ action: { kind: 'refuse' }, times: Number.POSITIVE_INFINITY });
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
