// The selfcheck's worker processes (cli/selfcheckWorker.ts): up to `jobs` of them, each started once and given one
// posrig command at a time, its output in the command's log. A worker that died is replaced by a fresh one for the
// next command (the command it was running gets its exit code, 1 if killed, and what it printed on its way out); one
// that the caller no longer trusts (a run left in a state the next must not see) is retired the same way.
//   const workers = new SelfcheckWorkers();
//   const worker = await workers.take();
//   const code = await worker.posrig(['run', '--rig', rigFile, '--reports', folder, '--', ...features], log);
//   workers.giveBack(worker, { fresh: code === 2 });   // fresh: the next command gets a new process
//   await workers.close();

import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkerCommand, WorkerReply } from './selfcheckWorker.ts';

const WORKER = fileURLToPath(new URL('./selfcheckWorker.ts', import.meta.url));

/** One worker process: runs posrig commands in itself, one after the other. */
export class SelfcheckWorker {
  readonly #child: ChildProcess;
  readonly #ready: Promise<void>;
  #next = 1;
  #running: { id: number; log: string; done: (exitCode: number) => void } | undefined;
  #exited: Promise<void>;
  #alive = true;

  constructor() {
    // Under tsx, as bin/posrig.js runs posrig; CI as the selfcheck's children always had (plain progress output).
    this.#child = fork(WORKER, [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // What the worker prints outside its redirected streams (a crash's stack trace) goes to the command's log.
    const spill = (chunk: Buffer) => {
      if (this.#running) appendFileSync(this.#running.log, chunk);
      else process.stderr.write(chunk);
    };
    this.#child.stdout?.on('data', spill);
    this.#child.stderr?.on('data', spill);
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#child.once('message', (reply: WorkerReply) =>
        reply.type === 'ready' ? resolve() : reject(new Error('the selfcheck worker did not start')),
      );
      this.#child.once('error', reject);
      this.#child.once('exit', () => reject(new Error('it ended before it was ready')));
    });
    this.#ready.catch(() => {});
    this.#child.on('error', (error) => {
      if (this.#running) appendFileSync(this.#running.log, `posrig selfcheck: worker process: ${error.message}\n`);
    });
    this.#child.on('message', (reply: WorkerReply) => {
      if (reply.type === 'done' && this.#running?.id === reply.id) this.#finish(reply.exitCode);
    });
    // Ended, and its output read to the end: every byte it wrote is in the log before the command it died in is
    // answered. (Not the child's 'close' event, which an IPC channel can keep from ever coming.)
    const outputRead = Promise.all(
      [this.#child.stdout, this.#child.stderr].map((stream) =>
        stream && !stream.closed ? once(stream, 'close').catch(() => {}) : undefined,
      ),
    );
    const ended = (once(this.#child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>).catch(
      () => [null, null] as const, // it never started ('error'): nothing to wait for
    );
    this.#exited = new Promise<void>((resolve) => {
      void Promise.all([ended, outputRead]).then(([[code, signal]]) => {
        this.#alive = false;
        if (this.#running) {
          const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
          appendFileSync(this.#running.log, `posrig selfcheck: the worker process running this ${how}\n`);
          this.#finish(code ?? 1);
        }
        resolve();
      });
    });
  }

  /** Whether it can take another command. */
  get alive(): boolean {
    return this.#alive;
  }

  /** Runs `posrig …args` in the worker with its output in `log` (emptied first); resolves with its exit code. */
  async posrig(args: readonly string[], log: string): Promise<number> {
    writeFileSync(log, '');
    const notStarted = await this.#ready.then(
      () => undefined,
      (error: Error) => error,
    );
    if (this.#running) throw new Error('a selfcheck worker runs one command at a time');
    if (notStarted || !this.#alive) {
      const why = notStarted ? ` (${notStarted.message})` : '';
      appendFileSync(log, `posrig selfcheck: the worker process has ended${why}\n`);
      return 1;
    }
    const id = this.#next++;
    return new Promise<number>((resolve) => {
      this.#running = { id, log, done: resolve };
      this.#child.send({ id, args, log } satisfies WorkerCommand, (error) => {
        if (!error) return;
        appendFileSync(log, `posrig selfcheck: cannot reach the worker process: ${error.message}\n`);
        this.#finish(1);
      });
    });
  }

  /** Lets it finish what it holds open (Chromium) and end; resolves once it has. */
  async stop(): Promise<void> {
    if (this.#alive && this.#child.connected) this.#child.disconnect();
    await this.#exited;
  }

  #finish(exitCode: number): void {
    const running = this.#running;
    this.#running = undefined;
    running?.done(exitCode);
  }
}

/** Worker processes to take and give back; a new one is started when none is idle. */
export class SelfcheckWorkers {
  readonly #idle: SelfcheckWorker[] = [];
  readonly #stopping: Promise<void>[] = [];
  #all = 0;

  /** How many worker processes were started in all (the ones replaced included). */
  get started(): number {
    return this.#all;
  }

  /** An idle worker, or a new one. */
  take(): SelfcheckWorker {
    const idle = this.#idle.pop();
    if (idle) return idle;
    this.#all += 1;
    return new SelfcheckWorker();
  }

  /** Back to the idle ones; with `fresh`, or when it died, it is stopped and the next command gets a new process. */
  giveBack(worker: SelfcheckWorker, options: { fresh: boolean }): void {
    if (worker.alive && !options.fresh) this.#idle.push(worker);
    else this.#stopping.push(worker.stop());
  }

  /** Stops every worker; resolves once all have ended. */
  async close(): Promise<void> {
    const idle = this.#idle.splice(0);
    await Promise.all([...this.#stopping, ...idle.map((w) => w.stop())]);
  }
}
