// The Environment widget of an Allure report: `environment.properties` in the results folder, naming the rig, the
// terminal the run tested (from its `info` answer) and the posrig that tested it.
//   writeEnvironment('reports/allure-results', { ...runFacts(), rig: 'sim-serial', rigFile: 'rigs/sim-serial.yaml',
//     clock: 'real', terminal: rig.terminal.info });
//   environmentProperties({ rig: 'sim-serial', … }) → 'rig = sim-serial\nrig.file = rigs/sim-serial.yaml\n…'

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The terminal's own words about itself (its `info` event, docs/protocol.md). */
export interface TerminalFacts {
  readonly model: string;
  readonly serial: string;
  readonly firmware: string;
  readonly protocol: string;
}

/** What the report says the run was: rig, terminal (once a rig started and the terminal answered), posrig. */
export interface EnvironmentFacts {
  readonly rig: string;
  readonly rigFile: string;
  /** 'real' (the wall clock) or 'virtual' (simulated time): a lab reading the report knows which the run had. */
  readonly clock: string;
  readonly terminal?: TerminalFacts | undefined;
  readonly posrigVersion: string;
  /** `git rev-parse --short HEAD`, `-dirty` when the tree has changes, "unknown" outside git. */
  readonly gitRevision: string;
  readonly nodeVersion: string;
}

/** The facts of this posrig and this machine; rig and terminal are the caller's. */
export function runFacts(): Pick<EnvironmentFacts, 'posrigVersion' | 'gitRevision' | 'nodeVersion'> {
  return { posrigVersion: posrigVersion(), gitRevision: gitRevision(), nodeVersion: process.version };
}

/** environment.properties text: one `key = value` line per fact, in a fixed order; values on one line. */
export function environmentProperties(facts: EnvironmentFacts): string {
  const { terminal } = facts;
  const lines: [string, string][] = [
    ['rig', facts.rig],
    ['rig.file', facts.rigFile],
    ['clock', facts.clock === 'virtual' ? 'virtual (simulated time)' : 'real (the wall clock)'],
    ['terminal.model', terminal?.model ?? 'not known (no terminal answered)'],
    ['terminal.serial', terminal?.serial ?? 'not known'],
    ['terminal.firmware', terminal?.firmware ?? 'not known'],
    ['terminal.protocol', terminal?.protocol ?? 'not known'],
    ['posrig.version', facts.posrigVersion],
    ['git.revision', facts.gitRevision],
    ['node.version', facts.nodeVersion],
  ];
  return lines.map(([key, value]) => `${key} = ${propertyValue(value)}\n`).join('');
}

/** Writes environment.properties into the results folder (created if missing), replacing it in one step: parallel
 * workers each write it once their rig has started, and a reader never sees half a file. */
export function writeEnvironment(resultsDir: string, facts: EnvironmentFacts): void {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, 'environment.properties');
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, environmentProperties(facts));
  renameSync(temporary, file);
}

/** Java properties: one line, backslashes and non-Latin-1 characters escaped (Allure reads the file as ISO 8859-1). */
function propertyValue(value: string): string {
  return value
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

function posrigVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}

let revision: string | undefined;

function gitRevision(): string {
  revision ??= readGitRevision();
  return revision;
}

function readGitRevision(): string {
  const root = path.dirname(new URL('../../package.json', import.meta.url).pathname);
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? head : `${head}-dirty`;
  } catch {
    return 'unknown';
  }
}
