// What the report thread is told to write, and what it says back: plain data, as it crosses to the thread.

import type { Envelope } from '@cucumber/messages';
//   const plan: ReportPlan = { cwd, html: 'reports/cucumber.html', json: 'reports/cucumber.json',
//     junit: { file: 'reports/junit.xml', suiteName: 'posrig sim-serial' },
//     allure: { resultsDir: 'reports/allure-results', rigName: 'sim-serial' } };

/** The reports of one run: each one absent is not written. */
export interface ReportPlan {
  /** Where the run's paths are relative to (cucumber's cwd). */
  readonly cwd: string;
  readonly html?: string;
  readonly junit?: { readonly file: string; readonly suiteName: string };
  readonly json?: string;
  readonly allure?: { readonly resultsDir: string; readonly rigName: string };
  /** Folders of an earlier run to delete meanwhile (its Allure results, moved aside). */
  readonly discard?: readonly string[];
}

/** The message after the run's last envelope: the formatters finish and close their files. */
export const END = 'posrig:end-of-messages';

/** What the report thread is sent, in this order for each run: the plan, batches of the run's messages, END. */
export type ThreadMessage = { readonly begin: ReportPlan } | readonly Envelope[] | typeof END;

/** The thread's answer to a run's END. */
export type ThreadReply = { readonly done: true } | { readonly error: string };
