// The matrix as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled):
// one row per requirement × what verifies it, one result column per rig; an uncovered requirement is one row with
// an empty scenario.
//   writeFileSync('matrix.csv', matrixCsv(matrix));
//   family,requirement,clause,text,status,verified by,scenario,sim-serial
//   monitor,copy-once,§15.4,"each copy is printed once; …",verified,features/receipts/reprint.feature:9,Paper runs out …,passed

import type { Matrix } from './types.ts';

/** One CSV field, quoted when it must be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The whole matrix as CSV text. */
export function matrixCsv(matrix: Matrix): string {
  const rigColumns = matrix.rigs.length > 0 ? matrix.rigs : ['result'];
  const lines: string[][] = [
    ['family', 'requirement', 'clause', 'text', 'status', 'verified by', 'scenario', ...rigColumns],
  ];
  for (const { requirement: r, status, verifications } of matrix.rows) {
    const head = [r.family, r.id, r.clause, r.text, status];
    if (verifications.length === 0) lines.push([...head, '', '', ...rigColumns.map(() => '')]);
    for (const v of verifications)
      lines.push([...head, v.where, v.name, ...(v.runs.length > 0 ? v.runs : ['not run'])]);
  }
  return lines.map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('');
}
