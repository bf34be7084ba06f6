// Faults on the serial link between the cash register (the harness) and the terminal, injected on the harness side
// (rigs/serial/linkFaults.ts): one-shot, each on the next matching unit on the wire. "The next command" is the next
// command frame other than the barrier `hello` the harness sends after each command; "the terminal's next message"
// is the next frame the terminal sends, whatever it is. A wrong reaction of the terminal fails the step waiting at
// that moment (and every later one) as a firmware defect naming the rule, e.g. "firmware defect: [link-nak] …".

import { Given } from '@cucumber/cucumber';
import type { LinkFaultKind, LinkFaults } from '../rigs/serial/linkFaults.ts';
import { RigFault } from '../rigs/verdict/culprit.ts';
import type { PosWorld } from './support/world.ts';

function linkOf(world: PosWorld): LinkFaults {
  const link = world.rig.link;
  if (!link)
    throw new RigFault(
      `rig ${world.rig.name} has no serial link to the terminal to inject link faults on (${world.rig.file.file})`,
    );
  return link;
}

function arming(fault: LinkFaultKind) {
  return async function (this: PosWorld): Promise<void> {
    linkOf(this).arm(fault);
  };
}

const loseAck = arming('lose-ack');
Given("the ACK of the terminal's next message is lost", loseAck);
Given('终端下一条消息的确认丢失', loseAck);

const corrupt = arming('corrupt');
Given('the next command reaches the terminal damaged', corrupt);
Given('下一条指令损坏后到达终端', corrupt);

const duplicate = arming('duplicate');
Given('the next command reaches the terminal twice', duplicate);
Given('下一条指令重复到达终端', duplicate);

const noise = arming('noise');
Given('noise reaches the terminal before the next command', noise);
Given('下一条指令前线路上有噪声', noise);

const truncate = arming('truncate');
Given('the next command reaches the terminal cut short', truncate);
Given('下一条指令被截断后到达终端', truncate);
