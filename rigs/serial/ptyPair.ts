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

/** Starts socat and resolves once it reports "starting data transfer"; fails clearly if socat is missing or silent. */
export async function startPtyPair(folder: string, name: string): Promise<PtyPair> {
  mkdirSync(folder, { recursive: true });
  const hostPath = path.join(folder, `${name}.host`);
  const devicePath = path.join(folder, `${name}.device`);
  const socat = await startChild({
    what: 'the socat PTY pair',
    command: 'socat',
    args: ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`],
    readyText: 'starting data transfer',
    timeoutMs: 5000,
    missingHint: 'apt-get install socat',
  });
  return { hostPath, devicePath, stop: socat.stop, onUnexpectedExit: socat.onUnexpectedExit };
}
