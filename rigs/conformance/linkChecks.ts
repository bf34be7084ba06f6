// Conformance checks of docs/protocol.md section 5: the terminal as a sender (retransmission after a NAK and after
// silence, giving up after 4 transmissions, one frame in flight, an ACK of another SEQ) and as a receiver (duplicates,
// a reused SEQ with a new payload). The terminal's `info` answering a `hello` is the frame the harness plays with.
//   await LINK_CHECKS['retransmit-nak'](session) → { pass: true, seen: 'info SEQ 3 sent again 1 ms after NAK 3, …' }

import { type CheckId, type Finding, fail, pass } from './checks.ts';
import type { TerminalFrame } from './rawLink.ts';
import {
  ACK_TIMEOUT_MS,
  type Check,
  describeAnswer,
  describeFrame,
  IMMEDIATE_MS,
  isAck,
  MARGIN_MS,
  type Session,
  SLACK_MS,
  WAIT_MS,
} from './session.ts';

/** A frame is sent at most this many times (section 5.2.5). */
const TRANSMISSIONS = 4;

/** Sends hellos (each ACKed by the terminal), the harness ACKing nothing; the info answering the first. */
async function unacknowledgedInfo(s: Session, hellos = 1): Promise<TerminalFrame | undefined> {
  s.raw.acknowledgeAll(false);
  const first = s.hello();
  const sent = await s.raw.sendFrame(first);
  for (let n = 1; n < hellos; n++) {
    await s.answer(sent);
    await s.raw.sendFrame(s.hello());
  }
  return s.info(sent.mark, first.id);
}

const same = (a: TerminalFrame, b: TerminalFrame): boolean => a.seq === b.seq && a.payload.equals(b.payload);

/** The harness NAKs the terminal's info: the same frame comes again at once. */
async function retransmitNak(s: Session): Promise<Finding> {
  const info = await unacknowledgedInfo(s);
  if (!info) return fail(`no info to NAK within ${WAIT_MS} ms of a hello`);
  const naked = await s.raw.nak(info.seq);
  const next = await s.raw.waitForFrame(naked.mark, () => true, ACK_TIMEOUT_MS + MARGIN_MS);
  await s.raw.ack(info.seq);
  if (!next) return fail(`NAK ${info.seq}: info not sent again within ${ACK_TIMEOUT_MS + MARGIN_MS} ms`);
  const ms = Math.round(next.at - naked.doneAt);
  if (!same(next, info))
    return fail(`NAK ${info.seq}: next came ${describeFrame(next)} SEQ ${next.seq}, not the NAKed frame`);
  const seen = `info SEQ ${info.seq} sent again ${ms} ms after NAK ${info.seq}, same payload`;
  return ms <= IMMEDIATE_MS ? pass(seen) : fail(`${seen}: not at once (the ACK timeout's retransmission?)`);
}

/** The harness stays silent: the same frame comes again after the ACK timeout. */
async function retransmitSilence(s: Session): Promise<Finding> {
  const info = await unacknowledgedInfo(s);
  if (!info) return fail(`no info within ${WAIT_MS} ms of a hello`);
  const window = ACK_TIMEOUT_MS + 2 * MARGIN_MS;
  const next = await s.raw.waitForFrame(info.index + 1, () => true, window);
  await s.raw.ack(info.seq);
  if (!next) return fail(`info SEQ ${info.seq} not ACKed: not sent again within ${window} ms`);
  if (!same(next, info))
    return fail(`info SEQ ${info.seq} not ACKed: next came ${describeFrame(next)} SEQ ${next.seq}`);
  const ms = Math.round(next.at - info.at);
  const seen = `info SEQ ${info.seq} not ACKed: sent again after ${ms} ms, same payload`;
  if (ms < ACK_TIMEOUT_MS - SLACK_MS) return fail(`${seen}: before the ${ACK_TIMEOUT_MS} ms ACK timeout`);
  return ms <= ACK_TIMEOUT_MS + MARGIN_MS
    ? pass(seen)
    : fail(`${seen}: long after the ${ACK_TIMEOUT_MS} ms ACK timeout`);
}

/** Two hellos, nothing ACKed: the first info goes at most 4 times, the second only after it, with the next SEQ. */
async function giveUp(s: Session): Promise<Finding> {
  const info = await unacknowledgedInfo(s, 2);
  if (!info) return fail(`no info within ${WAIT_MS} ms of a hello`);
  const deadline = TRANSMISSIONS * ACK_TIMEOUT_MS + 2 * MARGIN_MS;
  const next = await s.raw.waitForFrame(info.index + 1, (f) => !same(f, info), deadline);
  const copies = s.raw.frames(info.index, next ? next.index : undefined).filter((f) => same(f, info));
  const last = copies.at(-1) ?? info;
  const span = Math.round(last.at - info.at);
  const sentTimes = `info SEQ ${info.seq} sent ${copies.length} time${copies.length === 1 ? '' : 's'} over ${span} ms`;
  if (copies.length > TRANSMISSIONS) return fail(`${sentTimes}: more than ${TRANSMISSIONS}`);
  if (!next) return fail(`${sentTimes}, then nothing within ${deadline} ms: not given up`);
  const expected = (info.seq + 1) & 0xff;
  const wait = Math.round(next.at - last.at);
  const then = `then ${describeFrame(next)} SEQ ${next.seq} ${wait} ms later`;
  if (next.seq !== expected) return fail(`${sentTimes}, ${then}: not the next SEQ ${expected}`);
  if (wait < ACK_TIMEOUT_MS - SLACK_MS) return fail(`${sentTimes}, ${then}: sent while SEQ ${info.seq} was in flight`);
  return pass(`${sentTimes}, given up; ${then}`);
}

/** The harness ACKs another SEQ: the info stays in flight (sent again, or nothing new), the next message waits. */
async function ackOtherSeq(s: Session): Promise<Finding> {
  const info = await unacknowledgedInfo(s, 2);
  if (!info) return fail(`no info within ${WAIT_MS} ms of a hello`);
  const wrong = (info.seq + 1) & 0xff;
  const acked = await s.raw.ack(wrong);
  const window = ACK_TIMEOUT_MS + MARGIN_MS;
  const next = await s.raw.waitForFrame(acked.mark, () => true, window);
  await s.raw.ack(next && !same(next, info) ? next.seq : info.seq);
  const head = `ACK ${wrong} for info SEQ ${info.seq}`;
  if (!next) return pass(`${head}: ignored, nothing new sent within ${window} ms`);
  const ms = Math.round(next.at - acked.doneAt);
  if (same(next, info)) return pass(`${head}: ignored, info SEQ ${info.seq} sent again ${ms} ms later`);
  return fail(
    `${head}: taken as its ACK, the next message (${describeFrame(next)} SEQ ${next.seq}) went out ${ms} ms later`,
  );
}

/** The same hello frame twice: ACKed twice, one info. */
async function duplicate(s: Session): Promise<Finding> {
  s.raw.acknowledgeAll(true);
  const hello = s.hello();
  const first = await s.send(hello);
  const again = await s.raw.write(first.sent.frame);
  const second = await s.answer({ ...again, seq: first.sent.seq });
  const barrier = await s.barrier();
  const acted = s.actedOn(first.sent.mark, hello.id, barrier).filter((f) => f.message?.type === 'info');
  const seq = first.sent.seq;
  const seen = `hello SEQ ${seq} twice: ${describeAnswer(first.answer)}, then ${describeAnswer(second)}; ${acted.length} info`;
  const acks = [first.answer, second].filter((a) => isAck(a, seq)).length;
  if (acks < 2) return fail(`${seen}: each copy must be ACKed`);
  return acted.length === 1 ? pass(seen) : fail(`${seen}: acted on ${acted.length} times`);
}

/** Two different hellos with the same SEQ: the second is a new message, ACKed and answered. */
async function sameSeqNewPayload(s: Session): Promise<Finding> {
  s.raw.acknowledgeAll(true);
  const first = s.hello();
  const one = await s.send(first);
  await s.info(one.sent.mark, first.id);
  const second = s.hello();
  const two = await s.send(second, one.sent.seq);
  const info = await s.info(two.sent.mark, second.id);
  const seen = `hello ${second.id} with the SEQ ${one.sent.seq} of ${first.id}: ${describeAnswer(two.answer)}, ${info ? describeFrame(info) : `no info within ${WAIT_MS} ms`}`;
  return isAck(two.answer, one.sent.seq) && info ? pass(seen) : fail(seen);
}

export const LINK_CHECKS: Partial<Record<CheckId, Check>> = {
  'retransmit-nak': retransmitNak,
  'retransmit-silence': retransmitSilence,
  'give-up': giveUp,
  'ack-other-seq': ackOtherSeq,
  duplicate,
  'same-seq-new-payload': sameSeqNewPayload,
};
