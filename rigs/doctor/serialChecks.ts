// Doctor checks 2: a real terminal's serial device — it exists, this user may open it, no other program holds it —
// by opening and closing it before the rig does. (A simulated link has no device: the rig's start checks it.)
//   await checkSerialDevice('/dev/ttyUSB0', 115200)  → ✔ "serial port /dev/ttyUSB0  opens at 115200 baud"

import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { fileKind } from '../file/rigChecks.ts';
import { closeSerialPort, openSerialPort } from '../serial/serialPort.ts';
import { type Check, failed, passed, reasonOf } from './check.ts';

/** The group that owns serial devices on Debian, Ubuntu and Fedora (Arch: uucp); the device's own group wins. */
const SERIAL_GROUP = 'dialout';

/** Opens and closes the device: ✔, or ✘ naming why (missing, permission, busy) and the fix. */
export async function checkSerialDevice(device: string, baudRate: number): Promise<Check> {
  const part = `serial port ${device}`;
  const kind = fileKind(device);
  if (kind === 'missing')
    return failed(
      part,
      'does not exist',
      'connect and power the terminal, find its port with ls /dev/ttyUSB* /dev/ttyACM* /dev/serial/by-id/, and set terminal.link.path to it',
    );
  if (kind !== 'device')
    return failed(part, `is a ${kind}, not a serial device`, "set terminal.link.path to the terminal's serial device");
  if (!mayOpen(device)) return failed(part, 'permission denied', permissionFix(device));
  try {
    const port = await openSerialPort({ path: device, baudRate });
    await closeSerialPort(port);
    return passed(part, `opens at ${baudRate} baud`);
  } catch (error) {
    const reason = reasonOf(error);
    if (/permission denied|EACCES/i.test(reason)) return failed(part, 'permission denied', permissionFix(device));
    if (/busy|EBUSY|cannot lock|temporarily unavailable/i.test(reason)) return busy(part, device);
    return failed(part, reason, 'check the cable and terminal.link.baudRate');
  }
}

/** ✘ for a device another program holds open (and locked): who holds it, where `fuser` can tell. */
export async function busy(part: string, device: string): Promise<Check> {
  const holders = await holdersOf(device);
  const who = holders.length > 0 ? holders.join(', ') : `another program (fuser -v ${device} names it)`;
  return failed(part, `busy: held by ${who}`, BUSY_FIX);
}

const BUSY_FIX =
  'close the program that holds it (a serial monitor such as minicom or screen, ModemManager, another posrig)';

/** The fix for a device this user may not open: join the group that owns it. */
export function permissionFix(device: string): string {
  const group = groupOf(device) ?? SERIAL_GROUP;
  return `add your user to the ${group} group: sudo usermod -aG ${group} $USER, then log in again`;
}

function mayOpen(device: string): boolean {
  try {
    accessSync(device, constants.R_OK | constants.W_OK);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EACCES';
  }
}

/** The name of the group that owns the device (from /etc/group), when it can be told; never "root". */
function groupOf(device: string): string | undefined {
  try {
    const gid = statSync(device).gid;
    const line = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((entry) => entry.split(':')[2] === String(gid));
    const name = line?.split(':')[0];
    return name && name !== 'root' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** "1234 (minicom)" for each process `fuser` says has the device open; empty when fuser is missing or cannot tell. */
export async function holdersOf(device: string): Promise<string[]> {
  const pids = await new Promise<string[]>((resolve) => {
    // fuser prints the PIDs on stdout (the name and access letters on stderr); it exits 1 when nobody holds the file.
    execFile('fuser', [device], { timeout: 3000 }, (_error, stdout) => resolve(String(stdout).match(/\d+/g) ?? []));
  });
  return pids.map((pid) => {
    try {
      return `${pid} (${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()})`;
    } catch {
      return pid;
    }
  });
}
