// A relay switched by a person at the bench (`power.kind: manual`): posrig asks, the operator switches the terminal's
// power and presses Enter.
//   const power = openManualPower();               // the operator's terminal (/dev/tty); a RigFault in CI
//   await power.off();  // "switch the terminal's power OFF now, then press Enter" … waits for Enter
//   await power.on();   power.close();
//   new ManualPower({ input, output })             // any streams (tests: PassThrough)

import { closeSync, openSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ReadStream, WriteStream } from 'node:tty';
import { RigFault } from '../verdict/culprit.ts';
import type { PowerSwitch } from './powerSwitch.ts';

/** The line a rig without an operator fails with at start. */
export const NO_OPERATOR = 'power.kind manual needs an operator at a terminal';

export interface OperatorStreams {
  /** Where the operator's Enter arrives, one line at a time. */
  readonly input: Readable;
  /** Where the requests to switch are written. */
  readonly output: Writable;
  /** Named in the request, e.g. "LAB00007", so that the operator switches the right terminal. */
  readonly terminal?: string;
}

/** Handles that may keep the process alive while nobody is asked (a TTY stream); ref'd only while waiting. */
interface Refable {
  ref?(): unknown;
  unref?(): unknown;
}

export class ManualPower implements PowerSwitch {
  private readonly lines: Interface;
  private waiting: ((line: string | undefined) => void) | undefined;
  private closed = false;

  constructor(
    private readonly streams: OperatorStreams,
    private readonly ownsStreams = false,
  ) {
    this.lines = createInterface({ input: streams.input, crlfDelay: Number.POSITIVE_INFINITY });
    // A line typed while nobody is asked is not an answer to the next request.
    this.lines.on('line', (line) => this.answer(line));
    this.lines.on('close', () => {
      this.closed = true;
      this.answer(undefined);
    });
    (streams.input as Refable).unref?.();
  }

  /** Asks the operator to cut the power; resolves on Enter. */
  off(): Promise<void> {
    return this.ask('OFF');
  }

  /** Asks the operator to restore the power; resolves on Enter (bootWatch.ts then waits for the terminal's `info`). */
  on(): Promise<void> {
    return this.ask('ON');
  }

  /** Stops listening; the streams are closed when they were opened here (the operator's terminal). */
  close(): void {
    this.lines.close();
    if (this.ownsStreams) {
      this.streams.input.destroy();
      this.streams.output.end();
    }
  }

  private async ask(state: 'ON' | 'OFF'): Promise<void> {
    if (this.closed) throw new RigFault(`power.kind manual: the operator's input is closed; cannot switch ${state}`);
    if (this.waiting) throw new RigFault(`power.kind manual: asked to switch ${state} while the last request is open`);
    const whose = this.streams.terminal ? `terminal ${this.streams.terminal}'s` : "terminal's";
    const line = new Promise<string | undefined>((resolve) => {
      this.waiting = resolve;
    });
    (this.streams.input as Refable).ref?.();
    this.streams.output.write(`\nposrig: switch the ${whose} power ${state} now, then press Enter\n`);
    try {
      const answered = await line;
      if (answered === undefined) {
        throw new RigFault(`power.kind manual: the operator's input closed before Enter; the power is not ${state}`);
      }
    } finally {
      (this.streams.input as Refable).unref?.();
    }
  }

  private answer(line: string | undefined): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(line);
  }
}

/**
 * Opens the operator's terminal (/dev/tty) for manual power. A RigFault with one line when there is nobody to ask:
 * CI=true, or no controlling terminal (posrig started by a service or with its input redirected from nowhere).
 */
export function openManualPower(
  terminal?: string,
  env: NodeJS.ProcessEnv = process.env,
  device = '/dev/tty',
): ManualPower {
  if (env.CI === 'true' || env.CI === '1') throw new RigFault(`${NO_OPERATOR} (CI=${env.CI}: nobody to press Enter)`);
  // Two descriptors, one per stream: each stream closes its own.
  const fds: number[] = [];
  try {
    fds.push(openSync(device, 'r'), openSync(device, 'w'));
  } catch (error) {
    for (const fd of fds) closeSync(fd);
    throw new RigFault(`${NO_OPERATOR} (cannot open ${device}: ${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  const [readFd = -1, writeFd = -1] = fds;
  let input: ReadStream;
  try {
    input = new ReadStream(readFd);
  } catch (error) {
    for (const fd of fds) closeSync(fd);
    throw new RigFault(`${NO_OPERATOR} (${device} is not a terminal: ${(error as Error).message})`);
  }
  const output = new WriteStream(writeFd);
  return new ManualPower({ input, output, ...(terminal ? { terminal } : {}) }, true);
}
