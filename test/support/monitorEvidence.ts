// Timelines for the behaviour monitor's tests (rigs/monitor), written tersely: times are milliseconds after T0, ECR
// messages have the shapes of protocols/ecr/messages.ts, ISO 8583 messages the masked fields a proxy logs.
//   const req = request0200({ stan: '000001' }, 210);
//   const e = evidence([sale('c-1', 0), req, answer0210(req, '00', 258, 260), result('c-1', 'approved', 300)]);
//   rulesOf(e) → []
import type { EcrMessage, HarnessCommand, Outcome, TerminalEvent } from '../../protocols/ecr/index.ts';
import { localDate, localTime, transmissionDateTime } from '../../protocols/iso8583/index.ts';
import type { MonitorEvidence, NetworkMessage, RigFacts } from '../../rigs/monitor/evidence.ts';
import { checkBehaviour } from '../../rigs/monitor/monitor.ts';
import type { PowerSwitching } from '../../rigs/power/bootWatch.ts';
import type { HistoryRecord } from '../../rigs/terminal/eventHistory.ts';
import type { IsoTrace } from '../../simulators/acquirer/index.ts';
import type { ProxyMessage } from '../../simulators/faultproxy/index.ts';

/** A fixed local moment every timeline counts from. */
export const T0 = new Date(2025, 4, 4, 10, 0, 0, 0);
/** A moment: milliseconds after T0, or a Date. */
export type Time = number | Date;
export const at = (t: Time): Date => (t instanceof Date ? t : new Date(T0.getTime() + t));
/** `ms` after a moment. */
export const later = (t: Time, ms: number): Date => new Date(at(t).getTime() + ms);

export const TID = 'T0000001';
export const MID = '898310048160001';
/** The simulated terminal's response timeout (docs/protocol.md §15.2; margin max(250, 1500/6) = 250 ms). */
export const TIMEOUT_MS = 1500;
/** A Luhn-valid test card and the way every trace carries it. */
export const CLEAR_PAN = '4111111111111111';
export const MASKED_PAN = '411111******1111';

export type Piece = HistoryRecord | NetworkMessage | PowerSwitching;

let serial = 0;
const nextId = (prefix: string) => `${prefix}-${String(++serial).padStart(4, '0')}`;

type Body<M> = M extends unknown ? Omit<M, 'id'> : never;

/** A command the harness sent (its id given, or a fresh one). */
export function command(body: Body<HarnessCommand>, t: Time, id = nextId('c')): HistoryRecord {
  return { at: at(t), dir: 'out', message: { ...body, id } as EcrMessage };
}

/** An event the terminal sent. */
export function event(body: Body<TerminalEvent>, t: Time): HistoryRecord {
  return { at: at(t), dir: 'in', message: { ...body, id: nextId('e') } as EcrMessage };
}

export const sale = (id: string, t: Time, amount = 10000) => command({ type: 'sale', amount, currency: 'CNY' }, t, id);
export const hello = (t: Time, id = nextId('h')) => command({ type: 'hello', protocol: '1' }, t, id);
export const swipe = (t: Time) => command({ type: 'input.card', method: 'swipe', pan: CLEAR_PAN, expiry: '2912' }, t);
export const keys = (k: string[], t: Time, id?: string) => command({ type: 'input.keys', keys: k }, t, id);
export const pin = (t: Time) => keys(['1', '2', '3', '4', '5', '6', 'ENTER'], t);
export const abort = (t: Time) => command({ type: 'abort' }, t);
export const reprint = (t: Time, id?: string) => command({ type: 'reprint' }, t, id);
export const lastResult = (t: Time, id?: string) => command({ type: 'lastResult' }, t, id);
export const printerSet = (state: 'ok' | 'paper-out' | 'jam', t: Time) => command({ type: 'printer.set', state }, t);

export const display = (lines: string[], t: Time) => event({ type: 'display', lines }, t);
export const voice = (text: string, t: Time) => event({ type: 'voice', text }, t);
export const state = (s: string, t: Time) => event({ type: 'state', state: s }, t);
export const error = (code: string, t: Time, ref?: string) =>
  event({ type: 'error', code, message: `${code} (test)`, ...(ref ? { ref } : {}) }, t);
export const reversal = (stan: string, status: 'stored' | 'sent' | 'confirmed', t: Time, responseCode?: string) =>
  event({ type: 'reversal', stan, status, ...(responseCode ? { responseCode } : {}) }, t);

/** `info`: unsolicited (power-up) without ref, the answer to a hello with it. */
export function info(t: Time, o: { tid?: string; ref?: string; language?: string } = {}): HistoryRecord {
  const { tid = TID, ref, language = 'zh-CN' } = o;
  const capabilities = ['swipe', 'chip', 'tap', 'qr', 'pin', 'printer', 'voice'];
  const body = { type: 'info', model: 'SIM-1', serial: 'S0001', firmware: '1.0.0', protocol: '1', capabilities };
  return event({ ...body, language, tid, ...(ref ? { ref } : {}) } as Body<TerminalEvent>, t);
}

/** One receipt copy as printed; a reprint carries the duplicate line unless `mark: false`. */
export function print(
  copy: 'merchant' | 'cardholder',
  t: Time,
  o: { reprint?: boolean; mark?: boolean; pan?: string } = {},
): HistoryRecord {
  const { reprint = false, mark = reprint, pan = MASKED_PAN } = o;
  const lines = ['POS签购单', `终端号: ${TID}`, `卡号: ${pan}`, '金额: ¥100.00', ...(mark ? ['重打印凭证'] : [])];
  return event({ type: 'print', lines, copy, reprint }, t);
}

/** The `result` of a command. */
export function result(
  ref: string | undefined,
  outcome: Outcome,
  t: Time,
  o: { stan?: string; responseCode?: string; message?: string; command?: string } = {},
): HistoryRecord {
  const { command: type = 'sale', ...rest } = o;
  const approvedFields = outcome === 'approved' ? { rrn: '000000000001', authCode: 'A12345' } : {};
  return event(
    {
      type: 'result',
      command: type,
      outcome,
      ...(ref ? { ref } : {}),
      amount: 10000,
      currency: 'CNY',
      pan: MASKED_PAN,
      ...approvedFields,
      ...rest,
    },
    t,
  );
}

// --- the network --------------------------------------------------------------------------------------------------

interface NetOptions {
  /** the terminal's connection (the proxy's numbering); undefined: the host's trace */
  connection?: number | undefined;
  fault?: string;
}

function net(
  direction: NetworkMessage['direction'],
  mti: string,
  fields: Record<number, string> | undefined,
  sent: Time,
  delivered: Time | undefined,
  o: NetOptions,
): NetworkMessage {
  return {
    direction,
    mti,
    fields,
    at: at(sent),
    deliveredAt: delivered === undefined ? undefined : at(delivered),
    connection: 'connection' in o ? o.connection : 1,
    fault: o.fault,
  };
}

/** The fields of a 0200 purchase as the proxy logs them (DE2 masked, DE35 masked, DE52 removed). */
export function saleFields(t: Time, o: { stan: string; amount?: number; tid?: string }): Record<number, string> {
  const when = at(t);
  return {
    2: MASKED_PAN,
    3: '000000',
    4: String(o.amount ?? 10000).padStart(12, '0'),
    7: transmissionDateTime(when),
    11: o.stan,
    12: localTime(when),
    13: localDate(when),
    14: '2912',
    22: '021',
    25: '00',
    41: o.tid ?? TID,
    42: MID,
    49: '156',
  };
}

/** A 0200 that reached the proxy at `t`. */
export function request0200(
  o: { stan: string; amount?: number; tid?: string },
  t: Time,
  opts: NetOptions = {},
): NetworkMessage {
  return net('request', '0200', saleFields(t, o), t, t, opts);
}

/** The host's 0210 to a request: sent at `sent`, written to the terminal at `delivered` (undefined: never). */
export function answer0210(
  request: NetworkMessage,
  code: string,
  sent: Time,
  delivered: Time | undefined,
  o: NetOptions & { fields?: Record<number, string> } = {},
): NetworkMessage {
  const f = request.fields ?? {};
  const echoed = Object.fromEntries([2, 3, 4, 7, 11, 12, 13, 41, 42, 49].map((n) => [n, f[n] ?? '']));
  const fields = { ...echoed, 37: '000000000001', 38: code === '00' ? 'A12345' : '', 39: code, ...o.fields };
  return net('response', '0210', fields, sent, delivered, { connection: request.connection, ...o });
}

/** The 0400 reversing `original` with reason `code`: its fields, a new DE7, DE39 and DE90 (§15.2.3). */
export function reversal0400(
  original: NetworkMessage,
  code: string,
  t: Time,
  o: NetOptions & { fields?: Record<number, string> } = {},
): NetworkMessage {
  const f = original.fields ?? {};
  const de90 = `${original.mti}${f[11]}${f[7]}${'0'.repeat(22)}`;
  const fields = { ...f, 7: transmissionDateTime(at(t)), 39: code, 90: de90, ...o.fields };
  return net('request', '0400', fields, t, t, o);
}

/** The host's 0410 to a 0400. */
export function answer0410(reversal: NetworkMessage, sent: Time, delivered: Time | undefined, o: NetOptions = {}) {
  const f = reversal.fields ?? {};
  const fields = { 3: f[3] ?? '', 4: f[4] ?? '', 7: f[7] ?? '', 11: f[11] ?? '', 39: '00', 41: f[41] ?? '' };
  return net('response', '0410', fields, sent, delivered, { connection: reversal.connection, ...o });
}

/** The 0800 sign-on (DE70 001) and its 0810. */
export function signOn(stan: string, t: Time, o: NetOptions = {}): NetworkMessage[] {
  const fields = { 7: transmissionDateTime(at(t)), 11: stan, 41: TID, 42: MID, 70: '001' };
  return [
    net('request', '0800', fields, t, t, o),
    net('response', '0810', { ...fields, 39: '00' }, later(t, 5), later(t, 6), o),
  ];
}

/** A message as the fault proxy logs it (for networkTrace). */
export function proxied(m: NetworkMessage): ProxyMessage {
  const { direction, mti, fields, at: when, deliveredAt, connection = 1, fault } = m;
  const stan = fields?.[11];
  const responseCode = fields?.[39];
  return {
    at: when,
    direction,
    connection,
    mti,
    ...(stan ? { stan } : {}),
    ...(responseCode && direction === 'response' ? { responseCode } : {}),
    ...(fault ? { fault } : {}),
    fields,
    ...(deliveredAt ? { deliveredAt } : {}),
  };
}

/** A message as the simulated host's trace has it: received ('in') or sent ('out'), at `t` (default: its time). */
export function hostSaw(m: NetworkMessage, t: Time = m.at): IsoTrace {
  return { dir: m.direction === 'request' ? 'in' : 'out', at: at(t), message: { mti: m.mti, fields: { ...m.fields } } };
}

export const power = (on: boolean, t: Time): PowerSwitching => ({ at: at(t), on });

// --- whole stories ------------------------------------------------------------------------------------------------

/** A correct approved sale (docs/protocol.md §10, §15): prompts, the 0200 and its 0210 00, the approval, both copies,
 * `state` idle, the result. `t` is the sale command; the request leaves at t+210, its answer arrives at t+260. */
export function approvedSale(id: string, t: number, o: { stan: string; connection?: number }) {
  const request = request0200({ stan: o.stan }, t + 210, { connection: o.connection ?? 1 });
  const answer = answer0210(request, '00', t + 258, t + 260);
  const pieces: Piece[] = [...cardAndPin(id, t), request, answer, ...approvalAndReceipts(id, t + 270, o.stan)];
  return { pieces, request, answer, end: t + 300 };
}

/** A sale up to the PIN: sale, card prompt, card, PIN prompt, PIN, processing (t … t+206). */
export function cardAndPin(id: string, t: number): Piece[] {
  return [
    sale(id, t),
    state('card', t + 5),
    display(['请刷卡/插卡/挥卡', '金额: ¥100.00'], t + 6),
    voice('请刷卡', t + 7),
    swipe(t + 100),
    state('pin', t + 105),
    display(['请输入密码', '金额: ¥100.00'], t + 106),
    voice('请输入密码', t + 107),
    pin(t + 200),
    state('online', t + 205),
    display(['处理中...'], t + 206),
  ];
}

/** The end of an approved sale: approval screen and voice, merchant then cardholder copy, idle, result (t … t+30). */
export function approvalAndReceipts(id: string, t: number, stan: string): Piece[] {
  return [
    state('result', t),
    display(['交易成功', '金额: ¥100.00', '2025-05-04 10:00:00'], t + 1),
    voice('交易成功', t + 2),
    state('printing', t + 3),
    print('merchant', t + 10),
    print('cardholder', t + 20),
    state('idle', t + 25),
    result(id, 'approved', t + 30, { stan, responseCode: '00' }),
  ];
}

/** The end of a failed transaction: failure screen (with `reason`), voice, idle, result. */
export function failure(
  id: string,
  outcome: Outcome,
  t: number,
  o: { stan?: string; reason?: string; responseCode?: string } = {},
): Piece[] {
  const { reason = '交易超时', ...fields } = o;
  return [
    state('result', t),
    display(['交易失败', reason], t + 1),
    voice('交易失败', t + 2),
    state('idle', t + 3),
    result(id, outcome, t + 5, fields),
  ];
}

// --- evidence -----------------------------------------------------------------------------------------------------

/** The evidence of a scenario from its pieces (each sorted into records, network and power, oldest first). */
export function evidence(
  pieces: readonly Piece[],
  o: { network?: boolean; rig?: Partial<RigFacts>; trace?: NetworkMessage[] } = {},
): MonitorEvidence {
  const byTime = <T extends { at: Date }>(xs: T[]) => [...xs].sort((a, b) => a.at.getTime() - b.at.getTime());
  const records = byTime(pieces.filter((p): p is HistoryRecord => 'dir' in p));
  const network = o.trace ?? byTime(pieces.filter((p): p is NetworkMessage => 'direction' in p));
  const switched = byTime(pieces.filter((p): p is PowerSwitching => 'on' in p && !('dir' in p)));
  return {
    records,
    network: o.network === false ? undefined : network,
    power: switched,
    rig: { tid: TID, responseTimeoutMs: TIMEOUT_MS, language: 'zh-CN', ...o.rig },
  };
}

/** The rule ids the monitor finds, in time order. */
export function rulesOf(e: MonitorEvidence): string[] {
  return checkBehaviour(e).findings.map((f) => f.rule);
}

/** The findings' messages, joined: for asserting what a finding names. */
export function messagesOf(e: MonitorEvidence): string {
  return checkBehaviour(e)
    .findings.map((f) => `[${f.rule}] ${f.message}`)
    .join('\n');
}
