// The scenarios of feature files, as cucumber runs them: one per scenario and per example row of an outline, with the
// feature's, the scenario's and the examples' tags.
//   scenariosOf('features/receipts/reprint.feature', text) → [{ uri, line: 9, name: 'Paper runs out …', tags: ['@needs-bank-control', …] }, …]
//   await scenariosIn(['features/**/*.feature'])  // every file the globs match, relative to the working directory

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { glob } from 'glob';
import { MatrixInputError } from './errors.ts';
import type { Scenario } from './types.ts';

/** The scenarios of one feature file's text (`# language:` honoured). */
export function scenariosOf(uri: string, text: string): Scenario[] {
  const newId = IdGenerator.incrementing();
  let document: ReturnType<Parser<unknown>['parse']>;
  try {
    document = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(text);
  } catch (error) {
    // Gherkin says `Parser errors:` then `(4:3): expected: …` lines: the first of these is the one line.
    const lines = (error instanceof Error ? error.message : String(error)).split('\n');
    const at = lines.map((l) => /^\((\d+):\d+\):\s*(.*)$/.exec(l.trim())).find((m) => m !== null);
    throw new MatrixInputError(at ? `${uri}:${at[1]}: ${at[2]}` : `${uri}: ${lines[0]}`);
  }
  return compile(document as Parameters<typeof compile>[0], uri, newId).map((pickle) => ({
    uri,
    line: pickle.location?.line ?? 0,
    name: pickle.name,
    tags: pickle.tags.map((t) => t.name),
  }));
}

/** The scenarios of every feature file the paths (files, folders or globs) name, relative to cwd. */
export async function scenariosIn(paths: readonly string[], cwd = process.cwd()): Promise<Scenario[]> {
  const files = new Set<string>();
  for (const given of paths) {
    const found = await glob(given.endsWith('.feature') ? given : `${given.replace(/\/$/, '')}/**/*.feature`, {
      cwd,
      posix: true,
    });
    if (found.length === 0) throw new MatrixInputError(`${given} matches no feature file`);
    for (const file of found) files.add(path.posix.normalize(file));
  }
  return [...files]
    .sort()
    .flatMap((file) => scenariosOf(file, readFileSync(path.resolve(cwd, file), 'utf8')))
    .sort((a, b) => (a.uri === b.uri ? a.line - b.line : a.uri < b.uri ? -1 : 1));
}
