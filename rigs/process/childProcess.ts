// Child processes a rig starts (socat, a simulated terminal): start one and wait until it says it is ready on
// stderr; stop one and wait until it has gone.
//   const child = await startChild({ what: 'socat', command: 'socat', args, readyText: 'starting data transfer' });
//   child.log();  await child.stop();

import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** How long a failed start waits for the rest of stderr after the exit (a grandchild may hold stderr open). */
const STDERR_GRACE_MS = 1000;
/** How much of stderr a start failure quotes: its last lines, where a program says why it gave up. */
const TAIL_LINES = 20;
const TAIL_CHARS = 4000;

/** A child process that did not start; the message includes what it wrote to stderr. */
export class ChildStartError extends Error {
  override name = 'ChildStartError';
}

export interface ChildSpec {
  /** What it is, for error messages ("socat", "the simulated terminal"). */
  readonly what: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Text on stderr that means "ready". */
  readonly readyText: string;
  readonly timeoutMs?: number;
  readonly cwd?: string;
  /** The hint when the command is not installed. */
  readonly missingHint?: string;
  /** Its environment (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface StartedChild {
  /** Everything it wrote to stderr so far. */
  log(): string;
  /** Ends it; resolves with its exit code (null when a signal ended it). */
  stop(): Promise<number | null>;
  /** Kills it at once (SIGKILL: no chance to clean up, like a power cut) and resolves when it is gone. */
  kill(): Promise<void>;
  /** Calls back once if it exits on its own (not through stop() or kill()): e.g. killed from outside, or crashed. */
  onUnexpectedExit(listener: (why: string) => void): void;
}

/** Spawns the command and resolves once readyText appears on its stderr; rejects if it exits, fails or stays silent. */
export async function startChild(spec: ChildSpec): Promise<StartedChild> {
  const timeoutMs = spec.timeoutMs ?? 15_000;
  const child = spawn(spec.command, [...spec.args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    cwd: spec.cwd,
    ...(spec.env ? { env: spec.env } : {}),
  });
  // Errors after the start (a failed kill) must not crash the harness; the start's own errors are handled below.
  child.on('error', () => {});
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      settle();
      child.kill('SIGKILL');
      // 'exit' can come before the last of stderr is read (socat's "E ..." line): build the message once it ended.
      void streamEnded(child.stderr, STDERR_GRACE_MS).then(() => {
        const tail = stderrTail(log);
        reject(new ChildStartError(`${spec.what} did not start: ${why}${tail ? `\n${tail}` : ''}`));
      });
    };
    const onError = (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'ENOENT'
          ? `${spec.command} is not installed${spec.missingHint ? ` (${spec.missingHint})` : ''}`
          : error.message,
      );
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`it exited (${signal ?? `code ${code}`})`);
    const onData = () => {
      if (!log.includes(spec.readyText)) return;
      settle();
      resolve();
    };
    const timer = setTimeout(() => fail(`no "${spec.readyText}" within ${timeoutMs} ms`), timeoutMs);
    const settle = () => {
      clearTimeout(timer);
      child.off('error', onError);
      child.off('exit', onExit);
      child.stderr?.off('data', onData);
    };
    child.once('error', onError);
    child.once('exit', onExit);
    child.stderr?.on('data', onData);
  });
  let expected = false;
  const exitListeners: Array<(why: string) => void> = [];
  child.once('exit', (code, signal) => {
    if (expected) return;
    const why = `${spec.what} exited (${signal ? `signal ${signal}` : `code ${code}`})`;
    for (const listener of exitListeners) listener(why);
  });
  return {
    log: () => log,
    stop: () => {
      expected = true;
      return stopChild(child);
    },
    kill: async () => {
      expected = true;
      await stopChild(child, 'SIGKILL');
    },
    onUnexpectedExit: (listener) => {
      exitListeners.push(listener);
    },
  };
}

/** The last lines of a child's stderr (at most TAIL_LINES lines, TAIL_CHARS characters), "…" first when cut. */
export function stderrTail(log: string): string {
  const all = log.trimEnd();
  let tail = all.split('\n').slice(-TAIL_LINES).join('\n');
  if (tail.length > TAIL_CHARS) tail = tail.slice(-TAIL_CHARS);
  return tail.length < all.length ? `…\n${tail}` : tail;
}

/** Resolves once the stream has ended or closed, or after `graceMs` at the latest. */
function streamEnded(stream: Readable | null, graceMs: number): Promise<void> {
  if (!stream || stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stream.off('end', done);
      stream.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, graceMs);
    stream.once('end', done);
    stream.once('close', done);
  });
}

/** Ends a child process (SIGTERM, then SIGKILL after 2 s); resolves with its exit code once it has exited. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
