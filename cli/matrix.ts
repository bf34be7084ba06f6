// `posrig matrix`: the certification matrix. Requirement by requirement (rigs/certification: the success signals, the
// monitor's and the invariant's rules, the conformance checks), the scenarios whose `@req:` tags say they verify it,
// how each ended in each results folder given (one per rig), and the requirement's status; uncovered ones at the end.
// Exit 0; 1 with --fail-uncovered when a requirement is not covered; 2 with one line `posrig matrix: …` for a usage
// error (bad format, a path matching no feature, a results folder without cucumber.json, an unknown @req id).
//   npx posrig matrix                                                   # the features' tags, and the results in reports/
//                                                                       # when `posrig run` left some there
//   npx posrig matrix --reports reports/nightly/sim-serial --reports reports/nightly/sim-pty --format html --output m.html
//   npx posrig matrix --format csv features/receipts > receipts.csv
// `writeMatrixPages(reportDir, resultsDirs)` writes matrix.html and matrix.csv into a report folder (`posrig report`).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  computeMatrix,
  type Matrix,
  MatrixInputError,
  matrixCsv,
  matrixHtml,
  matrixText,
  readRigRuns,
  scenariosIn,
  uncovered,
  writeMatrixFiles,
} from '../reporting/matrix/index.ts';
import { REQUIREMENTS, SCENARIO_REQUIREMENT_IDS } from '../rigs/certification/requirements.ts';
import { collect } from './commandLine.ts';
import { tagProblems } from './featureLint.ts';

interface MatrixCommandOptions {
  readonly reports: string[];
  readonly format: string;
  readonly output?: string;
  readonly failUncovered?: boolean;
}

const FORMATS = ['text', 'csv', 'html'] as const;
const DEFAULT_FEATURES = ['features/**/*.feature'];

/** What `posrig run` writes by default: read when no --reports is given. */
const DEFAULT_RUN_RESULTS = 'reports/cucumber.json';

/** Adds the `matrix` command. */
export function registerMatrix(program: Command): void {
  program
    .command('matrix')
    .description('the certification matrix: requirement by requirement, the scenarios that check it')
    .argument('[paths...]', 'feature files, folders or globs', DEFAULT_FEATURES)
    .option(
      '--reports <dir>',
      'a results folder with cucumber.json, one per rig (repeatable; default: reports/ when it holds a run)',
      collect,
      [],
    )
    .option('--format <format>', FORMATS.join(', '), 'text')
    .option('--output <file>', 'write the matrix to this file instead of standard output')
    .option('--fail-uncovered', 'exit 1 when a requirement is covered by no scenario')
    .action(async (paths: string[], options: MatrixCommandOptions) => {
      try {
        process.exitCode = await matrixCommand(paths, options);
      } catch (error) {
        if (!(error instanceof MatrixInputError)) throw error;
        console.error(`posrig matrix: ${error.message}`);
        process.exitCode = 2;
      }
    });
}

async function matrixCommand(paths: string[], options: MatrixCommandOptions): Promise<number> {
  const format = options.format;
  if (!(FORMATS as readonly string[]).includes(format))
    throw new MatrixInputError(`--format must be ${FORMATS.join(', ')}, got "${format}"`);
  // After `posrig run`, `posrig matrix` alone shows that run: its default reports folder, when it holds results.
  const reports = options.reports.length > 0 || !existsSync(DEFAULT_RUN_RESULTS) ? options.reports : ['reports'];
  const matrix = await certificationMatrix(paths, reports);
  const text =
    format === 'csv'
      ? matrixCsv(matrix)
      : format === 'html'
        ? matrixHtml(matrix, { subtitle: madeFrom(reports) })
        : matrixText(matrix);
  if (options.output) writeOutput(options.output, text);
  else {
    // `posrig matrix | head`: a reader that stops early is not an error
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
    process.stdout.write(text);
  }
  return options.failUncovered && uncovered(matrix).length > 0 ? 1 : 0;
}

/** --output: the file written, or one line naming it and why not. */
function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new MatrixInputError(`--output ${file}: cannot write it (${code})`);
  }
}

/** The matrix of these features (default every feature) and results folders; an unknown `@req:` id is refused. */
export async function certificationMatrix(
  features: readonly string[] = DEFAULT_FEATURES,
  resultsDirs: readonly string[] = [],
): Promise<Matrix> {
  const scenarios = await scenariosIn(features);
  for (const uri of new Set(scenarios.map((s) => s.uri))) refuseUnknownTags(uri);
  return computeMatrix({ requirements: REQUIREMENTS, scenarios, runs: readRigRuns(resultsDirs) });
}

/** Writes matrix.html and matrix.csv into the report folder, from every feature and these results folders. */
export async function writeMatrixPages(
  reportDir: string,
  resultsDirs: readonly string[],
  features: readonly string[] = DEFAULT_FEATURES,
): Promise<string[]> {
  const matrix = await certificationMatrix(features, resultsDirs);
  return writeMatrixFiles(reportDir, matrix, { subtitle: madeFrom(resultsDirs) });
}

/** The first tag naming no requirement (the feature lint of `posrig run` says the same), as `file:line: …`. */
function refuseUnknownTags(uri: string): void {
  const lines = readFileSync(uri, 'utf8').split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (!line.trim().startsWith('@')) continue;
    const problem = tagProblems(line.trim(), SCENARIO_REQUIREMENT_IDS)[0];
    if (problem) throw new MatrixInputError(`${uri}:${index + 1}: ${problem}`);
  }
}

function madeFrom(resultsDirs: readonly string[]): string {
  const from =
    resultsDirs.length > 0 ? `results of ${resultsDirs.map((d) => path.normalize(d)).join(', ')}` : 'no results';
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${from}`;
}
