// The reference texts as the Markdown table docs/steps.md ("Text profiles") shows; a unit test keeps the two equal.
// Its keys are plain text: in docs/steps.md a code span in a table row is a step (test/unit/steps-documented.test.ts).
//   node --import tsx -e "import('./rigs/text/referenceTable.ts').then((m) => console.log(m.referenceTableMarkdown()))"

import { referenceRows } from '../../protocols/ecr/referenceTexts.ts';

/** Display width of a text: East Asian wide and fullwidth characters count two columns (as Markdown formatters do). */
function width(text: string): number {
  let columns = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6);
    columns += wide ? 2 : 1;
  }
  return columns;
}

/** The reference table: profile key, meaning, zh-CN text, en text; one row per reference text. */
export function referenceTableMarkdown(): string {
  const header = ['key', 'meaning', 'zh-CN', 'en'];
  const rows = referenceRows().map((row) => [row.key, row.what, row['zh-CN'], row.en]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((cells) => width(cells[column] ?? ''))));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - width(cell))).join(' | ')} |`;
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
