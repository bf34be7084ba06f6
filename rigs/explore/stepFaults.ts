// The faults and power cuts an explored scenario arms, exactly as their steps in steps/faults.steps.ts and
// steps/link.steps.ts arm them: the same fault rules on the proxy, the same one-shot faults on the serial link, delays
// derived from the rig's response timeout, power cuts and aborts on protocol events (the host's answer, the request,
// the reversal's answer), never after a guessed sleep.
//   const { cut } = await armFault(rig, 'cut-power-online');  …  await cut;  await powerOf(rig).on();

import type { FaultRule, Faults, ProxyMessage } from '../faults/faults.ts';
import type { TerminalPower } from '../power/bootWatch.ts';
import type { Rig } from '../rig.ts';
import type { LinkFaults } from '../serial/linkFaults.ts';
import { WaitTimeoutError } from '../timeline/timeline.ts';
import { FirmwareDefect, RigFault } from '../verdict/culprit.ts';
import type { Fault } from './scenarioStep.ts';

/** The rig's fault proxy; a RigFault when it has none. */
export function faultsOf(rig: Rig): Faults {
  const faults = rig.faults;
  if (!faults) throw new RigFault(`rig ${rig.name} has no fault proxy (host.faults)`);
  return faults;
}

/** The rig's power switch; a RigFault when it has none. */
export function powerOf(rig: Rig): TerminalPower {
  const power = rig.power;
  if (!power) throw new RigFault(`rig ${rig.name} has no power relay`);
  return power;
}

/** The faults of the rig's serial link to the terminal; a RigFault naming the rig when it has none (steps/link.steps.ts). */
export function linkOf(rig: Rig): LinkFaults {
  const link = rig.link;
  if (!link)
    throw new RigFault(
      `rig ${rig.name} has no serial link to the terminal to inject link faults on (${rig.file.file})`,
    );
  return link;
}

/** Arms the fault as its step does (steps/faults.steps.ts); for a power cut, the promise of the cut (it happens on
 * its protocol event, awaited by "the power comes back"). */
export async function armFault(rig: Rig, fault: Fault): Promise<{ cut?: Promise<void> }> {
  const rule = RULES[fault];
  if (rule) {
    await faultsOf(rig).arm(rule(rig.timing.responseTimeoutMs));
    return {};
  }
  switch (fault) {
    case 'refuse-primary':
      if (rig.file.host.backup === undefined) throw new RigFault(`rig ${rig.name} has no backup host`);
      await faultsOf(rig).arm({ action: { kind: 'refuse' }, times: Number.POSITIVE_INFINITY });
      return {};
    case 'cut-power-online': {
      const power = powerOf(rig);
      const answered = await swallowNext(rig, 'response', '0210', "the host's answer to the terminal's 0200");
      return cutWhen(answered.seen.then(() => power.off()));
    }
    case 'cut-power-as-request-leaves': {
      const power = powerOf(rig);
      const sent = await swallowNext(rig, 'request', '0200', "the terminal's request (0200)");
      return cutWhen(sent.seen.then(() => power.off()));
    }
    case 'cut-power-reversing': {
      const power = powerOf(rig);
      const answered = await swallowNext(
        rig,
        'response',
        '0410',
        "the host's answer to the terminal's reversal (0410)",
        rig.timing.reversalMs,
        { mti: '0400', what: 'a reversal (0400)' },
      );
      return cutWhen(answered.seen.then(() => power.off()));
    }
    case 'abort-online': {
      const terminal = rig.terminal;
      const answered = await swallowNext(rig, 'response', '0210', "the host's answer to the terminal's 0200");
      answered.seen.then(() => terminal.abort()).catch(() => {}); // no answer: no abort; the outcome step reports it
      return {};
    }
  }
  return {};
}

function cutWhen(cut: Promise<void>): { cut: Promise<void> } {
  cut.catch(() => {}); // awaited (and reported) by "the power comes back"
  return { cut };
}

/** Arms a swallow of the next `mti` going `direction`; the wait resolves once the proxy has it. A wait that times out
 * is the terminal's when it never sent what the trigger waits on (`sentFirst`), else the rig's. */
async function swallowNext(
  rig: Rig,
  direction: 'request' | 'response',
  mti: string,
  what: string,
  timeoutMs = rig.timing.eventMs,
  sentFirst?: { mti: string; what: string },
): Promise<{ seen: Promise<ProxyMessage> }> {
  const faults = faultsOf(rig);
  const from = faults.mark();
  await faults.arm({ action: { kind: 'swallow' }, direction, mti });
  const seen = faults
    .waitForMessage(what, (m) => m.direction === direction && m.mti === mti, { timeoutMs, from })
    .catch((error: unknown) => {
      const sent = (m: ProxyMessage) => m.direction === 'request' && m.mti === sentFirst?.mti;
      if (error instanceof WaitTimeoutError && sentFirst && !faults.messages(from).some(sent))
        throw new FirmwareDefect(`the terminal never sent ${sentFirst.what}: ${error.message}`);
      throw error;
    });
  seen.catch(() => {});
  return { seen };
}

/** The fault rules armed as they are (faults.steps.ts), by the response timeout where the step derives a delay. */
const RULES: Partial<Record<string, (responseTimeoutMs: number) => FaultRule>> = {
  'drop-request': () => ({ action: { kind: 'drop' }, direction: 'request', mti: '0200' }),
  'lose-response': () => ({ action: { kind: 'swallow' }, direction: 'response', mti: '0210' }),
  'garble-response': () => ({ action: { kind: 'corrupt' }, direction: 'response', mti: '0210' }),
  'duplicate-request': () => ({ action: { kind: 'duplicate' }, direction: 'request', mti: '0200' }),
  'another-amount': () => ({ action: { kind: 'alter', fields: [4] }, direction: 'response', mti: '0210' }),
  'another-stan': () => ({ action: { kind: 'alter', fields: [11] }, direction: 'response', mti: '0210' }),
  'another-tid': () => ({ action: { kind: 'alter', fields: [41] }, direction: 'response', mti: '0210' }),
  'response-just-after-timeout': (t) => ({
    action: { kind: 'delay', ms: t + Math.round(t / 3) },
    direction: 'response',
    mti: '0210',
  }),
  'response-just-before-timeout': (t) => ({
    action: { kind: 'delay', ms: Math.round((t * 2) / 3) },
    direction: 'response',
    mti: '0210',
  }),
  'lose-reversal': () => ({ action: { kind: 'swallow' }, direction: 'request', mti: '0400' }),
  'lose-reversal-answer': () => ({ action: { kind: 'swallow' }, direction: 'response', mti: '0410' }),
  'lose-every-reversal': () => ({
    action: { kind: 'swallow' },
    direction: 'request',
    mti: '0400',
    times: Number.POSITIVE_INFINITY,
  }),
};
