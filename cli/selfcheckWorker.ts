// A selfcheck worker: one long-lived process that runs `posrig run` and `posrig explore` commands in turn, in itself,
// each with its stdout and stderr in its own log file, as a `posrig` child process of its own would. The steps load
// once, on the first run (cli/run.ts RunSession); a run then costs its steps, not tsx, module compiling and preflight.
// Started by cli/selfcheckWorkers.ts over an IPC channel; not a command of its own.
//   parent → worker: { id: 1, args: ['run', '--rig', 'r/x/rig.yaml', '--reports', 'r/x', '--', 'features/a.feature'], log: 'r/x/run.log' }
//   worker → parent: { type: 'ready' } once, then { id: 1, exitCode: 1 } per command, in order

import { closeSync, openSync, writeSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { RunSession, registerRun } from './run.ts';

/** A command for the worker: posrig's arguments (after `posrig`) and the log its output goes to. */
export interface WorkerCommand {
  readonly id: number;
  readonly args: readonly string[];
  readonly log: string;
}

/** What the worker says: ready for commands, or the exit code of one. */
export type WorkerReply = { readonly type: 'ready' } | { readonly type: 'done'; readonly id: number; exitCode: number };

/** The log the process's output goes to now: the current command's, kept after it until the next one starts (late
 * lines land where they belong); undefined before the first. */
let sink: number | undefined;

/** process.stdout and process.stderr write into the current log, synchronously and in order, as a child's file would. */
function redirect(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, done?: unknown): boolean => {
    if (sink === undefined) return write(chunk, encoding, done);
    const callback = [encoding, done].find((a): a is (error?: Error | null) => void => typeof a === 'function');
    const text =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : chunk;
    writeSync(sink, text);
    if (callback) process.nextTick(callback);
    return true;
  }) as typeof stream.write;
}

/** Runs one posrig command in this process, as bin/posrig.js would run it; its exit code. */
async function posrig(args: readonly string[], session: RunSession): Promise<number> {
  const program = new Command('posrig').enablePositionalOptions().exitOverride();
  // explore.ts only when asked: nothing of the steps' modules loads before the first run's loadSupport registers them.
  if (args[0] === 'explore') (await import('./explore.ts')).registerExplore(program);
  else registerRun(program, session);
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'posrig', ...args]);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    console.error(`posrig: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    process.exitCode = undefined;
  }
}

async function serve(): Promise<void> {
  if (!process.send) throw new Error('cli/selfcheckWorker.ts runs as a child of posrig selfcheck (an IPC channel)');
  // A reply the parent can no longer take (it closed the channel) is dropped: 'disconnect' ends the worker.
  const send = (reply: WorkerReply) => process.send?.(reply, undefined, {}, () => {});
  redirect(process.stdout);
  redirect(process.stderr);
  const session = new RunSession();
  // One command at a time, in the order they come (the parent sends the next only after the reply anyway).
  let turn = Promise.resolve();
  process.on('message', (command: WorkerCommand) => {
    turn = turn.then(async () => {
      if (sink !== undefined) closeSync(sink);
      sink = openSync(command.log, 'a');
      const exitCode = await posrig(command.args, session);
      send({ type: 'done', id: command.id, exitCode });
    });
  });
  // The parent closes the channel when no run is left: Chromium closes, then the worker ends.
  process.on('disconnect', () => {
    void turn
      .then(() => session.close())
      .finally(() => {
        if (sink !== undefined) closeSync(sink);
        sink = undefined;
        process.exit(process.exitCode ?? 0);
      });
  });
  send({ type: 'ready' });
}

await serve();
