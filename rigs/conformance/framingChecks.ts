// Conformance checks of docs/protocol.md sections 2–4 and 5.4: frames the terminal must take (correct, split, after
// noise), frames it must refuse with a NAK and never act on (bad CRC, bad ETX, oversize LEN, cut short), and how soon
// it answers. Each sends a `hello`, so "acted on" is an `info` naming it; the barrier hello tells "not" from "not yet".
//   await FRAMING_CHECKS['nak-bad-crc'](session) → { pass: true, seen: 'NAK 7 after 1 ms; not acted on' }

import { ETX, encodeFrame, frameCrc, MAX_PAYLOAD, STX } from '../../protocols/ecr/frame.ts';
import { NOISE } from '../serial/linkFaults.ts';
import { type CheckId, type Finding, fail, pass } from './checks.ts';
import {
  ACK_TIMEOUT_MS,
  ANSWER_MS,
  type Check,
  describeAnswer,
  describeFrame,
  INTER_BYTE_TIMEOUT_MS,
  isAck,
  MARGIN_MS,
  type Session,
  SLACK_MS,
  WAIT_MS,
} from './session.ts';

/** How many hellos ack-time times (the worst counts). */
const TIMED_FRAMES = 3;

/** A correctly framed hello is ACKed with its SEQ. */
async function frameAck(s: Session): Promise<Finding> {
  const { sent, answer } = await s.send(s.hello());
  const seen = `hello SEQ ${sent.seq}: ${describeAnswer(answer)}`;
  return isAck(answer, sent.seq) ? pass(seen) : fail(seen);
}

/** The worst ACK time of a few hellos. */
async function ackTime(s: Session): Promise<Finding> {
  const times: number[] = [];
  for (let n = 0; n < TIMED_FRAMES; n++) {
    const hello = s.hello();
    const { sent, answer } = await s.send(hello);
    if (!isAck(answer, sent.seq)) return fail(`hello SEQ ${sent.seq}: ${describeAnswer(answer)}`);
    times.push(answer.ms);
    await s.info(sent.mark, hello.id);
  }
  const worst = Math.max(...times);
  const seen = `ACK after ${worst} ms (worst of ${times.join(', ')} ms)`;
  return worst <= ANSWER_MS ? pass(seen) : fail(`${seen}: over ${ANSWER_MS} ms`);
}

/** A hello written one byte per write is ACKed and answered. */
async function split(s: Session): Promise<Finding> {
  const hello = s.hello();
  const seq = s.raw.takeSeq();
  const frame = encodeFrame(seq, Buffer.from(JSON.stringify(hello)));
  const mark = s.raw.mark();
  let last = await s.raw.write(frame.subarray(0, 1));
  for (let i = 1; i < frame.length; i++) last = await s.raw.write(frame.subarray(i, i + 1));
  const answer = await s.answer({ ...last, mark, seq });
  const info = await s.info(mark, hello.id);
  const seen = `${frame.length} bytes in ${frame.length} writes: ${describeAnswer(answer)}, ${info ? describeFrame(info) : 'no info'}`;
  return isAck(answer, seq) && info ? pass(seen) : fail(seen);
}

/** Noise, then a hello in the same write: the hello is ACKed and answered, the noise gets no NAK. */
async function noise(s: Session): Promise<Finding> {
  const hello = s.hello();
  const seq = s.raw.takeSeq();
  const sent = await s.raw.write(Buffer.concat([NOISE, encodeFrame(seq, Buffer.from(JSON.stringify(hello)))]));
  const ack = await s.raw.waitFor(
    sent.mark,
    (unit, at) => (unit.kind === 'ack' && unit.seq === seq ? Math.round(at - sent.doneAt) : undefined),
    WAIT_MS,
  );
  const barrier = await s.barrier();
  const naks = s.raw.since(sent.mark, barrier.end).flatMap((r) => (r.unit.kind === 'nak' ? [`NAK ${r.unit.seq}`] : []));
  const info = s.actedOn(sent.mark, hello.id, barrier).find((f) => f.message?.type === 'info');
  const acked = ack === undefined ? 'no ACK' : `ACK ${seq} after ${Math.max(0, ack)} ms`;
  const seen = `${NOISE.length} noise bytes then hello SEQ ${seq}: ${acked}, ${naks.length ? naks.join(', ') : 'no NAK'}${info ? '' : ', no info'}`;
  return ack !== undefined && naks.length === 0 && info ? pass(seen) : fail(seen);
}

/** A damaged hello (its header whole): NAK with its SEQ within the answer time, never acted on. */
async function refused(s: Session, what: string, damage: (seq: number, payload: Buffer) => Buffer): Promise<Finding> {
  const hello = s.hello();
  const seq = s.raw.takeSeq();
  const sent = await s.raw.write(damage(seq, Buffer.from(JSON.stringify(hello))));
  const answer = await s.answer({ ...sent, seq }, ACK_TIMEOUT_MS + MARGIN_MS);
  const barrier = await s.barrier();
  const acted = s.actedOn(sent.mark, hello.id, barrier);
  const seen = `${what} SEQ ${seq}: ${answer ? describeAnswer(answer) : 'no NAK'}${acted.length ? `; acted on: ${acted.map(describeFrame).join(', ')}` : '; not acted on'}`;
  const naked = answer?.kind === 'nak' && answer.seq === seq;
  if (naked && answer.ms > ANSWER_MS) return fail(`${seen}: NAK over ${ANSWER_MS} ms`);
  return naked && acted.length === 0 ? pass(seen) : fail(seen);
}

function badCrc(seq: number, payload: Buffer): Buffer {
  const frame = encodeFrame(seq, payload);
  frame.writeUInt16BE(frame.readUInt16BE(frame.length - 2) ^ 0xffff, frame.length - 2);
  return frame;
}

function badEtx(seq: number, payload: Buffer): Buffer {
  const frame = encodeFrame(seq, payload);
  frame[frame.length - 3] = 0x04;
  return frame;
}

/**
 * A hello padded to MAX_PAYLOAD + 1 bytes, with ETX and its correct CRC: only its LEN is wrong. The padding is chosen
 * so that no CRC byte is STX, ACK or NAK (the receiver scans the rest of it as noise).
 */
export function oversizeFrame(seq: number, payload: Buffer): Buffer {
  const hello = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
  const base = Buffer.byteLength(JSON.stringify({ ...hello, pad: '' }));
  const length = MAX_PAYLOAD + 1;
  for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
    const body = Buffer.from(JSON.stringify({ ...hello, pad: letter.repeat(length - base) }));
    const frame = Buffer.alloc(length + 7);
    frame[0] = STX;
    frame.writeUInt16BE(length, 1);
    frame[3] = seq;
    body.copy(frame, 4);
    frame[4 + length] = ETX;
    const crc = frameCrc(frame.subarray(1, 5 + length));
    frame.writeUInt16BE(crc, 5 + length);
    if (![crc >> 8, crc & 0xff].some((b) => b === 0x02 || b === 0x06 || b === 0x15)) return frame;
  }
  throw new Error('no padding gives a CRC free of control bytes');
}

/** Half a hello, then silence: NAK after the inter-byte timeout (SEQ known: the header is complete). */
async function truncated(s: Session): Promise<Finding> {
  const hello = s.hello();
  const seq = s.raw.takeSeq();
  const frame = encodeFrame(seq, Buffer.from(JSON.stringify(hello)));
  const cut = frame.subarray(0, 4 + Math.floor((frame.length - 7) / 2));
  const sent = await s.raw.write(cut);
  const answer = await s.answer({ ...sent, seq }, INTER_BYTE_TIMEOUT_MS + ANSWER_MS + 2 * MARGIN_MS);
  if (!answer) {
    // the terminal still waits for the rest: fill the span it claimed, so the next check starts clean
    const filler = await s.raw.write(Buffer.alloc(frame.length - cut.length));
    await s.answer({ ...filler, seq }, ACK_TIMEOUT_MS + MARGIN_MS);
  }
  const barrier = await s.barrier();
  const acted = s.actedOn(sent.mark, hello.id, barrier);
  const what = `${cut.length} of ${frame.length} bytes of hello SEQ ${seq}`;
  const seen = `${what}: ${answer ? describeAnswer(answer) : `no NAK within ${INTER_BYTE_TIMEOUT_MS + ANSWER_MS + 2 * MARGIN_MS} ms`}${acted.length ? `; acted on: ${acted.map(describeFrame).join(', ')}` : ''}`;
  if (answer?.kind !== 'nak' || answer.seq !== seq || acted.length > 0) return fail(seen);
  if (answer.ms < INTER_BYTE_TIMEOUT_MS - SLACK_MS)
    return fail(`${seen}: before the ${INTER_BYTE_TIMEOUT_MS} ms inter-byte timeout`);
  if (answer.ms > INTER_BYTE_TIMEOUT_MS + ANSWER_MS)
    return fail(`${seen}: over ${INTER_BYTE_TIMEOUT_MS} + ${ANSWER_MS} ms`);
  return pass(seen);
}

export const FRAMING_CHECKS: Partial<Record<CheckId, Check>> = {
  'frame-ack': frameAck,
  'ack-time': ackTime,
  split,
  noise,
  'nak-bad-crc': (s) => refused(s, 'hello with a bad CRC', badCrc),
  'nak-bad-etx': (s) => refused(s, 'hello with a bad ETX', badEtx),
  oversize: (s) => refused(s, `hello with LEN ${MAX_PAYLOAD + 1}`, oversizeFrame),
  truncated,
};
