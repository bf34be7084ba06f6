// Reads a YAML file and validates it with a zod schema; every problem names the file, line, key path and what is allowed.
//   const rig = loadYamlFile('rigs/sim-serial.yaml', RigFileSchema);

import { readFileSync } from 'node:fs';
import { type Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { type z, z as zod } from 'zod';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import { closestWords } from '../verdict/closest.ts';

/** A configuration file that cannot be used; `problems` holds one line per problem. */
export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      problems.length === 1 ? (problems[0] ?? '') : `${file}: ${problems.length} problems\n  ${problems.join('\n  ')}`,
    );
  }
}

/** A problem a check beyond the schema found: the key path it is about and what is wrong with it. */
export interface KeyProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** Where the line number comes from, when not from `path` (an unknown key: the key itself, where the typo is). */
  readonly linePath?: readonly PropertyKey[];
}

/**
 * Checks what the schema cannot see (one key against another, files on disk). It gets the file's content as parsed,
 * before validation, so it must not trust any type; it runs even when the schema finds problems, so that every
 * problem of the file is reported at once.
 */
export type ContentCheck = (content: unknown) => KeyProblem[];

/** Parses and validates a YAML file; throws ConfigFileError naming file:line, key path and the allowed values. */
export function loadYamlFile<S extends z.ZodType>(file: string, schema: S, check?: ContentCheck): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(file, [
      `${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    ]);
  }
  return parseYamlText(file, text, schema, check);
}

/** Validates YAML text already in memory, as loadYamlFile does for a file. */
export function parseYamlText<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  check?: ContentCheck,
): z.output<S> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const first = doc.errors[0];
  if (first) throw new ConfigFileError(file, [syntaxProblem(file, text, lines.linePos(first.pos[0]).line, first)]);
  const content = doc.toJS();
  const result = schema.safeParse(content, { reportInput: true });
  const found: KeyProblem[] = result.success
    ? []
    : result.error.issues.flatMap(flatIssues).map((issue) => ({
        path: issue.path,
        message: describeIssue(issue),
        ...(issue.code === 'unrecognized_keys' ? { linePath: [...issue.path, ...issue.keys.slice(0, 1)] } : {}),
      }));
  found.push(...(check?.(content) ?? []));
  if (result.success && found.length === 0) return result.data;
  const located = found.map((problem) => ({ ...problem, line: lineOf(doc, lines, problem.linePath ?? problem.path) }));
  // In file order (a stable sort keeps the schema's order within a line).
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const problems = located.map(({ path, message, line }) => {
    const key = path.map(String).join('.');
    return maskPansIn(`${file}${line === undefined ? '' : `:${line}`}: ${key || '(top level)'}: ${message}`);
  });
  throw new ConfigFileError(file, problems);
}

const TAB_HINT = 'tabs are not allowed for indentation in YAML: indent with spaces';

/**
 * A YAML syntax error as one line: the parser's first error only (one mistake, such as a tab, often makes several),
 * with a hint when tabs are the likely cause.
 */
function syntaxProblem(file: string, text: string, line: number, error: { code: string; message: string }): string {
  const where = `${file}:${line}: YAML syntax: `;
  const tabbed = text.split(/\r?\n/).flatMap((content, index) => (/^ *\t/.test(content) ? [index + 1] : []));
  const others = tabbed.length > 1 ? ` (${tabbed.length} lines start with a tab, the first is line ${tabbed[0]})` : '';
  if (error.code === 'TAB_AS_INDENT') return `${where}${TAB_HINT}${others}`;
  const message = error.message.split('\n')[0] ?? error.code;
  const lineText = text.split(/\r?\n/)[line - 1] ?? '';
  if (lineText.includes('\t')) return `${where}${message} (line ${line} has a tab: ${TAB_HINT})`;
  // A tab above the error can be its cause: the parser may only notice where the indentation no longer fits.
  const earlier = tabbed.filter((l) => l < line)[0];
  return earlier === undefined
    ? `${where}${message}`
    : `${where}${message} (line ${earlier} starts with a tab: ${TAB_HINT})`;
}

/** The line of a key in a YAML file (1-based), or undefined when the file cannot be read or has no such key. */
export function lineOfKey(file: string, path: readonly PropertyKey[]): number | undefined {
  try {
    const lines = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
    return doc.errors.length > 0 ? undefined : lineOf(doc, lines, path);
  } catch {
    return undefined;
  }
}

/** The line of the deepest key of `path` that the document has: the key's own line, not its value's. */
function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1) as unknown[], true);
    const last = path[depth - 1];
    let node: unknown;
    if (isMap(parent)) {
      node = parent.items.find((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key) === String(last))?.key;
    } else if (isSeq(parent) && typeof last === 'number') {
      node = parent.items[last];
    }
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return isNode(doc.contents) && doc.contents.range ? lines.linePos(doc.contents.range[0]).line : undefined;
}

/** Keys whose values are secrets or card data: an error names their type, never their value. */
const SECRET_KEY = /pan|pin|track|cvv|key/i;

type Issue = z.core.$ZodIssue;

/**
 * The issues to report for one: a union's value that has the shape of exactly one of its alternatives (a mapping
 * where a mapping is allowed) gets that alternative's own issues, at their own keys, not "Invalid input".
 */
function flatIssues(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const fitting = issue.errors.filter((alternative) => !isShapeMismatch(alternative));
  const [only] = fitting;
  if (fitting.length !== 1 || !only) return [issue];
  return only.flatMap((inner) => flatIssues({ ...inner, path: [...issue.path, ...inner.path] } as Issue));
}

/** True when an alternative of a union failed only because the value has another type or is not its literal. */
function isShapeMismatch(issues: readonly Issue[]): boolean {
  const [only] = issues;
  return (
    issues.length === 1 && only?.path.length === 0 && (only.code === 'invalid_type' || only.code === 'invalid_value')
  );
}

/** zod's own messages start so; a schema's custom message (see hostPort in rigFile.ts) does not. */
const ZOD_DEFAULT = 'Invalid input';

const TYPE_WORDS: Record<string, string[]> = {
  boolean: ['true', 'false'],
  object: ['a mapping'],
  array: ['a list'],
  string: ['a string'],
  number: ['a number'],
};

/** What one alternative of a union allows, in words: ['"simulator"'], ['true', 'false'], ['a mapping']. */
function allowedBy(issues: readonly Issue[]): string[] {
  const [only] = issues;
  if (!only || !isShapeMismatch(issues)) return [];
  if (only.code === 'invalid_value') return only.values.map((v) => JSON.stringify(v));
  if (only.code !== 'invalid_type') return [];
  return only.message.startsWith(ZOD_DEFAULT) ? (TYPE_WORDS[only.expected] ?? [only.expected]) : [only.message];
}

/** "a", "a or b", "a, b or c". */
function either(words: readonly string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** " (did you mean "simulator"?)" for a string close to one of the allowed values, else "". */
function didYouMean(input: unknown, values: readonly unknown[]): string {
  const words = values.filter((v): v is string => typeof v === 'string');
  if (typeof input !== 'string' || words.length === 0) return '';
  const close = closestWords(input, words);
  return close.length > 0 ? ` (did you mean ${either(close.map((w) => JSON.stringify(w)))}?)` : '';
}

/** The allowed values of a discriminated union's key, from zod's "no matching discriminator" issue. */
function discriminatorValues(issue: Issue): { key: string | undefined; values: unknown[] } | undefined {
  const extra = issue as { options?: unknown; discriminator?: unknown };
  if (!Array.isArray(extra.options)) return undefined;
  return { key: typeof extra.discriminator === 'string' ? extra.discriminator : undefined, values: extra.options };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describeIssue(issue: Issue): string {
  const secret = SECRET_KEY.test(String(issue.path.at(-1) ?? ''));
  const got = (input: unknown) => (secret ? `a ${typeof input} (value not shown)` : JSON.stringify(input));
  const hint = (values: readonly unknown[]) => (secret ? '' : didYouMean(issue.input, values));
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got(issue.input)}${hint(issue.values)}`;
    case 'invalid_type': {
      const expected = issue.message.startsWith(ZOD_DEFAULT) ? issue.expected : issue.message;
      return issue.input === undefined ? `is required (${expected})` : `expected ${expected}, got ${got(issue.input)}`;
    }
    case 'invalid_union': {
      const allowed = issue.errors.flatMap(allowedBy);
      const kinds = discriminatorValues(issue);
      if (allowed.length === 0 && kinds) {
        // a discriminated union (terminal.link.kind): the values of its key, as for any literal
        const value = kinds.key && isRecord(issue.input) ? issue.input[kinds.key] : issue.input;
        return `must be one of ${kinds.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got(value)}${secret ? '' : didYouMean(value, kinds.values)}`;
      }
      if (allowed.length === 0) return issue.message;
      if (issue.input === undefined) return `is required (${either(allowed)})`;
      const literals = issue.errors.flatMap((e) => (e[0]?.code === 'invalid_value' ? e[0].values : []));
      return `expected ${either(allowed)}, got ${got(issue.input)}${hint(literals)}`;
    }
    default:
      return issue.message;
  }
}

/** A strict object: an unknown key (a typo such as "baudrate") is an error that lists the allowed keys. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return zod.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: ${allowed})`
        : undefined,
  });
}
