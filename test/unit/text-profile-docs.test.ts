// docs/steps.md ("Text profiles") shows the one reference table of protocols/ecr/referenceTexts.ts, row for row.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { referenceRows } from '../../protocols/ecr/referenceTexts.ts';
import { referenceTableMarkdown } from '../../rigs/text/referenceTable.ts';

const doc = readFileSync('docs/steps.md', 'utf8');
const START = '<!-- reference texts: start -->\n';
const END = '\n<!-- reference texts: end -->';

function docTable(): string {
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  assert.ok(from >= 0 && to > from, 'docs/steps.md has no reference texts table between its markers');
  return doc.slice(from + START.length, to);
}

describe('docs/steps.md reference texts', () => {
  it('has one row per reference text with its key, meaning, zh-CN and en text', () => {
    const rows = docTable()
      .split('\n')
      .slice(2)
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    assert.deepEqual(
      rows,
      referenceRows().map((row) => [row.key, row.what, row['zh-CN'], row.en]),
    );
  });

  it('is the generated table, as generated (print it: see rigs/text/referenceTable.ts)', () => {
    assert.equal(docTable(), referenceTableMarkdown());
  });
});
