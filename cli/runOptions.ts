// `posrig run` options: what to run (paths, --tags, --name, --shard), how (--dry-run, --parallel, --retry) and the
// extra formatters (--format) and which scenarios get pictures as evidence (--evidence). Options may also come after `--` (`posrig run -- --tags @smoke features/pin`).
//   runSelection({ tags: ['@smoke'] }, ['features/pin', '--retry', '1']) → { paths: ['features/pin'], retry: 1, … }

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLOCKS, type ClockKind } from '../rigs/clock/clockChoice.ts';

const require = createRequire(import.meta.url);
/** Cucumber's own formatters by name (html, junit, pretty, message, json, progress, …), as it resolves them. */
export const BUILTIN_FORMATTERS: readonly string[] = Object.keys(
  require('@cucumber/cucumber/lib/formatter/builtin/index').default as Record<string, unknown>,
);

/** A mistake in how posrig run was called or configured: one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What commander parsed (every value a string, as typed). */
export interface RunCommandOptions {
  readonly rig: string;
  readonly reports: string;
  readonly tags?: readonly string[];
  readonly name?: readonly string[];
  readonly dryRun?: boolean;
  readonly parallel?: string;
  readonly shard?: string;
  readonly retry?: string;
  readonly format?: readonly string[];
  /** false with --no-monitor (commander's negation). */
  readonly monitor?: boolean;
  readonly evidence?: string;
  readonly clock?: string;
  readonly reportsOnly?: readonly string[];
}

/** Which scenarios get pictures of the screen and the receipt: only the failed ones, every one, or none (text only). */
export const EVIDENCE = ['failed', 'all', 'none'] as const;
export type Evidence = (typeof EVIDENCE)[number];

/** The reports a run writes into --reports: cucumber.html, junit.xml, cucumber.json, allure-results/. */
export const REPORT_KINDS = ['html', 'junit', 'json', 'allure'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface RunSelection {
  /** Feature files, folders, globs, `file:line`; empty: the configured paths (features/**\/*.feature). */
  readonly paths: string[];
  /** One tag expression ('' for all): several --tags must all match. */
  readonly tags: string;
  readonly names: string[];
  readonly dryRun: boolean;
  readonly parallel: number;
  /** `<index>/<total>`, 1-based, or '' for no sharding. */
  readonly shard: string;
  readonly retry: number;
  /** Formatters besides the progress output and the three reports, as cucumber writes them (`name` or `name:file`). */
  readonly formats: string[];
  /** Whether the behaviour monitor judges every scenario (off only with --no-monitor, e.g. to measure its cost). */
  readonly monitor: boolean;
  /** --evidence as given; undefined: the rig file's `evidence.pictures` decides. */
  readonly evidence: Evidence | undefined;
  /** --clock as given; undefined: the rig file's `clock` decides. */
  readonly clock: ClockKind | undefined;
  /** The reports to write (--reports-only); all four by default. */
  readonly reports: readonly ReportKind[];
}

const VALUE_OPTIONS = [
  '--tags',
  '--name',
  '--parallel',
  '--shard',
  '--retry',
  '--format',
  '--evidence',
  '--clock',
  '--reports-only',
] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

/** The options and operands of one `posrig run`, checked. */
export function runSelection(options: RunCommandOptions, operands: readonly string[] = []): RunSelection {
  const values: Record<ValueOption, string[]> = {
    '--tags': [...(options.tags ?? [])],
    '--name': [...(options.name ?? [])],
    '--parallel': options.parallel === undefined ? [] : [options.parallel],
    '--shard': options.shard === undefined ? [] : [options.shard],
    '--retry': options.retry === undefined ? [] : [options.retry],
    '--format': [...(options.format ?? [])],
    '--evidence': options.evidence === undefined ? [] : [options.evidence],
    '--clock': options.clock === undefined ? [] : [options.clock],
    '--reports-only': [...(options.reportsOnly ?? [])],
  };
  let dryRun = Boolean(options.dryRun);
  let monitor = options.monitor !== false;
  const paths: string[] = [];
  for (let i = 0; i < operands.length; i += 1) {
    const operand = operands[i] as string;
    if (!operand.startsWith('-') || operand === '-') {
      paths.push(operand);
      continue;
    }
    const [flag = '', inline] = operand.split(/=(.*)/s);
    if (flag === '--dry-run' || flag === '-d') {
      dryRun = true;
    } else if (flag === '--no-monitor') {
      monitor = false;
    } else if ((VALUE_OPTIONS as readonly string[]).includes(flag)) {
      const value = inline ?? operands[++i];
      if (value === undefined) throw new UsageError(`option '${flag}' needs a value`);
      values[flag as ValueOption].push(value);
    } else {
      throw new UsageError(
        `unknown option '${operand}' (posrig run takes --rig, --reports, --tags, --name, --dry-run, --parallel, --shard, --retry, --format, --evidence, --clock, --reports-only, --no-monitor)`,
      );
    }
  }
  const formats = values['--format'];
  for (const format of formats) checkFormatter(format);
  const stdout = formats.filter(writesToStdout);
  if (stdout.length > 1)
    throw new UsageError(
      `only one formatter can write to the terminal, got ${stdout.join(' and ')} (give one a file: name:path)`,
    );
  return {
    paths,
    tags: values['--tags'].map((t) => (values['--tags'].length > 1 ? `(${t})` : t)).join(' and '),
    names: values['--name'],
    dryRun,
    parallel: workers(last(values['--parallel'])),
    shard: shard(last(values['--shard']) ?? ''),
    retry: count('--retry', last(values['--retry']) ?? '0'),
    formats,
    monitor,
    evidence: evidence(last(values['--evidence'])),
    clock: clockKind(last(values['--clock'])),
    reports: reportKinds(values['--reports-only']),
  };
}

/** --reports-only html,junit,json,allure (comma-separated or repeated: all named); absent: all four. */
function reportKinds(texts: readonly string[]): readonly ReportKind[] {
  if (texts.length === 0) return REPORT_KINDS;
  const named = texts.flatMap((text) => text.split(',')).map((name) => name.trim());
  for (const name of named)
    if (!(REPORT_KINDS as readonly string[]).includes(name))
      throw new UsageError(
        `--reports-only takes ${REPORT_KINDS.join(', ')} (comma-separated: the reports to write), got "${name}"`,
      );
  return REPORT_KINDS.filter((kind) => named.includes(kind));
}

/** --evidence failed | all | none; absent: undefined (the rig file's default). */
function evidence(text: string | undefined): Evidence | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if ((EVIDENCE as readonly string[]).includes(value)) return value as Evidence;
  throw new UsageError(
    `--evidence takes failed, all or none (pictures of the screen and receipt for which scenarios), got "${text}"`,
  );
}

/** --clock real | virtual; absent: undefined (the rig file's `clock`). */
function clockKind(text: string | undefined): ClockKind | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if ((CLOCKS as readonly string[]).includes(value)) return value as ClockKind;
  throw new UsageError(`--clock takes real or virtual (the wall clock, or simulated time), got "${text}"`);
}

/** A cucumber format descriptor without an output file (`pretty`, `"summary"`) writes to stdout. */
export function writesToStdout(format: string): boolean {
  if (/^"[^"]*"$/.test(format)) return true;
  if (/^"[^"]*":/.test(format)) return false;
  return !format.replace(/^file:\/{2,3}/, '').includes(':');
}

function last(values: readonly string[]): string | undefined {
  return values[values.length - 1];
}

function count(option: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${option} takes a whole number (0 or more), got "${text}"`);
  return Number(text);
}

/** --parallel: absent is 0 (no worker processes, the run in this process); given, at least one worker. */
function workers(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1)
    throw new UsageError(`--parallel takes a whole number of workers (1 or more), got "${text}"`);
  return Number(text);
}

/** A formatter cucumber knows, or a module that is there (`./my-formatter.js`, an installed package). */
function checkFormatter(format: string): void {
  const name = formatterName(format);
  if (BUILTIN_FORMATTERS.includes(name)) return;
  if (!formatterModuleExists(name))
    throw new UsageError(
      `--format ${format}: there is no formatter "${name}" (cucumber's: ${BUILTIN_FORMATTERS.join(', ')}; or a module such as ./my-formatter.js)`,
    );
}

function formatterModuleExists(name: string): boolean {
  try {
    if (name.startsWith('.') || path.isAbsolute(name)) return existsSync(path.resolve(name));
    if (name.startsWith('file:')) return existsSync(fileURLToPath(new URL(name)));
    import.meta.resolve(name); // a package: throws when it is not installed
    return true;
  } catch {
    return false;
  }
}

/** The formatter of a cucumber format descriptor (`name`, `name:file`, `"name":"file"`, `file://./f.js:out`). */
export function formatterName(format: string): string {
  const quoted = /^"([^"]*)"(?::.*)?$/.exec(format);
  if (quoted) return quoted[1] as string;
  const fileUrl = /^(file:\/{2,3}(?:[a-zA-Z]:[/\\])?[^:]*)/.exec(format);
  if (fileUrl) return fileUrl[1] as string;
  const drive = /^([a-zA-Z]:[/\\][^:]*)/.exec(format);
  if (drive) return drive[1] as string;
  return format.replace(/:"[^"]*"$/, '').split(':')[0] as string;
}

function shard(text: string): string {
  if (text === '') return '';
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total)
    throw new UsageError(`--shard takes <index>/<total> with 1 ≤ index ≤ total (e.g. 1/3), got "${text}"`);
  return `${index}/${total}`;
}

/** The selection in words, for "nothing selected" messages: `features/pin --tags "@slow" --shard 2/3`. */
export function describeSelection(selection: RunSelection, defaultPaths: readonly string[]): string {
  const parts = [...(selection.paths.length > 0 ? selection.paths : defaultPaths)];
  if (selection.tags) parts.push(`--tags "${selection.tags}"`);
  for (const name of selection.names) parts.push(`--name "${name}"`);
  if (selection.shard) parts.push(`--shard ${selection.shard}`);
  return parts.join(' ');
}
