// The scenario as the monitor's rules see it: the terminal's transactions (each with its events, result, requests
// and their answers), and a few questions every rule asks (is this display an approval, when was the power cut).
//   const model = scenarioModel(evidence);
//   for (const t of model.transactions) if (t.result?.outcome === 'approved') …
// A transaction starts with an accepted sale, refund, void or settle and ends with its result, with the power cut
// that ended it, or with the scenario (docs/protocol.md section 10).

import type { EcrMessage, TerminalEvent } from '../../protocols/ecr/index.ts';
import type { HistoryRecord } from '../terminal/eventHistory.ts';
import type { MonitorEvidence, NetworkMessage } from './evidence.ts';

const TRANSACTION_COMMANDS = new Set(['sale', 'refund', 'void', 'settle']);

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
  const last = [records.at(-1)?.at, network?.at(-1)?.at, new Date(0)].filter((d): d is Date => d !== undefined);
  const end = new Date(Math.max(...last.map((d) => d.getTime())));
  const exchanges = exchangesIn(network ?? []);
  const refused = new Set(records.flatMap((r) => (r.dir === 'in' && refusal(r.message) ? [r.message.ref] : [])));
  const starts = records.filter(
    (r) => r.dir === 'out' && TRANSACTION_COMMANDS.has(r.message.type) && !refused.has(r.message.id),
  );
  const transactions = starts.map((start, index) => {
    const next = starts[index + 1]?.at ?? end;
    return transaction(start, records, next, cuts, exchanges);
  });
  return { transactions, records, network, exchanges, cuts, powerOns, end };
}

function transaction(
  start: HistoryRecord,
  records: readonly HistoryRecord[],
  nextStart: Date,
  cuts: readonly Date[],
  exchanges: readonly Exchange[],
): Transaction {
  const after = records.filter((r) => r.at >= start.at && r !== start && r.at <= nextStart);
  const resultRecord = after.find(
    (r) =>
      r.dir === 'in' &&
      r.message.type === 'result' &&
      (r.message.ref === undefined || r.message.ref === start.message.id),
  );
  const cut = cuts.find((c) => c >= start.at && c <= (resultRecord?.at ?? nextStart));
  const end = resultRecord?.at ?? cut ?? nextStart;
  const within = after.filter((r) => r.at <= end);
  const result = resultRecord && { at: resultRecord.at, message: resultRecord.message as Result };
  return {
    id: start.message.id,
    command: start.message.type,
    start: start.at,
    result,
    end,
    events: within.filter((r) => r.dir === 'in').map((r) => ({ at: r.at, message: r.message as TerminalEvent })),
    commands: within.filter((r) => r.dir === 'out'),
    requests: exchanges.filter((e) => e.request.at >= start.at && e.request.at <= end),
  };
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
