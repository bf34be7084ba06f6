// The matrix's pages in a report folder: matrix.html and matrix.csv beside the Allure report's index.html.
//   writeMatrixFiles('reports/allure-report', matrix, { title: 'posrig nightly' }) → ['…/matrix.html', '…/matrix.csv']

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { matrixCsv } from './csv.ts';
import { type HtmlOptions, matrixHtml } from './html.ts';
import type { Matrix } from './types.ts';

/** Writes matrix.html and matrix.csv into the folder (made if missing); returns their paths. */
export function writeMatrixFiles(folder: string, matrix: Matrix, options: HtmlOptions = {}): string[] {
  mkdirSync(folder, { recursive: true });
  const html = path.join(folder, 'matrix.html');
  const csv = path.join(folder, 'matrix.csv');
  writeFileSync(html, matrixHtml(matrix, options));
  writeFileSync(csv, matrixCsv(matrix));
  return [html, csv];
}
