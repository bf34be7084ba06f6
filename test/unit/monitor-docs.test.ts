// docs/monitor.md lists every rule of the behaviour monitor with its id, clause and wording, as the catalogue has
// them; and every seeded defect has an intended rule that exists (the self-check counts a catch only by it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { intendedRule, rulesIn } from '../../cli/selfcheckIntent.ts';
import { RULE_IDS, RULES } from '../../rigs/monitor/catalogue.ts';
import { TRUTH_RULES } from '../../rigs/truth/index.ts';
import { FEATURE_DEFECTS } from '../../simulators/terminal/index.ts';

const doc = readFileSync('docs/monitor.md', 'utf8');

describe('docs/monitor.md', () => {
  it('has one table row per rule: id, clause, what must hold', () => {
    for (const id of RULE_IDS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${id}\` `));
      assert.ok(row, `no row for ${id}`);
      const cells = row.split('|').map((c) => c.trim());
      assert.equal(cells[2], RULES[id].clause, `${id}: clause`);
      assert.equal(cells[4], RULES[id].rule, `${id}: wording`);
    }
    const rows = doc.split('\n').filter((line) => /^\| `[a-z-]+` /.test(line));
    assert.equal(rows.length, RULE_IDS.length, 'no row for a rule that does not exist');
  });

  it('names the payment-truth rules', () => {
    for (const rule of TRUTH_RULES) assert.ok(doc.includes(`\`${rule}\``), rule);
  });
});

describe('the rule meant to catch each seeded defect', () => {
  it('exists, for every defect', () => {
    const known = new Set<string>([...RULE_IDS, ...TRUTH_RULES]);
    for (const defect of FEATURE_DEFECTS)
      assert.ok(known.has(intendedRule(defect)), `${defect}: ${intendedRule(defect)}`);
  });

  it('is read from bracketed ids, once each, ignoring one-word brackets', () => {
    assert.deepEqual(rulesIn('[copy-once] x [swallow] [copy-once] [pending-reversal]'), [
      'copy-once',
      'pending-reversal',
    ]);
  });
});
