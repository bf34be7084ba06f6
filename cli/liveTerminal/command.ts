// `posrig sim --ui`: starts a simulated rig and the live virtual terminal page on it, until SIGINT or SIGTERM.
//   npx posrig sim --ui                                  # rigs/sim-serial.yaml on http://127.0.0.1:8080/
//   npx posrig sim --ui --rig rigs/sim-words.yaml --port 0 --open-on 127.0.0.1
// Prints one line 'posrig sim --ui: http://127.0.0.1:8080/ (rig sim-serial)' on stdout once the page is served.

import { startRig } from '../../rigs/rig.ts';
import { OptionError, stopOnSignal } from '../commandLine.ts';
import { startLiveTerminal } from './server.ts';

/** The options of `sim --ui` as commander hands them over (all strings). */
export interface LiveTerminalFlags {
  readonly rig: string;
  readonly port: string;
  readonly openOn: string;
}

/** The port to serve on: 0 (any free port) to 65535. */
export function pagePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new OptionError('--port', `expected a port 0..65535 (0: any free port), got "${text}"`);
  return Number(text);
}

/** Runs the rig and the page until a signal stops both. */
export async function runLiveTerminal(flags: LiveTerminalFlags): Promise<void> {
  const port = pagePort(flags.port);
  if (flags.openOn.trim() === '') throw new OptionError('--open-on', 'expected an address such as 127.0.0.1');
  const rig = await startRig(flags.rig);
  let live: Awaited<ReturnType<typeof startLiveTerminal>>;
  try {
    live = await startLiveTerminal({ rig, port, host: flags.openOn });
  } catch (error) {
    await rig.stop();
    throw error;
  }
  // The handlers first: whoever reads the ready line may signal at once.
  const stopped = stopOnSignal('posrig sim --ui', async () => {
    await live.close();
    await rig.stop();
  });
  if (!isLoopback(flags.openOn))
    process.stderr.write(`posrig sim --ui: listening on ${flags.openOn}: anyone who can reach it can drive the rig\n`);
  process.stdout.write(`posrig sim --ui: ${live.url} (rig ${rig.name})\n`);
  await stopped;
}

function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || address.startsWith('127.');
}
