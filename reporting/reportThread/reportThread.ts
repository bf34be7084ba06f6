// The reports of a run written off the thread that runs it: cucumber's messages go to a worker thread, where
// cucumber's html, junit and json formatters and allure-cucumberjs's write cucumber.html, junit.xml, cucumber.json
// and allure-results/ (reportWriters.ts). The run's own thread only hands each message over; on a 2-CPU machine the
// reports were a quarter of a run on simulated time. The files are complete when finished() resolves.
//   const reports = ReportThread.start({ cwd, json: 'reports/cucumber.json' });
//   await runCucumber(config, environment, (envelope) => reports.post(envelope));
//   await reports.finished();   // ReportWriteError naming the file when one could not be written

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
  readonly #outcome: Promise<void>;
  #batch: Envelope[] = [];

  private constructor(plan: ReportPlan) {
    this.#worker = new Worker(new URL('./start.mjs', import.meta.url), { workerData: plan });
    this.#outcome = new Promise<void>((resolve, reject) => {
      const fail = (reason: string) => reject(new ReportWriteError(reason));
      this.#worker.on('message', (reply: ThreadReply) => ('error' in reply ? fail(reply.error) : resolve()));
      this.#worker.on('error', (error) => fail(`the report thread failed: ${error.message}`));
      this.#worker.on('exit', (code) =>
        fail(`the report thread ended (exit code ${code}) before the reports were written`),
      );
    });
    // Seen by finished(); until then a failure must not count as unhandled.
    this.#outcome.catch(() => {});
  }

  /** Starts the thread; it loads the formatters while the run gets ready. */
  static start(plan: ReportPlan): ReportThread {
    return new ReportThread(plan);
  }

  /** One of the run's messages, in the order cucumber emitted them. */
  readonly post = (envelope: Envelope): void => {
    this.#batch.push(envelope);
    if (this.#batch.length >= BATCH) this.#handOver();
  };

  /** The run has emitted its last message: resolves once every report is written, then the thread ends. */
  async finished(): Promise<void> {
    this.#handOver();
    this.#worker.postMessage(END);
    try {
      await this.#outcome;
    } finally {
      await this.#worker.terminate();
    }
  }

  #handOver(): void {
    if (this.#batch.length === 0) return;
    this.#worker.postMessage(this.#batch);
    this.#batch = [];
  }

  /** The run failed before its end: the thread stops, whatever it had written stays as it is. */
  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}
