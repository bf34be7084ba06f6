// Conformance checks of docs/protocol.md sections 6, 7 and 11: the session start (`info` within 2 s, another protocol
// version refused), messages the terminal must refuse with the right `error` code (not JSON, an invalid field, an
// unknown command, an event sent as a command), unknown fields ignored; and, over everything the terminal sent in
// the run, frames that are whole and messages that are valid, with ids never reused.
//   await MESSAGE_CHECKS['bad-json'](session) → { pass: true, seen: 'ACK 9 after 1 ms, error bad-message after 2 ms' }

import { validateEcrMessage } from '../../protocols/ecr/messages.ts';
import { type CheckId, type Finding, fail, pass } from './checks.ts';
import type { RawLink, TerminalFrame } from './rawLink.ts';
import { type Check, describeAnswer, describeFrame, INFO_MS, type Session, WAIT_MS } from './session.ts';

/** hello → exactly one info, within 2 s. */
async function helloInfo(s: Session): Promise<Finding> {
  s.raw.acknowledgeAll(true);
  const hello = s.hello();
  const sent = await s.raw.sendFrame(hello);
  const info = await s.info(sent.mark, hello.id, WAIT_MS);
  if (!info) return fail(`no info within ${WAIT_MS} ms of hello ${hello.id}`);
  const ms = Math.round(info.at - sent.doneAt);
  const barrier = await s.barrier();
  const infos = s.actedOn(sent.mark, hello.id, barrier).filter((f) => f.message?.type === 'info');
  const ref = info.message?.ref === hello.id ? ` ref ${hello.id}` : ' (no ref)';
  const seen = `info${ref} after ${ms} ms`;
  if (ms > INFO_MS) return fail(`${seen}: over ${INFO_MS} ms`);
  return infos.length === 1 ? pass(seen) : fail(`${seen}: ${infos.length} info for one hello`);
}

/** A sale in progress (waiting for its card), then hello: info, and the sale still there for abort to cancel. */
async function helloKeepsState(s: Session): Promise<Finding> {
  s.raw.acknowledgeAll(true);
  const sale = { type: 'sale', id: s.id('c'), amount: 100, currency: s.currency };
  const started = await s.raw.sendFrame(sale);
  const hello = s.hello();
  const asked = await s.raw.sendFrame(hello);
  const info = await s.info(asked.mark, hello.id);
  const abort = { type: 'abort', id: s.id('c') };
  const aborted = await s.raw.sendFrame(abort);
  const result = await s.raw.waitForFrame(
    started.mark,
    (f) => f.message?.type === 'result' || refusal(f, sale.id),
    WAIT_MS,
  );
  if (result?.message?.type === 'error')
    return fail(`the sale to hold during the hello was refused: ${describeFrame(result)}`);
  const infoSeen = info ? describeFrame(info) : `no info within ${WAIT_MS} ms`;
  if (!result)
    return fail(`sale, hello → ${infoSeen}, abort → no result within ${WAIT_MS} ms: the hello ended the sale`);
  const outcome = String(result.message?.outcome);
  const seen = `sale, hello → ${infoSeen}, abort → result ${outcome}`;
  if (result.index < aborted.mark) return fail(`${seen} before the abort: the hello ended the sale`);
  return info && outcome === 'cancelled' ? pass(seen) : fail(seen);
}

function refusal(frame: TerminalFrame, id: string): boolean {
  return frame.message?.type === 'error' && frame.message.ref === id;
}

/** A message the terminal must refuse: ACKed (the link delivered it), then `error` with this code. */
async function refusedWith(
  s: Session,
  code: string,
  payload: string,
  id: string | undefined,
  needRef = false,
): Promise<Finding> {
  s.raw.acknowledgeAll(true);
  const { sent, answer } = await s.send(payload);
  // its error, or an info naming it (a terminal that took it for a good command)
  const reply = await s.raw.waitForFrame(
    sent.mark,
    (f) =>
      (f.message?.type === 'error' && (id === undefined || f.message.ref === id || f.message.ref === undefined)) ||
      (id !== undefined && f.message?.type === 'info' && f.message.ref === id),
    WAIT_MS,
  );
  const barrier = await s.barrier();
  const info = id ? s.actedOn(sent.mark, id, barrier).find((f) => f.message?.type === 'info') : undefined;
  const answered = reply
    ? `${describeFrame(reply)} after ${Math.round(reply.at - sent.doneAt)} ms`
    : `no error within ${WAIT_MS} ms`;
  const seen = `${describeAnswer(answer)}, ${answered}`;
  if (answer?.kind !== 'ack') return fail(`${seen}: the intact frame must be ACKed`);
  if (reply?.message?.type !== 'error' || reply.message.code !== code) return fail(`${seen}: expected error ${code}`);
  if (needRef && reply.message.ref !== id) return fail(`${seen}: ref must name ${id}`);
  return info ? fail(`${seen}; also answered with info`) : pass(seen);
}

/** A hello with a field the terminal does not know: answered by info as any hello. */
async function unknownField(s: Session): Promise<Finding> {
  s.raw.acknowledgeAll(true);
  const hello = s.hello({ 'x-posrig-conformance': { unknown: [1, 'two'] } });
  const sent = await s.raw.sendFrame(hello);
  const answer = await s.raw.waitForFrame(
    sent.mark,
    (f) =>
      (f.message?.type === 'info' || f.message?.type === 'error') &&
      [hello.id, undefined].includes(f.message.ref as string),
    WAIT_MS,
  );
  if (!answer) return fail(`hello with an unknown field: no answer within ${WAIT_MS} ms`);
  const seen = `hello with an unknown field: ${describeFrame(answer)}`;
  return answer.message?.type === 'info' ? pass(seen) : fail(seen);
}

// ---- over the whole run ------------------------------------------------------------------------------------------

/** Every unit the terminal wrote decoded whole: no noise, no damaged frame. */
export function terminalFrames(raw: RawLink): Finding {
  const faults = raw.units.flatMap((u) => (u.unit.kind === 'fault' ? [u.unit.error] : []));
  const frames = raw.frames().length;
  if (faults.length === 0) return pass(`${frames} frames, all whole, nothing between units`);
  const first = faults[0] as Error;
  return fail(
    `${faults.length} damaged unit${faults.length === 1 ? '' : 's'} among ${frames} frames, first: ${first.message}`,
  );
}

/** Every message is a JSON object with type and id; those of known types valid (section 9). */
export function eventValid(raw: RawLink): Finding {
  const frames = distinct(raw.frames());
  for (const frame of frames) {
    const problem = messageProblem(frame);
    if (problem) return fail(`frame SEQ ${frame.seq}: ${problem}`);
  }
  return pass(`${frames.length} messages, all valid`);
}

/** No two different messages with the same id. */
export function idsUnique(raw: RawLink): Finding {
  const seen = new Map<string, Buffer>();
  const frames = distinct(raw.frames());
  for (const frame of frames) {
    const id = frame.message?.id;
    if (typeof id !== 'string') continue;
    const earlier = seen.get(id);
    if (earlier && !earlier.equals(frame.payload)) return fail(`id ${id} names two different messages`);
    seen.set(id, frame.payload);
  }
  return pass(`${seen.size} ids, none reused`);
}

/** Each message once (retransmissions carry the same payload). */
function distinct(frames: TerminalFrame[]): TerminalFrame[] {
  const payloads = new Set<string>();
  return frames.filter((f) => {
    const key = f.payload.toString('latin1');
    if (payloads.has(key)) return false;
    payloads.add(key);
    return true;
  });
}

function messageProblem(frame: TerminalFrame): string | undefined {
  const m = frame.message;
  if (!m) return 'the payload is not a JSON object';
  if (typeof m.type !== 'string') return 'no string field "type"';
  if (typeof m.id !== 'string' || m.id.length < 1 || m.id.length > 64) return `${m.type}: "id" must be 1–64 characters`;
  try {
    validateEcrMessage(m);
  } catch (error) {
    const unknownType = (error as { unknownType?: boolean }).unknownType;
    if (!unknownType) return (error as Error).message; // an unknown event type is ignored by the harness (§13)
  }
  return undefined;
}

export const MESSAGE_CHECKS: Partial<Record<CheckId, Check>> = {
  'hello-info': helloInfo,
  'hello-keeps-state': helloKeepsState,
  'unsupported-protocol': (s) => {
    const id = s.id('h');
    return refusedWith(s, 'unsupported-protocol', JSON.stringify({ type: 'hello', id, protocol: '2' }), id);
  },
  'unknown-field': unknownField,
  'bad-json': (s) => refusedWith(s, 'bad-message', `{"type":"hello","id":"${s.id('c')}","protocol":"1"`, undefined),
  'bad-field': async (s) => {
    const id = s.id('c');
    const sale = JSON.stringify({ type: 'sale', id, amount: '100', currency: s.currency });
    const finding = await refusedWith(s, 'bad-message', sale, id, true);
    await s.send({ type: 'abort', id: s.id('c') }); // in case the terminal took the sale after all
    return finding;
  },
  'unknown-command': (s) => {
    const id = s.id('c');
    return refusedWith(s, 'unsupported', JSON.stringify({ type: 'x-posrig-unknown', id }), id, true);
  },
  unexpected: (s) => {
    const id = s.id('c');
    return refusedWith(s, 'unexpected', JSON.stringify({ type: 'display', id, lines: ['posrig conformance'] }), id);
  },
};

/** The checks judged over everything the terminal sent in the run, after the others. */
export const PASSIVE_CHECKS: Partial<Record<CheckId, (raw: RawLink) => Finding>> = {
  'terminal-frames': terminalFrames,
  'event-valid': eventValid,
  'ids-unique': idsUnique,
};
