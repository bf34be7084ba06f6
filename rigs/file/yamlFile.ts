// Reads a YAML file and validates it with a zod schema; every problem names the file, line, key path and what is allowed.
//   const rig = loadYamlFile('rigs/sim-serial.yaml', RigFileSchema);

import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
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

/** Parses and validates a YAML file; throws ConfigFileError naming file:line, key path and the allowed values. */
export function loadYamlFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(file, [
      `${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    ]);
  }
  return parseYamlText(file, text, schema);
}

/** Validates YAML text already in memory, as loadYamlFile does for a file. */
export function parseYamlText<S extends z.ZodType>(file: string, text: string, schema: S): z.output<S> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigFileError(
      file,
      doc.errors.map((e) => `${file}:${lines.linePos(e.pos[0]).line}: YAML syntax: ${e.message.split('\n')[0]}`),
    );
  }
  const result = schema.safeParse(doc.toJS(), { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = lineOf(doc, lines, issue.path);
    const key = issue.path.join('.');
    return maskPansIn(`${file}${where}: ${key || '(top level)'}: ${describeIssue(issue)}`);
  });
  throw new ConfigFileError(file, problems);
}

function lineOf(doc: ReturnType<typeof parseDocument>, lines: LineCounter, path: PropertyKey[]): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return `:${lines.linePos(node.range[0]).line}`;
  }
  return '';
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
