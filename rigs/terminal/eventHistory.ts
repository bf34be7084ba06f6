// The timestamped history of what passed between harness and terminal, and the one way to wait on it.
//   const record = await history.waitFor('display "交易成功"', (r) => isDisplay(r, '交易成功'), { timeoutMs: 5000 });
// A timeout quotes the recent history (display lines, voice prompts, printed lines), with timestamps.

import { clock } from '../../protocols/domain/clock.ts';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { EcrMessage, TerminalEvent } from '../../protocols/ecr/index.ts';
import {
  type Ending,
  Timeline,
  type WaitOptions as TimelineWaitOptions,
  WaitTimeoutError,
} from '../timeline/timeline.ts';

export interface HistoryRecord {
  readonly at: Date;
  /** 'in' from the terminal, 'out' from the harness. */
  readonly dir: 'in' | 'out';
  readonly message: EcrMessage;
}

export interface TerminalRecord extends HistoryRecord {
  readonly dir: 'in';
  readonly message: TerminalEvent;
}

/** How long to wait, from where, and (optionally) the terminal event after which the awaited one cannot come. */
export interface WaitOptions extends Omit<TimelineWaitOptions, 'endsWhen'> {
  readonly endsWhen?: Ending<TerminalRecord> | undefined;
}

/** Nothing matched in time; the message quotes what the terminal did meanwhile. */
export class TerminalTimeoutError extends WaitTimeoutError {
  override name = 'TerminalTimeoutError';
}

/** Records every message both ways and resolves waits on terminal events. */
export class EventHistory {
  private readonly timeline = new Timeline<HistoryRecord>(
    (from) => this.quote(from),
    (message) => new TerminalTimeoutError(message),
  );

  /** Adds a message; resolves every wait it satisfies. */
  add(dir: 'in' | 'out', message: EcrMessage, at = clock.date()): void {
    this.timeline.add({ at, dir, message } as HistoryRecord);
  }

  /** A cursor: the index the next record will get. */
  mark(): number {
    return this.timeline.mark();
  }

  /** Terminal events from a cursor on (all when omitted). */
  events(from?: number): TerminalRecord[] {
    return this.timeline.all(from).filter(isTerminalRecord);
  }

  /** Every record both ways from a cursor on. */
  all(from?: number): HistoryRecord[] {
    return this.timeline.all(from);
  }

  /** Fails every pending and later wait with this error until clear(): the rig broke (see rigs/verdict). */
  fail(error: Error): void {
    this.timeline.fail(error);
  }

  /** The error the history was failed with, if any. */
  get failure(): Error | undefined {
    return this.timeline.failure;
  }

  /** Forgets everything recorded so far (cursors stay valid and increasing). */
  clear(): void {
    this.timeline.clear();
  }

  /** The first terminal event from `from` on that matches; a TerminalTimeoutError quoting the history if none in time. */
  async waitFor(
    what: string,
    predicate: (record: TerminalRecord) => boolean,
    options: WaitOptions,
  ): Promise<TerminalRecord> {
    const ends = options.endsWhen;
    const endsWhen = ends && { ...ends, predicate: (r: HistoryRecord) => isTerminalRecord(r) && ends.predicate(r) };
    const record = await this.timeline.waitFor(what, (r) => isTerminalRecord(r) && predicate(r), {
      ...options,
      endsWhen,
    });
    return record as TerminalRecord;
  }

  /** The history from a cursor as readable lines, PANs masked: what a failure message quotes. The harness's barrier
   * hellos and the info answering them are left out (the full history, attached to the report, keeps them). */
  quote(from?: number, limit = 40): string {
    const records = this.all(from).filter((r) => !isBarrier(r));
    if (records.length === 0) return 'the terminal sent nothing since the scenario started';
    const shown = records.slice(-limit);
    const skipped = records.length - shown.length;
    return `the terminal did this:\n${skipped > 0 ? `    … ${skipped} earlier\n` : ''}${shown.map(formatRecord).join('\n')}`;
  }
}

/** A hello the harness sent, or an info naming the hello it answers: link bookkeeping, not the terminal's doing. */
function isBarrier(record: HistoryRecord): boolean {
  return record.message.type === 'hello' || (record.message.type === 'info' && record.message.ref !== undefined);
}

function isTerminalRecord(record: HistoryRecord): record is TerminalRecord {
  return record.dir === 'in';
}

/** One history line, e.g. "    11:32:01.123 ← display  交易成功 | 金额: ¥100.00". */
export function formatRecord(record: HistoryRecord): string {
  return `    ${localTimeOfDay(record.at)} ${recordSummary(record)}`;
}

/** The line without its time, e.g. "← display     交易成功 | 金额: ¥100.00" (PANs masked, PIN digits as •). */
export function recordSummary(record: HistoryRecord): string {
  const arrow = record.dir === 'in' ? '←' : '→';
  return maskPansIn(`${arrow} ${record.message.type.padEnd(11)} ${summarise(record.message)}`);
}

function summarise(message: EcrMessage): string {
  switch (message.type) {
    case 'display':
      return message.lines.join(' | ');
    case 'voice':
      return `"${message.text}"`;
    case 'print':
      return `${message.copy} copy${message.reprint ? ' (reprint)' : ''}: ${message.lines.join(' | ')}`;
    case 'result':
      return [
        message.outcome,
        message.responseCode && `rc=${message.responseCode}`,
        message.stan && `stan=${message.stan}`,
      ]
        .filter(Boolean)
        .join(' ');
    case 'input.keys':
      // Keys may be a PIN: digits are never written anywhere.
      return message.keys.map((k) => (/^\d$/.test(k) ? '•' : k)).join(' ');
    case 'info':
      return `${message.model} firmware ${message.firmware} protocol ${message.protocol}${message.tid ? ` tid ${message.tid}` : ''}`;
    case 'hello':
      return `protocol ${message.protocol}`;
    case 'input.card':
      return `${message.method} ${message.pan.slice(0, 6)}…${message.pan.slice(-4)}`;
    default: {
      const { type: _type, id: _id, ...rest } = message as { type: string; id: string } & Record<string, unknown>;
      return JSON.stringify(rest);
    }
  }
}
