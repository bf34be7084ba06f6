// A real pseudo-terminal pair made by socat: two device paths joined like a null-modem cable.
//   const pair = await startPtyPair('/tmp/posrig-1', 'ttyPOS0');  // pair.hostPath ↔ pair.devicePath
//   ...; await pair.stop();

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startChild } from '../process/childProcess.ts';

export interface PtyPair {
  readonly hostPath: string;
  readonly devicePath: string;
  stop(): Promise<unknown>;
  /** Calls back if socat exits on its own (killed from outside): the link is gone. */
  onUnexpectedExit(listener: (why: string) => void): void;
}

/** A PTY link name ("pty:NAME"): a plain file name, so that the links stay in the rig's scratch folder. */
const PTY_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

/**
 * Why `name` cannot name a PTY pair, or undefined when it can. Only letters, digits, ".", "_" and "-": no "/" or
 * ".." (the links would leave the scratch folder), and none of socat's own separators (",", ":", "!"), which would
 * add options or addresses to the socat command.
 */
export function ptyNameProblem(name: string): string | undefined {
  if (PTY_NAME.test(name)) return undefined;
  return 'a PTY link name is a plain file name: 1 to 64 letters, digits, ".", "_" or "-", not starting with "."';
}

/** A path socat takes as it is inside an address: no ",", ":", "!", quote, bracket, backslash or space. */
const PLAIN_PATH = /^[A-Za-z0-9._/+@%~=-]+$/;

/** Starts socat and resolves once it reports "starting data transfer"; fails clearly if socat is missing or silent. */
export async function startPtyPair(folder: string, name: string): Promise<PtyPair> {
  const problem = ptyNameProblem(name);
  if (problem) throw new Error(`${problem}, got ${JSON.stringify(name)}`);
  mkdirSync(folder, { recursive: true });
  const hostPath = path.resolve(folder, `${name}.host`);
  const devicePath = path.resolve(folder, `${name}.device`);
  // socat gets the absolute link paths (so that `ps` shows which rig a socat belongs to) when they hold nothing its
  // address syntax would read (",", ":", "!", quotes, brackets); else it runs in the folder and gets the bare names.
  const plain = PLAIN_PATH.test(hostPath);
  const link = (file: string) => `pty,raw,echo=0,link=${plain ? file : path.basename(file)}`;
  const socat = await startChild({
    what: 'the socat PTY pair',
    command: 'socat',
    args: ['-d', '-d', link(hostPath), link(devicePath)],
    cwd: path.resolve(folder),
    readyText: 'starting data transfer',
    timeoutMs: 5000,
    missingHint: 'apt-get install socat',
  });
  return { hostPath, devicePath, stop: socat.stop, onUnexpectedExit: socat.onUnexpectedExit };
}
