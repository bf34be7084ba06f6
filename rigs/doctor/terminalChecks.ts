// Doctor checks 3 and 4: the terminal answers `hello` with `info` within 2 s (docs/protocol.md section 10), states
// protocol "1", and its TID is the rig's terminal.id.
//   const { checks, info } = await checkTerminal(rig);

import type { RigFile } from '../file/rigFile.ts';
import { lineOfKey } from '../file/yamlFile.ts';
import type { Rig } from '../rig.ts';
import type { TerminalInfo } from '../terminal/terminalDriver.ts';
import { type Check, failed, passed, reasonOf } from './check.ts';

/** docs/protocol.md: a terminal answers `hello` with `info` within 2 s. */
export const INFO_WITHIN_MS = 2000;
/** The ECR test link version this posrig speaks. */
export const PROTOCOL_VERSION = '1';

/** What to check when the terminal is silent or garbled. */
export const SILENT_TERMINAL_FIX =
  "run the terminal's test build that speaks the ECR test link (docs/protocol.md) on this port, and check the cable and terminal.link.baudRate";

export interface TerminalChecks {
  readonly checks: Check[];
  readonly info?: TerminalInfo;
}

/** Says hello once more on the started rig and times the `info`; then the protocol version and the TID. */
export async function checkTerminal(rig: Rig): Promise<TerminalChecks> {
  const started = performance.now();
  let info: TerminalInfo;
  try {
    info = await rig.terminal.connect();
  } catch (error) {
    return { checks: [failed('terminal', `no info answered hello: ${reasonOf(error)}`, SILENT_TERMINAL_FIX)] };
  }
  const ms = Math.round(performance.now() - started);
  const who = `${info.model} ${info.serial}, firmware ${info.firmware}, protocol ${info.protocol}`;
  const late = ms > INFO_WITHIN_MS;
  const wrongVersion = info.protocol !== PROTOCOL_VERSION;
  const answered = `hello answered by info in ${ms} ms (${who})`;
  let check: Check;
  if (!late && !wrongVersion) check = passed('terminal', answered);
  else if (wrongVersion)
    check = failed(
      'terminal',
      `${answered}: it speaks protocol ${JSON.stringify(info.protocol)}, posrig speaks ${JSON.stringify(PROTOCOL_VERSION)}`,
      `install a test build that speaks ECR test link version ${PROTOCOL_VERSION} (docs/protocol.md)`,
    );
  else
    check = failed(
      'terminal',
      `${answered}: later than the ${INFO_WITHIN_MS / 1000} s docs/protocol.md allows`,
      'answer hello at once, before any other work the firmware does (docs/protocol.md section 10)',
    );
  return { checks: [check, tidCheck(rig.file, info)], info };
}

/** The TID the terminal states against the rig's terminal.id (the terminal sends it in DE41). */
export function tidCheck(rig: RigFile, info: TerminalInfo): Check {
  const expected = rig.terminal.id;
  const link = rig.terminal.link;
  const named = link.kind === 'mqtt' && link.terminals ? 'the leased terminal of the pool' : 'terminal.id';
  if (info.tid === expected) return passed('terminal ID', `${info.tid}, as ${named} says`);
  const line = lineOfKey(rig.file, ['terminal', 'id']);
  const where = `${rig.file}${line === undefined ? '' : `:${line}`}`;
  return failed(
    'terminal ID',
    `the terminal says ${JSON.stringify(info.tid)}, the rig file says ${JSON.stringify(expected)}`,
    `set terminal.id: ${info.tid} in ${where}, or configure the terminal's TID as ${expected}`,
  );
}
