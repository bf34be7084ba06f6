// The command line of `npm run fuzz`: what to run, or a FuzzUsageError whose message is the one line to print.
// A mistake names the known options or targets (with a "did you mean" for a slip); a seed may be negative.
//   const run = fuzzRun(['--target', 'ecr.frame', '--seed', '-42', '--path', '1234:0:1'], ['ecr.frame', 'mqtt']);
//   // → { inputs: 1_000_000, seed: -42, targets: ['ecr.frame'], path: '1234:0:1', hangMs: 10_000, help: false }
//   fuzzRun(['--target', 'ecr.fram'], names);  // throws: no fuzz target "ecr.fram" (did you mean ecr.frame?); targets: …

import { parseArgs } from 'node:util';
import { closestWords } from '../../rigs/verdict/closest.ts';

/** What one `npm run fuzz` does. */
export interface FuzzRun {
  readonly inputs: number;
  readonly seed: number;
  readonly targets: readonly string[];
  /** fast-check path of one failure to replay (needs the seed it was found with and its one target). */
  readonly path?: string;
  readonly hangMs: number;
  /** --help: print FUZZ_HELP and the targets, run nothing. */
  readonly help: boolean;
}

/** A command line that cannot run; the message is one line, without the `fuzz: ` prefix. */
export class FuzzUsageError extends Error {
  override name = 'FuzzUsageError';
}

export const FUZZ_USAGE =
  'usage: npm run fuzz -- [--inputs N] [--seed S] [--target NAME …] [--path P --seed S] [--hang-ms MS] [--help]';

const OPTIONS = {
  inputs: { type: 'string', what: 'N', help: 'inputs per target (default 1,000,000; 20_000 is fine)' },
  seed: { type: 'string', what: 'S', help: 'the seed (a whole number; default a fresh one, printed)' },
  target: { type: 'string', what: 'NAME', help: 'only this target (repeat, or NAME,NAME; default all)' },
  path: { type: 'string', what: 'P (with --seed)', help: 'replay one failure: its --target, --seed and path' },
  'hang-ms': { type: 'string', what: 'MS', help: 'an input running this long is a hang (default 10000)' },
  help: { type: 'boolean', what: '', help: 'this text and the targets' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** The options, one a line, for --help. */
export const FUZZ_HELP = [
  FUZZ_USAGE,
  ...Object.entries(OPTIONS).map(([name, o]) => `  ${`--${name} ${o.what}`.padEnd(24)} ${o.help}`),
].join('\n');

const OPTION_LIST = Object.entries(OPTIONS)
  .map(([name, o]) => `--${name}${o.what ? ` ${o.what}` : ''}`)
  .join(', ');

/** Reads the arguments after `npm run fuzz --`; `known` are the target names, `freshSeed` makes a seed when none is
 * given. Throws FuzzUsageError for anything it cannot run. */
export function fuzzRun(
  args: readonly string[],
  known: readonly string[],
  freshSeed: () => number = randomSeed,
): FuzzRun {
  const given = readOptions(args, known);
  if (given.help) return { inputs: 1, seed: 0, targets: known, hangMs: 1, help: true };
  const inputs = wholeNumber(given.inputs?.replaceAll('_', '') ?? '1000000');
  if (inputs === undefined || inputs < 1)
    throw new FuzzUsageError(`--inputs takes a whole number ≥ 1, got "${given.inputs}"`);
  const seed = given.seed === undefined ? freshSeed() : wholeNumber(given.seed);
  if (seed === undefined || seed < -(2 ** 31) || seed >= 2 ** 31)
    throw new FuzzUsageError(`--seed takes a whole number (32-bit, as a run prints it), got "${given.seed}"`);
  const hangMs = Number(given['hang-ms'] ?? '10000');
  if (!(hangMs > 0))
    throw new FuzzUsageError(`--hang-ms takes a number of milliseconds > 0, got "${given['hang-ms']}"`);
  const targets = targetsOf(given.target, known);
  const path = given.path;
  if (path !== undefined) {
    if (given.seed === undefined)
      throw new FuzzUsageError(
        '--path replays one failure and needs the --seed it was found with: npm run fuzz -- --target T --seed S --path P',
      );
    if (!/^\d+(:\d+)*$/.test(path))
      throw new FuzzUsageError(
        `--path takes a failure's path as its replay line prints it (e.g. 1234:0:1), got "${path}"`,
      );
    if (targets.length !== 1)
      throw new FuzzUsageError(
        `--path replays one failure: give the one --target it belongs to (one of ${known.join(', ')})`,
      );
  }
  return { inputs, seed, targets, ...(path === undefined ? {} : { path }), hangMs, help: false };
}

/** The options as typed: the last value of each, every --target. */
interface Given {
  inputs?: string;
  seed?: string;
  path?: string;
  'hang-ms'?: string;
  help?: true;
  target?: string[];
}

/** The options given, by name; refuses unknown options, missing values and stray words. */
function readOptions(args: readonly string[], known: readonly string[]): Given {
  // strict: false so that `--seed -42` is a value (strict parseArgs takes it for an option); checked below instead
  const { tokens } = parseArgs({
    args: [...args],
    options: { ...OPTIONS, h: { type: 'boolean' } },
    strict: false,
    tokens: true,
  });
  const given: Given = {};
  const targets: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') throw new FuzzUsageError(strayWord(token.value, known));
    const name = token.name === 'h' ? 'help' : token.name;
    if (!isOption(name)) throw new FuzzUsageError(unknownOption(token.rawName));
    if (name === 'help') {
      given.help = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('--')))
      throw new FuzzUsageError(`${token.rawName} takes a value: ${token.rawName} ${OPTIONS[name].what}`);
    if (name === 'target') targets.push(value);
    else given[name] = value;
  }
  return targets.length === 0 ? given : { ...given, target: targets };
}

function isOption(name: string): name is OptionName {
  return Object.hasOwn(OPTIONS, name);
}

function unknownOption(raw: string): string {
  const names = Object.keys(OPTIONS).map((name) => `--${name}`);
  const near = raw.startsWith('--') ? closestWords(raw, names) : [];
  return `unknown option ${raw}${didYouMean(near)}; options: ${OPTION_LIST}`;
}

function strayWord(word: string, known: readonly string[]): string {
  if (known.includes(word)) return `unexpected "${word}": did you mean --target ${word}?`;
  return `unexpected "${word}": options come as --name value, after -- with npm (npm run fuzz -- --inputs 20000); options: ${OPTION_LIST}`;
}

/** The targets named (repeated or comma-separated, each once, in the order given), or all of them. */
function targetsOf(named: readonly string[] | undefined, known: readonly string[]): string[] {
  if (named === undefined) return [...known];
  const names = [...new Set(named.flatMap((t) => t.split(',')).map((t) => t.trim()))].filter((t) => t !== '');
  if (names.length === 0) throw new FuzzUsageError(`--target takes a target name; targets: ${known.join(', ')}`);
  for (const name of names) {
    if (known.includes(name)) continue;
    throw new FuzzUsageError(
      `no fuzz target "${name}"${didYouMean(nearTargets(name, known))}; targets: ${known.join(', ')}`,
    );
  }
  return names;
}

/** Targets a typed name may have meant: a slip of typing, or the part after the dot ("frame" → ecr.frame). */
function nearTargets(typed: string, known: readonly string[]): string[] {
  const bySuffix = known.filter((name) => name.toLowerCase().endsWith(`.${typed.toLowerCase()}`));
  return bySuffix.length > 0 ? bySuffix : closestWords(typed, known);
}

function didYouMean(near: readonly string[]): string {
  return near.length === 0 ? '' : ` (did you mean ${near.join(' or ')}?)`;
}

/** The number when the text is a whole number (digits, an optional minus), else undefined. */
function wholeNumber(text: string): number | undefined {
  return /^-?\d+$/.test(text.trim()) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

/** A fresh non-negative 31-bit seed (so the printed replay command needs no `--seed=-…`). */
function randomSeed(): number {
  return (Date.now() ^ (Math.random() * 0x7fffffff)) & 0x7fffffff;
}
