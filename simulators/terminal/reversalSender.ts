// Delivers due reversals: one 0400 per stored record (new DE7, the ORIGINAL STAN, DE39 reason, DE90), one at a time,
// retried every retryMs until a 0410 arrives (any DE39 in it — 00 or 25 — ends the reversal). Reports each step.
//   const sender = new ReversalSender({ store, host, clock, retryMs: 1500, notify: (n) => emit({ type: 'reversal', ...n }) });
//   sender.due('000007', '98');          // 'stored', then 'sent' per 0400, 'confirmed' on the 0410
//   if (!(await sender.settle())) ...    // before an online transaction: true once nothing is left to reverse

import { clock, type Timer } from '../../protocols/domain/clock.ts';
import type { ReversalStatus } from '../../protocols/ecr/index.ts';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import type { Clock } from './clock.ts';
import type { DefectSet } from './defects.ts';
import type { ExchangeOptions, HostReply } from './hostClient.ts';
import { originalDataElements, reversalRequest } from './isoRequest.ts';
import type { PendingReversal, ReversalStore } from './reversalStore.ts';

/** The acquirer as the firmware needs it: one request in, one reply out. */
export interface HostExchange {
  exchange(request: IsoMessage, options?: ExchangeOptions): Promise<HostReply>;
}

/** What the terminal tells the harness about a reversal (the ECR `reversal` event without its id). */
export interface ReversalNotice {
  stan: string;
  status: ReversalStatus;
  responseCode?: string;
}

export interface ReversalSenderDeps {
  store: ReversalStore;
  host: HostExchange;
  clock: Clock;
  retryMs: number;
  notify: (notice: ReversalNotice) => void;
  /** seeded defects checked here: 'reversal-de90-wrong', 'reversal-not-retried', 'reversal-lost-in-flight' (none when
   * absent) */
  defects?: DefectSet;
}

/** DE39 reason for a request found outstanding at power-up (the power failed while it was online). */
export const REVERSAL_POWER_FAILURE = '06';

/** Sends the reversals a store holds as due, retrying on a timer until each is confirmed. */
export class ReversalSender {
  readonly #deps: ReversalSenderDeps;
  #timer: Timer | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;
  /** With the 'reversal-not-retried' defect: reversals whose first 0410 never came, left alone until power-up. */
  readonly #givenUp = new Set<string>();

  constructor(deps: ReversalSenderDeps) {
    this.#deps = deps;
  }

  /** Marks an original as needing reversal, reports it 'stored' and starts delivering it. */
  due(stan: string, reason: string): void {
    this.#deps.store.markDue(stan, reason);
    this.#deps.notify({ stan, status: 'stored' });
    this.#kick();
  }

  /** After power-up, before anything else runs: every record still pending was cut off by the power loss and
   * becomes due (reason 06). Records stored later (a sale after power-up) are not touched. */
  markPowerFailure(): void {
    for (const record of this.#deps.store.pending) {
      if (!record.due) this.#deps.store.markDue(record.stan, REVERSAL_POWER_FAILURE);
    }
  }

  /** Starts delivering every due reversal (after the sign-on), telling the harness which are stored. */
  deliverDue(): void {
    for (const record of this.#due()) this.#deps.notify({ stan: record.stan, status: 'stored' });
    this.#kick();
  }

  /** Before an online transaction: waits for the attempt in progress, then makes one fresh attempt per reversal still
   * due; true when nothing is left to reverse afterwards. */
  async settle(): Promise<boolean> {
    await this.#running;
    if (this.#due().length === 0) return true;
    this.#kick();
    await this.#running;
    return this.#due().length === 0;
  }

  /** Stops retrying; an attempt in flight is ignored when it ends. */
  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
  }

  #kick(): void {
    if (this.#stopped || this.#running) return;
    this.#clearTimer();
    this.#running = this.#round().finally(() => {
      this.#running = null;
      if (!this.#stopped && this.#due().length > 0) {
        this.#timer = clock.setTimeout(() => this.#kick(), this.#deps.retryMs);
      }
    });
  }

  async #round(): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      const next = this.#due().find((record) => !tried.has(record.stan));
      if (this.#stopped || !next) return;
      tried.add(next.stan);
      await this.#attempt(next);
    }
  }

  async #attempt(record: PendingReversal): Promise<void> {
    const { host, clock, notify, store } = this.#deps;
    const { stan } = record;
    const request = reversalRequest(record.request, record.reason ?? '98', clock());
    if (this.#deps.defects?.has('reversal-de90-wrong')) {
      // DE90 built from the 0400's own (new) DE7 instead of the original's
      request.fields[90] = originalDataElements({ mti: record.request.mti, fields: request.fields });
    }
    // the 'reversal-lost-in-flight' defect takes the record off the store as its 0400 goes out and puts it back only
    // when no 0410 came: while the 0400 is out it lives in RAM only, and a power cut then loses it
    const lifts = this.#deps.defects?.has('reversal-lost-in-flight') ?? false;
    let lifted = false;
    const sent = () => {
      notify({ stan, status: 'sent' });
      if (lifts) {
        store.clear(stan);
        lifted = true;
      }
    };
    let reply: HostReply;
    try {
      reply = await host.exchange(request, { onSent: sent });
    } catch (error) {
      reply = { kind: 'unreachable', reason: (error as Error).message };
    }
    if (this.#stopped) return;
    if (reply.kind !== 'response' || reply.message.mti !== '0410') {
      if (lifted) restore(store, record);
      if (this.#deps.defects?.has('reversal-not-retried')) this.#givenUp.add(stan); // the defect: no second try
      return;
    }
    store.clear(stan);
    const responseCode = reply.message.fields[39]?.trim();
    notify({ stan, status: 'confirmed', ...(responseCode ? { responseCode } : {}) });
  }

  #due(): PendingReversal[] {
    return this.#deps.store.pending.filter((record) => record.due && !this.#givenUp.has(record.stan));
  }

  #clearTimer(): void {
    if (this.#timer) clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/** Puts a record taken off the store back, due with its reason (the 'reversal-lost-in-flight' defect, no 0410 came). */
function restore(store: ReversalStore, record: PendingReversal): void {
  store.arm(record);
  store.markDue(record.stan, record.reason ?? '98');
}
