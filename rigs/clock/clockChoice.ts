// Which clock a rig runs on: the wall clock, or simulated time (`clock: virtual`), which only a rig whose every part
// runs simulated in the harness's own process can use — a real terminal, host or relay, or a simulator in another
// process (a PTY terminal behind socat, an MQTT broker), keeps the wall clock's time and cannot be hurried.
//   virtualClockProblem(parsedRig) → undefined | 'the terminal is reached at "pty:ttyPOS0": …'

import { at, has } from '../file/parsedYaml.ts';

export const CLOCKS = ['real', 'virtual'] as const;
export type ClockKind = (typeof CLOCKS)[number];

/** Why the rig (as parsed from its file) cannot run on simulated time; undefined when it can. */
export function virtualClockProblem(rig: unknown): string | undefined {
  const terminal = at(rig, 'terminal');
  if (!has(terminal, 'simulate')) return 'the terminal is a real one (no terminal.simulate): it keeps its own time';
  const link = at(terminal, 'link');
  const linkPath = at(link, 'path');
  if (at(link, 'kind') !== 'serial' || typeof linkPath !== 'string' || !linkPath.startsWith('mock:')) {
    const where = at(link, 'kind') === 'mqtt' ? 'over MQTT (a broker' : `at ${JSON.stringify(linkPath)} (socat`;
    return `the terminal is reached ${where} runs on the wall clock); simulated time needs a "mock:NAME" serial path`;
  }
  if (!has(at(rig, 'host'), 'simulate')) return 'the host is a real one (host.address): it keeps its own time';
  if (has(rig, 'power')) return 'the power relay is a real one (power): it switches on the wall clock';
  const probe = at(rig, 'bank', 'probe');
  if (probe !== undefined && probe !== 'simulator') return 'the bank probe reaches the bank from outside (bank.probe)';
  return undefined;
}

/** The one line that refuses simulated time for a rig. */
export function virtualClockRefusal(rigFile: string, problem: string): string {
  return `${rigFile}: clock: virtual needs every part of the rig simulated in posrig's process, and ${problem}`;
}

/** The clock a command runs a rig on: as asked (simulated time refused in one line where the rig cannot have it),
 * else simulated time where the rig allows it — the same verdicts without the waits (selfcheck, explore). */
export function fastestClock(rigFile: string, rig: unknown, asked: string | undefined): ClockKind {
  if (asked !== undefined && !(CLOCKS as readonly string[]).includes(asked))
    throw new Error(`--clock takes real or virtual (the wall clock, or simulated time), got "${asked}"`);
  const problem = virtualClockProblem(rig);
  if (asked === 'virtual' && problem) throw new Error(virtualClockRefusal(rigFile, problem));
  return (asked as ClockKind | undefined) ?? (problem ? 'real' : 'virtual');
}
