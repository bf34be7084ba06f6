// A relay switched by shell commands (`power.kind: command`): a USB relay board's tool, `uhubctl`, a PDU's command
// line. Modelled on labgrid's ExternalPowerDriver (cmd_on, cmd_off), with an optional status command.
//   const relay = new CommandPower({ on: './relay.sh 1 on', off: './relay.sh 1 off', status: './relay.sh 1 status',
//     cwd: 'rigs', rig: 'lab-07', terminal: 'LAB00007' });
//   await relay.off(); await relay.on(); await relay.status(); // 'on' | 'off' | undefined (no status command)
// Each command runs as `sh -c COMMAND` in the rig file's folder, with POSRIG_RIG=<rig name> and
// POSRIG_TERMINAL=<TID> in its environment, and must end within timeoutMs (default 10 s). A non-zero exit or a
// timeout is a RigFault naming the command, its exit code and the last line it wrote to stderr.
// The status command answers by its exit code: 0 = the terminal is powered, 1 = it is not; anything else is a RigFault.

import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { RigFault } from '../verdict/culprit.ts';
import type { PowerSwitch } from './powerSwitch.ts';

/** How long a command may take when the rig file gives no power.timeoutMs. */
export const DEFAULT_POWER_COMMAND_TIMEOUT_MS = 10_000;
/** How long an ended command's output is still read (a process it left running may hold stdout open). */
const OUTPUT_GRACE_MS = 200;

export interface CommandPowerSettings {
  /** Shell command that switches the terminal's power on. */
  readonly on: string;
  /** Shell command that cuts it. */
  readonly off: string;
  /** Shell command that tells: exit 0 = powered, 1 = not powered. */
  readonly status?: string | undefined;
  readonly timeoutMs?: number | undefined;
  /** Working directory of the commands: the rig file's folder. */
  readonly cwd: string;
  /** The rig's name, given to the commands as POSRIG_RIG. */
  readonly rig: string;
  /** The terminal's TID, given to the commands as POSRIG_TERMINAL. */
  readonly terminal: string;
}

/** What the relay says when asked (the status command); undefined when the rig has no status command. */
export type PowerState = 'on' | 'off';

/** How one command ended. */
export interface CommandRun {
  /** Exit code; null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class CommandPower implements PowerSwitch {
  constructor(private readonly settings: CommandPowerSettings) {}

  /** Runs the on command; a RigFault when it fails or takes too long. */
  async on(): Promise<void> {
    await this.runChecked('on', this.settings.on);
  }

  /** Runs the off command; a RigFault when it fails or takes too long. */
  async off(): Promise<void> {
    await this.runChecked('off', this.settings.off);
  }

  /** Whether the rig file gives a status command. */
  get hasStatus(): boolean {
    return this.settings.status !== undefined;
  }

  /** Asks the status command: exit 0 'on', exit 1 'off'; undefined without a status command; else a RigFault. */
  async status(): Promise<PowerState | undefined> {
    const command = this.settings.status;
    if (command === undefined) return undefined;
    const run = await this.run('status', command);
    if (run.code === 0) return 'on';
    if (run.code === 1) return 'off';
    throw this.failure('status', command, run, ' (a status command exits 0 when powered, 1 when not)');
  }

  /** Runs one of the commands; resolves with how it ended (any exit code), a RigFault when it cannot run or times out. */
  run(which: 'on' | 'off' | 'status', command: string): Promise<CommandRun> {
    const { cwd, rig, terminal } = this.settings;
    const timeoutMs = this.settings.timeoutMs ?? DEFAULT_POWER_COMMAND_TIMEOUT_MS;
    return runShell(command, { cwd, timeoutMs, env: { POSRIG_RIG: rig, POSRIG_TERMINAL: terminal } }).catch(
      (error: Error) => {
        throw new RigFault(`power.${which} command ${JSON.stringify(command)} (in ${cwd}): ${error.message}`);
      },
    );
  }

  private async runChecked(which: 'on' | 'off', command: string): Promise<void> {
    const run = await this.run(which, command);
    if (run.code !== 0) throw this.failure(which, command, run);
  }

  private failure(which: string, command: string, run: CommandRun, hint = ''): RigFault {
    const how = run.signal ? `was ended by ${run.signal}` : `exited with code ${run.code}`;
    const last = lastLine(run.stderr);
    return new RigFault(
      `power.${which} command ${JSON.stringify(command)} (in ${this.settings.cwd}) ${how}${hint}${last ? `: ${last}` : ''}`,
    );
  }
}

/** The environment a rig's commands run in: posrig's, without what `posrig run` adds for itself (its TypeScript
 * loader in NODE_OPTIONS), so that a relay script starting a program of the bench gets the user's own settings. */
export function commandEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { POSRIG_USER_NODE_OPTIONS: own, ...rest } = env;
  if (own === undefined) return rest;
  const { NODE_OPTIONS: _posrigs, ...without } = rest;
  return own === '' ? without : { ...without, NODE_OPTIONS: own };
}

interface ShellOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Runs `sh -c command` in its own process group and resolves once it has exited; output is captured. Rejects when
 * sh cannot be started, or after timeoutMs, once the whole group is killed (SIGKILL).
 */
export function runShell(command: string, options: ShellOptions): Promise<CommandRun> {
  const child = spawn('sh', ['-c', command], {
    cwd: options.cwd,
    env: { ...commandEnvironment(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: a timeout kills what it started too
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run sh: ${error.message}`));
    });
    // 'exit', not 'close': a process the command left running (a terminal started in the background) may keep
    // stdout open for ever; what was written before the exit is read within a short grace.
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      void Promise.all([ended(child.stdout), ended(child.stderr)]).then(() => {
        if (timedOut) {
          const last = lastLine(stderr);
          reject(new Error(`did not finish within ${options.timeoutMs} ms (killed)${last ? `: ${last}` : ''}`));
          return;
        }
        resolve({ code, signal, stdout, stderr });
      });
    });
  });
}

/** Kills a process group (the shell and what it started); never throws. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Resolves once the stream has ended, or after the grace; a stream still held open is no longer read. */
function ended(stream: Readable): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stream.off('end', done);
      stream.off('close', done);
      stream.destroy();
      resolve();
    };
    const timer = setTimeout(done, OUTPUT_GRACE_MS);
    stream.once('end', done);
    stream.once('close', done);
  });
}

/** The last non-empty line of a command's output. */
function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
