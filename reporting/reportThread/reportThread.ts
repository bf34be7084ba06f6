// The reports of a run written off the thread that runs it: cucumber's messages go to a worker thread, where
// cucumber's html, junit and json formatters and allure-cucumberjs's write cucumber.html, junit.xml, cucumber.json
// and allure-results/ (reportWriters.ts). The run's own thread only hands each message over; on a 2-CPU machine the
// reports were a quarter of a run on simulated time. The files are complete when finished() resolves.
// One thread serves run after run (posrig selfcheck's workers run many in one process): it starts once.
//   const reports = ReportThread.open();
//   reports.begin({ cwd, json: 'reports/cucumber.json' });
//   await runCucumber(config, environment, (envelope) => reports.post(envelope));
//   await reports.finished();   // ReportWriteError naming the file when one could not be written
//   await reports.close();      // after the last run

import { Worker } from 'node:worker_threads';
import type { Envelope } from '@cucumber/messages';
import { END, type ReportPlan, type ThreadReply } from './reportPlan.ts';

export type { ReportPlan } from './reportPlan.ts';

/** A report could not be written (the thread names the file and the reason). */
export class ReportWriteError extends Error {
  override name = 'ReportWriteError';
}

/** Messages handed over at a time: one hand-over per message wakes the thread thousands of times a run. */
const BATCH = 64;

export class ReportThread {
  readonly #worker: Worker;
  #batch: Envelope[] = [];
  /** The current run's outcome, settled by the thread's reply (or its failure). */
  #settle: { resolve: () => void; reject: (error: ReportWriteError) => void } | undefined;
  #outcome: Promise<void> = Promise.resolve();
  /** Why the thread is gone, once it is. */
  #gone: string | undefined;

  private constructor() {
    this.#worker = new Worker(new URL('./start.mjs', import.meta.url));
    const fail = (reason: string) => {
      this.#gone ??= reason;
      this.#settle?.reject(new ReportWriteError(reason));
      this.#settle = undefined;
    };
    this.#worker.on('message', (reply: ThreadReply) => {
      if ('error' in reply) this.#settle?.reject(new ReportWriteError(reply.error));
      else this.#settle?.resolve();
      this.#settle = undefined;
    });
    this.#worker.on('error', (error) => fail(`the report thread failed: ${error.message}`));
    this.#worker.on('exit', (code) =>
      fail(`the report thread ended (exit code ${code}) before the reports were written`),
    );
  }

  /** Starts the thread; it loads the formatters while the first run gets ready. */
  static open(): ReportThread {
    return new ReportThread();
  }

  /** Whether the thread can take another run (it did not fail or end). */
  get usable(): boolean {
    return this.#gone === undefined;
  }

  /** A run begins: its messages are to be written into these reports. */
  begin(plan: ReportPlan): void {
    this.#batch = [];
    this.#outcome = new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // Seen by finished(); until then a failure must not count as unhandled.
    this.#outcome.catch(() => {});
    if (this.#gone) this.#settle?.reject(new ReportWriteError(this.#gone));
    else this.#worker.postMessage({ begin: plan });
  }

  /** One of the run's messages, in the order cucumber emitted them. */
  readonly post = (envelope: Envelope): void => {
    if (this.#gone) return; // finished() says why; nothing is kept for a thread that will not take it
    this.#batch.push(envelope);
    if (this.#batch.length >= BATCH) this.#handOver();
  };

  /** The run has emitted its last message: resolves once every report of the run is written. */
  async finished(): Promise<void> {
    this.#handOver();
    if (!this.#gone) this.#worker.postMessage(END);
    await this.#outcome;
  }

  #handOver(): void {
    if (this.#batch.length === 0 || this.#gone) return;
    this.#worker.postMessage(this.#batch);
    this.#batch = [];
  }

  /** No more runs (or the run failed before its end): the thread stops, what it had written stays as it is. */
  async close(): Promise<void> {
    this.#gone ??= 'the report thread was closed';
    await this.#worker.terminate();
  }
}
