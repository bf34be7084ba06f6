// Rig file checks the schema cannot make: one key against another, what this version cannot run, and the files a
// rig names. They see the file as parsed, before validation, so they trust no type and skip what the schema reports.
//   rigContentProblems(parsed, folder) → [{ path: ['host', 'faults'], message: 'true listens on a free port, …' }]

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseMoney } from '../../protocols/domain/money.ts';
import { virtualClockProblem } from '../clock/clockChoice.ts';
import { ptyNameProblem } from '../serial/ptyPair.ts';
import { mqttLinkProblems } from './mqttRigChecks.ts';
import { at, has, isObject } from './parsedYaml.ts';
import type { KeyProblem } from './yamlFile.ts';

/** `clock: virtual` only where every part of the rig is simulated in posrig's process (clockChoice.ts). */
function clockProblems(content: unknown): KeyProblem[] {
  if (at(content, 'clock') !== 'virtual') return [];
  const problem = virtualClockProblem(content);
  return problem
    ? [
        {
          path: ['clock'],
          message: `virtual needs every part of the rig simulated in posrig's process, and ${problem}`,
        },
      ]
    : [];
}

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = 'SQLite format 3\0';

/** True for the link paths of a simulated terminal: "mock:NAME" (in-process mock port), "pty:NAME" (socat PTY pair). */
export function isSimulatedLinkPath(linkPath: string): boolean {
  return linkPath.startsWith('mock:') || linkPath.startsWith('pty:');
}

/** Every problem of a parsed rig file that is about more than one key's own value; relative paths are resolved
 * against `folder`, the rig file's folder. */
export function rigContentProblems(content: unknown, folder = process.cwd()): KeyProblem[] {
  return [
    ...terminalLinkProblems(content),
    ...mqttLinkProblems(content),
    ...hostProblems(content),
    ...reachProblems(content),
    ...bankProblems(content),
    ...powerProblems(content),
    ...timingProblems(content),
    ...clockProblems(content),
    ...fileProblems(content, folder),
  ];
}

/**
 * A simulated terminal sits behind a mock: or pty: path; a real one behind a device path. A pty: name becomes two
 * links in the rig's scratch folder and part of socat's arguments: a plain file name (ptyNameProblem).
 */
function terminalLinkProblems(content: unknown): KeyProblem[] {
  const linkPath = at(content, 'terminal', 'link', 'path');
  if (typeof linkPath !== 'string' || linkPath === '') return [];
  const simulated = has(at(content, 'terminal'), 'simulate');
  const where = ['terminal', 'link', 'path'];
  if (simulated && !isSimulatedLinkPath(linkPath)) {
    const message = `a simulated terminal (terminal.simulate) needs a "mock:NAME" or "pty:NAME" path, got ${JSON.stringify(linkPath)}`;
    return [{ path: where, message }];
  }
  if (!simulated && isSimulatedLinkPath(linkPath)) {
    const message = `${JSON.stringify(linkPath)} is a simulated link: add terminal.simulate, or give a device path`;
    return [{ path: where, message }];
  }
  const problem = linkPath.startsWith('pty:') ? ptyNameProblem(linkPath.slice('pty:'.length)) : undefined;
  return problem ? [{ path: where, message: `${JSON.stringify(linkPath)}: ${problem}` }] : [];
}

/** The bank is posrig's simulator (host.simulate) or a host posrig does not start (host.address), not both. */
function hostProblems(content: unknown): KeyProblem[] {
  const host = at(content, 'host');
  if (!isObject(host)) return [];
  if (has(host, 'simulate') && has(host, 'address')) {
    const message =
      'is not used when host.simulate is set (the simulated bank listens on host.simulate.listen): remove one of them';
    return [{ path: ['host', 'address'], message }];
  }
  if (!has(host, 'simulate') && !has(host, 'address')) {
    return [{ path: ['host'], message: "needs simulate (posrig's simulated bank) or address (a real host)" }];
  }
  return [];
}

/**
 * A real terminal is configured by its maker, not by posrig: it dials fixed addresses. Every address posrig would
 * otherwise pick at random (a free port) is one such a terminal could never reach, so the rig must fix it.
 */
function reachProblems(content: unknown): KeyProblem[] {
  const terminal = at(content, 'terminal');
  if (!isObject(terminal) || has(terminal, 'simulate')) return [];
  const problems: KeyProblem[] = [];
  const faults = at(content, 'host', 'faults');
  if (faults === true) {
    const message =
      'true listens on a free port, which a real terminal cannot be told: give { listen: "0.0.0.0:6000" } and set the terminal\'s host address to it';
    problems.push({ path: ['host', 'faults'], message });
  }
  const listen = at(content, 'host', 'simulate', 'listen');
  const hostDialled = has(at(content, 'host'), 'simulate') && (faults === false || faults === undefined);
  if (hostDialled && !fixedPort(listen)) {
    const message =
      'a real terminal dials the simulated host itself (no host.faults): give host.simulate.listen a fixed port, e.g. "0.0.0.0:5000"';
    problems.push({ path: ['host', 'simulate', 'listen'], message });
  }
  if (at(content, 'host', 'backup') === 'direct' && has(at(content, 'host'), 'simulate') && !fixedPort(listen)) {
    const message =
      '"direct" sends a real terminal\'s backup to the simulated host itself: give host.simulate.listen a fixed port, or use { listen: "host:port" } (posrig listens there and passes it to the host)';
    problems.push({ path: ['host', 'backup'], message });
  }
  const backup = at(content, 'host', 'backup');
  if (typeof backup === 'string' && backup !== 'direct') {
    const message = `${JSON.stringify(backup)} would only tell a simulated terminal where to dial; a real terminal's backup host is set in the terminal: give { listen: "host:port" } (posrig listens there and passes it to the host) and set the terminal's backup host to it`;
    problems.push({ path: ['host', 'backup'], message });
  }
  return problems;
}

/** True for a "host:port" whose port is fixed (not 0, "any free port"). */
function fixedPort(value: unknown): boolean {
  return typeof value === 'string' && !/:0+$/.test(value);
}

/** Each bank probe reads a bank this rig has: the simulator's ledger, a ledger file, or a host by balance inquiry. */
function bankProblems(content: unknown): KeyProblem[] {
  const probe = at(content, 'bank', 'probe');
  const host = at(content, 'host');
  const simulated = has(host, 'simulate');
  if (probe === 'simulator' && has(host, 'address') && !simulated) {
    const message = `"simulator" reads the simulated bank's ledger: it needs host.simulate (a host posrig does not start: { ledger: FILE } for a \`posrig sim host\` on this machine, { iso8583: {} } for any host)`;
    return [{ path: ['bank', 'probe'], message }];
  }
  if (isObject(probe) && has(probe, 'ledger') === has(probe, 'iso8583')) {
    const message = 'needs exactly one of ledger (a `posrig sim host` ledger file) or iso8583 (balance inquiry)';
    return [{ path: ['bank', 'probe'], message }];
  }
  if (has(probe, 'ledger') && simulated) {
    const message =
      'reads the ledger file of a `posrig sim host` started elsewhere; with host.simulate the rig starts the bank itself: use probe: simulator';
    return [{ path: ['bank', 'probe', 'ledger'], message }];
  }
  return [];
}

/** The terminal's timings are in terminal.timing, for a simulated terminal as for a real one; its no-PIN limit is an
 * amount of the rig's currency. */
function timingProblems(content: unknown): KeyProblem[] {
  const simulate = at(content, 'terminal', 'simulate');
  const limit = at(content, 'terminal', 'timing', 'noPinLimit');
  const currency = at(content, 'currency') ?? 'CNY';
  const problems: KeyProblem[] = [];
  if ((typeof limit === 'string' || typeof limit === 'number') && typeof currency === 'string') {
    try {
      parseMoney(`${limit} ${currency}`);
    } catch (error) {
      problems.push({ path: ['terminal', 'timing', 'noPinLimit'], message: (error as Error).message });
    }
  }
  return problems.concat(
    ['responseTimeoutMs', 'reversalRetryMs']
      .filter((key) => has(simulate, key))
      .map((key) => ({
        path: ['terminal', 'simulate', key],
        message: `moved to terminal.timing.${key} (the same key for a simulated and a real terminal)`,
      })),
  );
}

/** A simulated terminal has its own power: a relay of a real one would be ignored (a Tasmota relay is simulated). */
function powerProblems(content: unknown): KeyProblem[] {
  if (!has(content, 'power') || !has(at(content, 'terminal'), 'simulate')) return [];
  if (at(content, 'power', 'kind') === 'tasmota') return [];
  const message =
    'a simulated terminal (terminal.simulate) has its own power, so this key would be ignored: remove power:';
  return [{ path: ['power'], message }];
}

/** The files a rig names: the cards fixture and text profile must exist; a simulated ledger's folder must exist, and
 * an existing ledger be SQLite; so must a ledger file another process keeps, once it is there. */
function fileProblems(content: unknown, folder: string): KeyProblem[] {
  const problems: KeyProblem[] = [];
  const named: Array<[string[], (file: string) => string | undefined]> = [
    [['cards'], existingFileProblem],
    [['terminal', 'texts'], existingFileProblem],
    [['host', 'simulate', 'ledger'], ledgerProblem],
    // Another process (`posrig sim host`) creates it, maybe after the rig file is read: checked when the rig starts.
    [['bank', 'probe', 'ledger'], (file) => (fileKind(file) === 'missing' ? undefined : sqliteProblem(file))],
  ];
  for (const [where, check] of named) {
    const given = at(content, ...where);
    if (typeof given !== 'string' || given === '' || given === ':memory:') continue;
    const problem = check(path.resolve(folder, given));
    if (problem) problems.push({ path: where, message: problem + relativeNote(given, folder, problem) });
  }
  return problems;
}

function existingFileProblem(file: string): string | undefined {
  const kind = fileKind(file);
  if (kind === 'file') return undefined;
  return `${file} ${kind === 'missing' ? 'does not exist' : `is a ${kind}, not a file`}`;
}

function ledgerProblem(ledger: string): string | undefined {
  const folder = path.dirname(ledger);
  if (fileKind(folder) !== 'folder')
    return `folder ${folder} does not exist, so the ledger ${ledger} cannot be created`;
  const kind = fileKind(ledger);
  if (kind === 'missing') return undefined; // the simulated bank creates it
  if (kind !== 'file') return `${ledger} is a ${kind}, not a file`;
  return sqliteProblem(ledger);
}

function sqliteProblem(ledger: string): string | undefined {
  const header = firstBytes(ledger, SQLITE_HEADER.length);
  if (header === undefined) return `${ledger} cannot be read`;
  // An empty file is a database SQLite has not written yet.
  if (header.length === 0 || header.toString('latin1') === SQLITE_HEADER) return undefined;
  return `${ledger} is not an SQLite database (it does not start with "SQLite format 3"): give a new file name or :memory:`;
}

/** For a relative path whose file is missing: what it was resolved against. */
function relativeNote(given: string, folder: string, problem: string): string {
  if (path.isAbsolute(given) || problem.includes('SQLite')) return '';
  return ` (relative paths are resolved against the rig file's folder, ${folder})`;
}

type FileKind = 'missing' | 'file' | 'folder' | 'device' | 'special file';

/** What is at a path, following symbolic links. */
export function fileKind(file: string): FileKind {
  try {
    const stat = statSync(file);
    if (stat.isFile()) return 'file';
    if (stat.isDirectory()) return 'folder';
    return stat.isCharacterDevice() ? 'device' : 'special file';
  } catch {
    return 'missing';
  }
}

function firstBytes(file: string, count: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(count);
    return buffer.subarray(0, readSync(fd, buffer, 0, count, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
