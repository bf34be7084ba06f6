// The hardware a rig file names, checked on this machine when the rig is about to run (not when the file is read, so a
// lab rig file still loads on a PC without the terminal): today the real terminal's serial device.
//   checkRigDevices(loadRigFile('rigs/lab-07.yaml'));
//   // throws ConfigFileError "rigs/lab-07.yaml:11: terminal.link.path: device /dev/ttyUSB9 does not exist (…)"

import { statSync } from 'node:fs';
import path from 'node:path';
import { fileKind, isSimulatedLinkPath } from './rigChecks.ts';
import type { RigFile } from './rigFile.ts';
import { ConfigFileError, lineOfKey } from './yamlFile.ts';

/** Throws a ConfigFileError, one line per problem, when a device the rig needs is not on this machine. */
export function checkRigDevices(rig: RigFile): void {
  const problems: string[] = [];
  const link = rig.terminal.link.kind === 'serial' ? deviceProblem(rig.terminal.link.path) : undefined;
  if (link) problems.push(located(rig, ['terminal', 'link', 'path'], link));
  if (problems.length > 0) throw new ConfigFileError(rig.file, problems);
}

/** Why a link path cannot be a serial device here, or undefined when it can (simulated links have no device). */
function deviceProblem(linkPath: string): string | undefined {
  if (isSimulatedLinkPath(linkPath)) return undefined;
  // Windows names ports COM1…COM256 (\\.\COM10), which are not paths on disk.
  if (process.platform === 'win32' && /^(\\\\\.\\)?COM\d+$/i.test(linkPath)) return undefined;
  const kind = fileKind(linkPath);
  if (kind === 'device') return notATerminal(linkPath);
  if (kind === 'missing') {
    return `device ${linkPath} does not exist (is the terminal connected and powered? ls /dev/ttyUSB* /dev/ttyACM* lists serial adapters)`;
  }
  return `${linkPath} is a ${kind}, not a serial device`;
}

/** Character devices that are never terminals on Linux ("mem" devices, major number 1), by name. */
const MEMORY_DEVICES = new Set(['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/full']);

/**
 * Why a character device is not a serial port, where that can be told without opening it (Linux: a "mem" device such
 * as /dev/null, by name or by its major number 1); undefined when it may be one.
 */
function notATerminal(device: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  let major: number | undefined;
  try {
    major = (statSync(device).rdev >> 8) & 0xfff;
  } catch {
    major = undefined;
  }
  const named = MEMORY_DEVICES.has(path.resolve(device));
  if (!named && major !== 1) return undefined;
  const what = named ? 'a memory device' : 'a memory device (major number 1), like /dev/null';
  return `${device} is not a serial device: it is ${what}, not a terminal (serial adapters are /dev/ttyUSB*, /dev/ttyACM* or /dev/ttyS*)`;
}

function located(rig: RigFile, key: readonly string[], problem: string): string {
  const line = lineOfKey(rig.file, key);
  return `${rig.file}${line === undefined ? '' : `:${line}`}: ${key.join('.')}: ${problem}`;
}
