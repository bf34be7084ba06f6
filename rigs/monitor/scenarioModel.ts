// The scenario as the monitor's rules see it: the terminal's transactions (each with its events, result, requests
// and their answers), and a few questions every rule asks (is this display an approval, when was the power cut).
//   const model = scenarioModel(evidence);
//   for (const t of model.transactions) if (t.result?.outcome === 'approved') …
// A transaction starts with an accepted sale, refund, void or settle and ends with its result, with the power cut
// that ended it, or with the scenario (docs/protocol.md section 10).

import type { EcrMessage, TerminalEvent } from '../../protocols/ecr/index.ts';
import type { HistoryRecord } from '../terminal/eventHistory.ts';
import { TRANSACTION_COMMANDS } from '../terminal/transactionEnd.ts';
import type { MonitorEvidence, NetworkMessage } from './evidence.ts';

export type Result = Extract<TerminalEvent, { type: 'result' }>;
export type Print = Extract<TerminalEvent, { type: 'print' }>;

export interface Timed<T> {
  readonly at: Date;
  readonly message: T;
}

export interface Transaction {
  /** The command that started it: its id and type. */
  readonly id: string;
  readonly command: string;
  readonly start: Date;
  /** Its result; undefined when the power or the scenario ended it first. */
  readonly result: Timed<Result> | undefined;
  /** When it ended: its result, the power cut, or the end of the evidence. */
  readonly end: Date;
  /** What ended it: its result, a power cut, the next transaction's command (with no result before it), or nothing
   * before the evidence ends. */
  readonly endedBy: 'result' | 'power cut' | 'next command' | 'nothing';
  /** Its records by index in the scenario's records: the command at `from`, its last record at `to`. */
  readonly span: { readonly from: number; readonly to: number };
  /** The terminal's events after the command up to and including the result (or end). */
  readonly events: readonly Timed<TerminalEvent>[];
  /** The harness's commands while it was open (PIN keys, abort …). */
  readonly commands: readonly Timed<EcrMessage>[];
  /** The financial requests (0200) that left while it was open, each with its answer. */
  readonly requests: readonly Exchange[];
}

/** A request and the answer the terminal got for it, if any. */
export interface Exchange {
  readonly request: NetworkMessage;
  /** The first 0210 after it on its connection (or with its STAN where connections are unknown). */
  readonly answer: NetworkMessage | undefined;
}

export interface ScenarioModel {
  readonly transactions: readonly Transaction[];
  /** Events that belong to no transaction: between a result and the next command, reversal events, … */
  readonly records: readonly HistoryRecord[];
  readonly network: readonly NetworkMessage[] | undefined;
  /** Every 0200 with its answer, in order. */
  readonly exchanges: readonly Exchange[];
  /** Times the power went off / came back in the scenario. */
  readonly cuts: readonly Date[];
  readonly powerOns: readonly Date[];
  readonly end: Date;
}

/** Splits the evidence into transactions and request/answer pairs. */
export function scenarioModel(evidence: MonitorEvidence): ScenarioModel {
  const { records, network } = evidence;
  const cuts = evidence.power.filter((p) => !p.on).map((p) => p.at);
  const powerOns = evidence.power.filter((p) => p.on).map((p) => p.at);
  const last = [records.at(-1)?.at, network?.at(-1)?.at, evidence.power.at(-1)?.at, new Date(0)].filter(
    (d): d is Date => d !== undefined,
  );
  const end = new Date(Math.max(...last.map((d) => d.getTime())));
  const exchanges = exchangesIn(network ?? []);
  const refused = new Set(records.flatMap((r) => (r.dir === 'in' && refusal(r.message) ? [r.message.ref] : [])));
  const starts = records.filter(
    (r) => r.dir === 'out' && TRANSACTION_COMMANDS.has(r.message.type) && !refused.has(r.message.id),
  );
  const transactions = starts.map((start, index) => {
    const next = starts[index + 1];
    return transaction(
      records.indexOf(start),
      next ? records.indexOf(next) : records.length,
      records,
      cuts,
      exchanges,
      end,
    );
  });
  return { transactions, records, network, exchanges, cuts, powerOns, end };
}

/** The transaction started by records[from], up to (not including) records[next]: judged by the order of the
 * records, never by their times (two events of one millisecond may belong to two transactions). */
function transaction(
  from: number,
  next: number,
  records: readonly HistoryRecord[],
  cuts: readonly Date[],
  exchanges: readonly Exchange[],
  scenarioEnd: Date,
): Transaction {
  const start = records[from] as HistoryRecord;
  const after = records.slice(from + 1, next);
  const resultIndex = after.findIndex(
    (r) =>
      r.dir === 'in' &&
      r.message.type === 'result' &&
      (r.message.ref === undefined || r.message.ref === start.message.id),
  );
  const resultRecord = after[resultIndex];
  const nextStart = records[next]?.at ?? scenarioEnd;
  const cut = resultRecord ? undefined : cuts.find((c) => c >= start.at && c <= nextStart);
  const within = resultRecord ? after.slice(0, resultIndex + 1) : after.filter((r) => !cut || r.at <= cut);
  const end = resultRecord?.at ?? cut ?? nextStart;
  const result = resultRecord && { at: resultRecord.at, message: resultRecord.message as Result };
  return {
    id: start.message.id,
    command: start.message.type,
    start: start.at,
    result,
    end,
    endedBy: resultRecord ? 'result' : cut ? 'power cut' : records[next] ? 'next command' : 'nothing',
    span: { from, to: from + within.length },
    events: within.filter((r) => r.dir === 'in').map((r) => ({ at: r.at, message: r.message as TerminalEvent })),
    commands: within.filter((r) => r.dir === 'out'),
    requests: exchanges.filter((e) => e.request.at >= start.at && e.request.at <= end),
  };
}

/** The transaction a record (by its index in the scenario's records) belongs to, if any. */
export function transactionAt(model: ScenarioModel, index: number): Transaction | undefined {
  return model.transactions.find((t) => index > t.span.from && index <= t.span.to);
}

/** An `error` refusing the command it names. A printer fault comes inside the transaction it names (section 10.4:
 * the `result` still follows): no refusal. */
export function refusal(message: EcrMessage): message is Extract<EcrMessage, { type: 'error' }> & { ref: string } {
  return message.type === 'error' && message.ref !== undefined && !PRINTER_FAULTS.has(message.code);
}

const PRINTER_FAULTS = new Set(['printer-paper-out', 'printer-jam']);

/** Every 0200 and the 0210 that answers it. */
function exchangesIn(network: readonly NetworkMessage[]): Exchange[] {
  const taken = new Set<NetworkMessage>();
  return network
    .filter((m) => m.direction === 'request' && m.mti === '0200')
    .map((request) => {
      const answer = network.find(
        (m) =>
          m.direction === 'response' &&
          m.at >= request.at &&
          !taken.has(m) &&
          (m.mti === '0210' || m.mti === 'garbled') &&
          (request.connection !== undefined
            ? m.connection === request.connection
            : m.fields?.[11] === request.fields?.[11]),
      );
      if (answer) taken.add(answer);
      return { request, answer };
    });
}

/** The 0400s for an original STAN, in order. */
export function reversalsOf(network: readonly NetworkMessage[], stan: string | undefined): NetworkMessage[] {
  if (stan === undefined) return [];
  return network.filter((m) => m.direction === 'request' && m.mti === '0400' && m.fields?.[11] === stan);
}

/** The STAN of a message, when it has one. */
export function stanOf(message: NetworkMessage): string | undefined {
  return message.fields?.[11];
}
