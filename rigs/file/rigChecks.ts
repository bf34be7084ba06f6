// Rig file checks the schema cannot make: one key against another, what this version cannot run, and the files a
// rig names. They see the file as parsed, before validation, so they trust no type and skip what the schema reports.
//   rigContentProblems(parsed) → [{ path: ['power', 'kind'], message: '"mqtt-relay" is not supported by …' }]

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { ptyNameProblem } from '../serial/ptyPair.ts';
import type { KeyProblem } from './yamlFile.ts';

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = 'SQLite format 3\0';

/** True for the link paths of a simulated terminal: "mock:NAME" (in-process mock port), "pty:NAME" (socat PTY pair). */
export function isSimulatedLinkPath(linkPath: string): boolean {
  return linkPath.startsWith('mock:') || linkPath.startsWith('pty:');
}

/** Every problem of a parsed rig file that is about more than one key's own value. */
export function rigContentProblems(content: unknown): KeyProblem[] {
  return [
    ...terminalLinkProblems(content),
    ...hostProblems(content),
    ...bankProblems(content),
    ...powerProblems(content),
    ...timingProblems(content),
    ...fileProblems(content),
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

/** The bank is posrig's simulator (host.simulate) or a real host (host.address), not both. */
function hostProblems(content: unknown): KeyProblem[] {
  const host = at(content, 'host');
  if (!isObject(host)) return [];
  if (has(host, 'simulate') && has(host, 'address')) {
    const message =
      'is not used when host.simulate is set (the simulated bank listens on a port of its own): remove one of them';
    return [{ path: ['host', 'address'], message }];
  }
  if (!has(host, 'simulate') && !has(host, 'address')) {
    return [{ path: ['host'], message: "needs simulate (posrig's simulated bank) or address (a real host)" }];
  }
  return [];
}

/** The bank probe this version has reads the simulated bank's ledger. */
function bankProblems(content: unknown): KeyProblem[] {
  const probe = at(content, 'bank', 'probe');
  if (has(probe, 'iso8583')) {
    const message =
      'balance inquiry against a real host is not supported by this version (supported: "simulator", with host.simulate)';
    return [{ path: ['bank', 'probe', 'iso8583'], message }];
  }
  const host = at(content, 'host');
  if (probe === 'simulator' && has(host, 'address') && !has(host, 'simulate')) {
    const message = `"simulator" reads the simulated bank's ledger: it needs host.simulate (a real host's balances need bank.probe.iso8583, not supported by this version)`;
    return [{ path: ['bank', 'probe'], message }];
  }
  return [];
}

/** A simulated terminal's timings are what terminal.simulate configures: a second set could only disagree. */
function timingProblems(content: unknown): KeyProblem[] {
  const terminal = at(content, 'terminal');
  if (!has(terminal, 'timing') || !has(terminal, 'simulate')) return [];
  const message =
    'a simulated terminal takes its timings from terminal.simulate (responseTimeoutMs, reversalRetryMs): remove timing:';
  return [{ path: ['terminal', 'timing'], message }];
}

/** A simulated terminal has its own power; no power switch of a real terminal is supported yet: refused here, when read. */
function powerProblems(content: unknown): KeyProblem[] {
  if (!has(content, 'power')) return [];
  if (has(at(content, 'terminal'), 'simulate')) {
    const message =
      'a simulated terminal (terminal.simulate) has its own power, so this key would be ignored: remove power:';
    return [{ path: ['power'], message }];
  }
  const unsupported =
    'is not supported by this version (supported: none yet — remove power: to run without power scenarios)';
  const kind = at(content, 'power', 'kind');
  return typeof kind === 'string'
    ? [{ path: ['power', 'kind'], message: `${JSON.stringify(kind)} ${unsupported}` }]
    : [{ path: ['power'], message: unsupported }];
}

/** The files a rig names: the cards fixture must exist; the ledger's folder must exist, and an existing file be SQLite. */
function fileProblems(content: unknown): KeyProblem[] {
  const problems: KeyProblem[] = [];
  const cards = at(content, 'cards');
  if (typeof cards === 'string' && cards !== '') {
    const problem = fileProblem(cards);
    if (problem) problems.push({ path: ['cards'], message: problem });
  }
  const ledger = at(content, 'host', 'simulate', 'ledger');
  if (typeof ledger === 'string' && ledger !== '' && ledger !== ':memory:') {
    const problem = ledgerProblem(ledger);
    if (problem) problems.push({ path: ['host', 'simulate', 'ledger'], message: problem });
  }
  return problems;
}

function fileProblem(file: string): string | undefined {
  const resolved = path.resolve(file);
  const kind = fileKind(resolved);
  if (kind === 'file') return undefined;
  const what = kind === 'missing' ? 'does not exist' : `is a ${kind}, not a file`;
  return `${resolved} ${what}${relativeNote(file)}`;
}

function ledgerProblem(ledger: string): string | undefined {
  const resolved = path.resolve(ledger);
  const folder = path.dirname(resolved);
  if (fileKind(folder) !== 'folder') {
    return `folder ${folder} does not exist, so the ledger ${resolved} cannot be created${relativeNote(ledger)}`;
  }
  const kind = fileKind(resolved);
  if (kind === 'missing') return undefined; // the simulated bank creates it
  if (kind !== 'file') return `${resolved} is a ${kind}, not a file${relativeNote(ledger)}`;
  const header = firstBytes(resolved, SQLITE_HEADER.length);
  if (header === undefined) return `${resolved} cannot be read${relativeNote(ledger)}`;
  // An empty file is a database SQLite has not written yet.
  if (header.length === 0 || header.toString('latin1') === SQLITE_HEADER) return undefined;
  return `${resolved} is not an SQLite database (it does not start with "SQLite format 3"): give a new file name or :memory:`;
}

/** For a relative path: what it was resolved against, so that a missing file can be found. */
function relativeNote(given: string): string {
  return path.isAbsolute(given) ? '' : ` (relative paths are resolved against the working directory, ${process.cwd()})`;
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` is a mapping that has `key` (with any value, even null). */
function has(value: unknown, key: string): boolean {
  return isObject(value) && Object.hasOwn(value, key);
}

/** The value at a key path of parsed YAML, or undefined where a step is missing or not a mapping. */
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}
