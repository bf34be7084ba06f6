// `posrig report`: builds the Allure HTML report of one or more runs — a folder to serve (reports/allure-report) and
// one self-contained file (reports/allure-report-single/index.html) — carrying the trend history of the previous
// report in the output folder, and the certification matrix of the runs beside it (matrix.html, linked from the report's
// page; matrix.csv). Needs Java 17 (Allure 2). Exit 0; 2 with one line `posrig report: …` for a missing
// results folder, a missing Java or a failed generation.
//   npx posrig report                                            # reports/allure-results → reports/allure-report
//   npx posrig report --reports reports/sim-pty                   # reports/sim-pty/allure-results → …/allure-report
//   npx posrig report --results reports/a/allure-results --results reports/b/allure-results --output reports/all

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildAllureReport, ReportError } from '../reporting/allure/allureReport.ts';
import { featuresRun, MatrixInputError } from '../reporting/matrix/index.ts';
import { collect } from './commandLine.ts';
import { writeMatrixPages } from './matrix.ts';

interface ReportCommandOptions {
  readonly reports: string;
  readonly results?: readonly string[];
  readonly output?: string;
}

/** Adds the `report` command. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('build the Allure HTML report (and a single-file copy) from Allure results; needs Java 17')
    .option(
      '--reports <dir>',
      "the run's reports folder: results from <dir>/allure-results, report to <dir>/allure-report",
      'reports',
    )
    .option(
      '--results <dir>',
      'an Allure results folder (repeatable: one report over all); default <reports>/allure-results',
      collect,
    )
    .option('--output <dir>', 'the report folder (its history/ is carried on); default <reports>/allure-report')
    .showHelpAfterError(false)
    .configureOutput({
      outputError: (text, write) =>
        write(`posrig report: ${text.replace(/^error: /, '').trim()} (see posrig report --help)\n`),
    })
    .action(async (options: ReportCommandOptions) => {
      process.exitCode = await report(options);
    });
}

async function report(options: ReportCommandOptions): Promise<number> {
  const results = options.results?.length ? options.results : [path.join(options.reports, 'allure-results')];
  const output = options.output ?? path.join(options.reports, 'allure-report');
  try {
    const built = await buildAllureReport({ results, output });
    const matrix = await matrixBeside(built.report, results);
    console.error(`posrig report: ${built.report}/index.html and ${built.singleFile}${matrix}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ReportError)) throw error;
    console.error(`posrig report: ${error.message}`);
    return 2;
  }
}

/** The certification matrix of the runs beside the report (matrix.html, matrix.csv) — the features they ran, by the
 * runs' results — linked from its page; what was written, for the ready line. A results folder with no cucumber.json beside it: one line, and no matrix. */
export async function matrixBeside(report: string, results: readonly string[]): Promise<string> {
  const runs = results.map((r) => path.dirname(r));
  try {
    await writeMatrixPages(report, runs, featuresOf(runs));
  } catch (error) {
    if (!(error instanceof MatrixInputError)) throw error;
    console.error(`posrig report: no certification matrix: ${error.message}`);
    return '';
  }
  linkMatrix(path.join(report, 'index.html'));
  return `; certification matrix ${report}/matrix.html`;
}

/** The features the runs ran (their cucumber.json), those still there; every feature when none is known. */
function featuresOf(runs: readonly string[]): string[] | undefined {
  const run = runs.flatMap((folder) => {
    const json = path.join(folder, 'cucumber.json');
    return existsSync(json) ? featuresRun(readFileSync(json, 'utf8')) : [];
  });
  const there = [...new Set(run)].filter((feature) => existsSync(feature));
  return there.length > 0 ? there : undefined;
}

/** A link to the matrix on every page of the Allure report (its one index.html), top right. */
function linkMatrix(index: string): void {
  const page = readFileSync(index, 'utf8');
  if (page.includes(MATRIX_LINK)) return;
  writeFileSync(index, page.replace('</body>', `${MATRIX_LINK}\n</body>`));
}

const MATRIX_LINK =
  '<a id="posrig-matrix" href="matrix.html" style="position:fixed;top:8px;right:16px;z-index:1000;padding:6px 12px;' +
  'border-radius:4px;background:#1f6feb;color:#fff;font:600 13px sans-serif;text-decoration:none">Certification matrix</a>';
