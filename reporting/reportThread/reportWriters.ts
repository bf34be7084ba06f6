// The report thread's side: the four reports of a run (cucumber.html, junit.xml, cucumber.json, allure-results/)
// written from cucumber's messages by cucumber's own formatters and allure-cucumberjs's, in a worker thread of their
// own. They learn everything from the messages: the step definitions and hooks are known once their messages have
// come (before testRunStarted), so the formatters start then and are fed every message from the first.
// A BeforeAll or AfterAll hook that fails reaches Allure as a global error from its testRunHookFinished message.
// Started by reportThread.ts through start.mjs; not used on its own.
//   parent → thread, per run: { begin: plan }, [envelope, …], …, END     thread → parent: { done: true } | { error: '…' }

import { EventEmitter } from 'node:events';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { Envelope } from '@cucumber/messages';
import * as allureReporter from 'allure-cucumberjs/reporter';
import { allureFormatOptions } from '../allure/formatterOptions.ts';
import { END, type ReportPlan, type ThreadMessage, type ThreadReply } from './reportPlan.ts';

const require = createRequire(import.meta.url);
// Cucumber's formatters by their files: its package exports lib/* for require only.
const JsonFormatter = require('@cucumber/cucumber/lib/formatter/json_formatter').default;
const EventDataCollector = require('@cucumber/cucumber/lib/formatter/helpers/event_data_collector').default;
const htmlPlugin = require('@cucumber/cucumber/lib/formatter/builtin/html').default as FormatterPlugin;
const junitPlugin = require('@cucumber/junit-xml-formatter').default as FormatterPlugin;
// The package's types are not marked ESM, so TypeScript sees the class one `default` deeper than it is at run time.
type AllureReporterClass = typeof allureReporter.default.default;
const AllureCucumberReporter = allureReporter.default as unknown as AllureReporterClass;
type AllureCucumberReporter = InstanceType<AllureReporterClass>;

/** A formatter plugin as cucumber-js 12 runs one (html, junit). */
interface FormatterPlugin {
  formatter(context: {
    on: (event: 'message', handler: (envelope: Envelope) => void) => void;
    options: Record<string, unknown>;
    write: (chunk: string | Buffer) => void;
    directory?: string;
    logger: Console;
  }): void | (() => Promise<void>);
}

/** What cucumber's class formatters read of the support code library, rebuilt from the messages. */
interface SupportCodeStandIn {
  stepDefinitions: { id: string; uri: string; line: number }[];
  beforeTestCaseHookDefinitions: { id: string; name?: string }[];
  afterTestCaseHookDefinitions: { id: string; name?: string }[];
  beforeTestRunHookDefinitions: { code: () => void }[];
  afterTestRunHookDefinitions: { code: () => void }[];
  World: unknown;
}

/** A report file: written as the formatter goes, closed (and flushed) at the end. */
class ReportFile {
  readonly #stream: WriteStream;
  #failure: Error | undefined;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.#stream = createWriteStream(file);
    this.#stream.on('error', (error) => {
      this.#failure ??= error;
    });
  }

  readonly write = (chunk: string | Buffer): void => {
    this.#stream.write(chunk);
  };

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#stream.end(resolve));
    if (this.#failure) throw new Error(`${this.file}: ${this.#failure.message}`);
  }
}

/** The formatters of one run, fed the run's messages in order. */
class ReportWriters {
  readonly #plan: ReportPlan;
  readonly #waiting: Envelope[] = [];
  readonly #handlers: ((envelope: Envelope) => void)[] = [];
  readonly #endings: (() => Promise<void>)[] = [];
  readonly #hooks = new Map<string, string>(); // hook id → its type (BEFORE_TEST_RUN, …)
  readonly #hookRuns = new Map<string, string>(); // testRunHookStarted id → hook id
  #allure: AllureCucumberReporter | undefined;
  #started = false;

  constructor(plan: ReportPlan) {
    this.#plan = plan;
  }

  take(envelope: Envelope): void {
    if (!this.#started) {
      this.#waiting.push(envelope);
      if (envelope.testRunStarted) this.#start();
      return;
    }
    this.#feed(envelope);
  }

  /** Every message has come: the formatters finish and their files are closed. */
  async end(): Promise<void> {
    if (!this.#started) this.#start();
    // Every report is closed even when one failed; the first failure is the answer.
    const endings = await Promise.allSettled(this.#endings.map((ending) => ending()));
    const failed = endings.find((ending) => ending.status === 'rejected');
    if (failed) throw failed.reason;
  }

  #feed(envelope: Envelope): void {
    for (const handler of this.#handlers) handler(envelope);
    this.#globalError(envelope);
  }

  #start(): void {
    this.#started = true;
    const support = standIn(this.#waiting);
    for (const { hook } of this.#waiting) if (hook?.type) this.#hooks.set(hook.id, hook.type);
    const plan = this.#plan;
    const on = (_event: 'message', handler: (envelope: Envelope) => void) => this.#handlers.push(handler);
    if (plan.html) this.#plugin(htmlPlugin, plan.html, {}, on);
    if (plan.junit) this.#plugin(junitPlugin, plan.junit.file, { suiteName: plan.junit.suiteName }, on);
    const classFormatters = plan.json !== undefined || plan.allure !== undefined;
    if (classFormatters) {
      const broadcaster = new EventEmitter();
      const eventDataCollector = new EventDataCollector(broadcaster);
      this.#handlers.push((envelope) => broadcaster.emit('envelope', ranOnMainThread(envelope)));
      const common = { eventBroadcaster: broadcaster, eventDataCollector, supportCodeLibrary: support, cwd: plan.cwd };
      if (plan.json) {
        const file = new ReportFile(plan.json);
        const json = new JsonFormatter({
          ...common,
          env: process.env,
          log: file.write,
          stream: undefined,
          cleanup: () => file.close(),
          parsedArgvOptions: {},
        });
        this.#endings.push(() => json.finished());
      }
      if (plan.allure) {
        this.#allure = new AllureCucumberReporter({
          ...common,
          env: process.env,
          log: () => {},
          cleanup: async () => {},
          parsedArgvOptions: allureFormatOptions(plan.allure.resultsDir, plan.allure.rigName),
        } as unknown as ConstructorParameters<typeof AllureCucumberReporter>[0]);
      }
    }
    for (const envelope of this.#waiting.splice(0)) this.#feed(envelope);
  }

  #plugin(
    plugin: FormatterPlugin,
    target: string,
    options: Record<string, unknown>,
    on: (event: 'message', handler: (envelope: Envelope) => void) => void,
  ): void {
    const file = new ReportFile(target);
    const finish = plugin.formatter({
      on,
      options,
      write: file.write,
      directory: path.dirname(target),
      logger: console,
    });
    this.#endings.push(async () => {
      if (finish) await finish();
      await file.close();
    });
  }

  /** A BeforeAll or AfterAll hook failed: Allure shows it as a global error of the run, as allure-cucumberjs would. */
  #globalError(envelope: Envelope): void {
    if (envelope.testRunHookStarted)
      this.#hookRuns.set(envelope.testRunHookStarted.id, envelope.testRunHookStarted.hookId);
    const finished = envelope.testRunHookFinished;
    if (!this.#allure || !finished || finished.result.status !== 'FAILED') return;
    const type = this.#hooks.get(this.#hookRuns.get(finished.testRunHookStartedId) ?? '');
    const error = new Error(finished.result.exception?.message ?? finished.result.message ?? 'the hook failed');
    error.stack = finished.result.exception?.stackTrace ?? finished.result.message ?? error.message;
    const reporter = this.#allure as unknown as { emitTestRunHookGlobalError(name: string, error: Error): void };
    reporter.emitTestRunHookGlobalError(type === 'AFTER_TEST_RUN' ? 'AfterAll hook' : 'BeforeAll hook', error);
  }
}

/** A scenario that ran in the run's own thread (no --parallel worker) says so, as Allure's thread label did when its
 * formatter ran there (`pid-<pid>-worker-main`); this thread's own id would name the report thread instead. */
function ranOnMainThread(envelope: Envelope): Envelope {
  const started = envelope.testCaseStarted;
  if (!started || started.workerId !== undefined) return envelope;
  return { ...envelope, testCaseStarted: { ...started, workerId: `pid-${process.pid}-worker-main` } };
}

/** The support code library as far as the formatters read it, from the stepDefinition and hook messages. */
function standIn(envelopes: readonly Envelope[]): SupportCodeStandIn {
  const support: SupportCodeStandIn = {
    stepDefinitions: [],
    beforeTestCaseHookDefinitions: [],
    afterTestCaseHookDefinitions: [],
    // allure-cucumberjs wraps these hooks' code to catch their errors; here the messages say when one failed.
    beforeTestRunHookDefinitions: [],
    afterTestRunHookDefinitions: [],
    // Not cucumber's own World: allure-cucumberjs swaps that one for its own, in the thread that runs the steps.
    World: class StandInWorld {},
  };
  for (const { stepDefinition, hook } of envelopes) {
    if (stepDefinition) {
      const { uri = '', location } = stepDefinition.sourceReference;
      support.stepDefinitions.push({ id: stepDefinition.id, uri, line: location?.line ?? 0 });
    }
    if (hook?.type === 'BEFORE_TEST_CASE') support.beforeTestCaseHookDefinitions.push(hookOf(hook));
    if (hook?.type === 'AFTER_TEST_CASE') support.afterTestCaseHookDefinitions.push(hookOf(hook));
  }
  return support;
}

function hookOf(hook: { id: string; name?: string }): { id: string; name?: string } {
  return hook.name === undefined ? { id: hook.id } : { id: hook.id, name: hook.name };
}

function serve(): void {
  const port = parentPort;
  if (!port) throw new Error('reporting/reportThread/reportWriters.ts runs in the report thread (reportThread.ts)');
  const reply = (message: ThreadReply) => port.postMessage(message);
  let writers: ReportWriters | undefined;
  port.on('message', (message: ThreadMessage) => {
    if (message === END) {
      const ending = writers?.end() ?? Promise.resolve();
      writers = undefined;
      ending.then(
        () => reply({ done: true }),
        (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
      );
    } else if ('begin' in message) {
      writers = new ReportWriters(message.begin);
      // An earlier run's results, set aside: deleted here, beside the run, not before it. One that cannot be deleted
      // (another user's, still in use) stays for the next run to try again; the reports are written regardless.
      for (const folder of message.begin.discard ?? []) {
        try {
          rmSync(folder, { recursive: true, force: true });
        } catch {}
      }
    } else {
      for (const envelope of message) writers?.take(envelope);
    }
  });
}

serve();
