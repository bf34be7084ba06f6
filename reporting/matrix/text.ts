// The matrix as an aligned text table, family by family; the requirements no scenario covers listed at the end.
//   console.log(matrixText(matrix));
//   requirement     clause             status    sim-serial  scenario
//   copy-once       §15.4              verified  passed      features/receipts/reprint.feature:9  Paper runs out …

import { statusCounts, uncovered } from './compute.ts';
import { FAMILIES, type Matrix, type MatrixRow } from './types.ts';

/** The whole matrix as text. */
export function matrixText(matrix: Matrix): string {
  const rigColumns = matrix.rigs.length > 0 ? matrix.rigs : ['result'];
  const header = ['requirement', 'clause', 'status', ...rigColumns, 'scenario'];
  const out: string[] = [summaryLine(matrix), ''];
  for (const { family, title } of FAMILIES) {
    const rows = matrix.rows.filter((r) => r.requirement.family === family);
    if (rows.length === 0) continue;
    out.push(`${family}: ${title}`, ...alignedTable([header, ...rows.flatMap((r) => cells(r, rigColumns.length))]), '');
  }
  const missing = uncovered(matrix);
  if (missing.length > 0) {
    out.push(`Not covered by any scenario (${missing.length}):`);
    out.push(...alignedTable(missing.map((r) => [r.id, r.clause, r.text])));
  } else out.push('Every requirement is covered by a scenario or the conformance run.');
  return `${out.join('\n')}\n`;
}

/** `Certification matrix: 61 requirements, 2 rigs (sim-serial, sim-pty): 40 verified, 1 failing, …` */
export function summaryLine(matrix: Matrix): string {
  const counts = Object.entries(statusCounts(matrix))
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const rigs =
    matrix.rigs.length === 0
      ? 'no results'
      : `${matrix.rigs.length} rig${matrix.rigs.length > 1 ? 's' : ''} (${matrix.rigs.join(', ')})`;
  return `Certification matrix: ${matrix.rows.length} requirements, ${rigs}: ${counts}`;
}

function cells(row: MatrixRow, rigCount: number): string[][] {
  const { requirement, status, verifications } = row;
  if (verifications.length === 0)
    return [[requirement.id, requirement.clause, status, ...Array(rigCount).fill('—'), '—']];
  return verifications.map((v, i) => [
    i === 0 ? requirement.id : '',
    i === 0 ? requirement.clause : '',
    i === 0 ? status : '',
    ...(v.runs.length > 0 ? v.runs : ['not run']),
    `${v.where}  ${v.name}`,
  ]);
}

/** Rows padded to their columns' widths (by code point; the last column is not padded). */
function alignedTable(rows: readonly string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows.map((r) =>
    `  ${r.map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat((widths[c] ?? 0) - [...cell].length))).join('  ')}`.trimEnd(),
  );
}
