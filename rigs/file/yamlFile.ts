// Reads a YAML file and validates it with a zod schema; every problem names the file, line, key path and what is allowed.
//   const rig = loadYamlFile('rigs/sim-serial.yaml', RigFileSchema);

import { readFileSync } from 'node:fs';
import { type Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { type z, z as zod } from 'zod';
import { maskPansIn } from '../../protocols/domain/pan.ts';

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
  if (doc.errors.length > 0) {
    throw new ConfigFileError(
      file,
      doc.errors.map((e) => `${file}:${lines.linePos(e.pos[0]).line}: YAML syntax: ${e.message.split('\n')[0]}`),
    );
  }
  const content = doc.toJS();
  const result = schema.safeParse(content, { reportInput: true });
  const found: KeyProblem[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
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

function describeIssue(issue: z.core.$ZodIssue): string {
  const secret = SECRET_KEY.test(String(issue.path.at(-1) ?? ''));
  const got = (input: unknown) => (secret ? `a ${typeof input} (value not shown)` : JSON.stringify(input));
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got(issue.input)}`;
    case 'invalid_type':
      return issue.input === undefined
        ? `is required (${issue.expected})`
        : `expected ${issue.expected}, got ${got(issue.input)}`;
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
