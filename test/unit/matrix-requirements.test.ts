// The requirement catalogue (rigs/certification): every rule, check and signal once, worded by the table that judges it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  CONFORMANCE_PREFIX,
  REQUIREMENTS,
  requirement,
  SCENARIO_REQUIREMENT_IDS,
} from '../../rigs/certification/requirements.ts';
import { CHECK_IDS, CHECKS } from '../../rigs/conformance/checks.ts';
import { RULE_IDS, RULES } from '../../rigs/monitor/catalogue.ts';
import { TRUTH_RULES } from '../../rigs/truth/paymentTruth.ts';

const ids = (family: string) => REQUIREMENTS.filter((r) => r.family === family).map((r) => r.id);

describe('the requirement catalogue', () => {
  it('has the four signals, every monitor rule, every invariant rule and every conformance check, once each', () => {
    assert.deepEqual(ids('signal'), ['signal-display', 'signal-receipt', 'signal-voice', 'signal-balances']);
    assert.deepEqual(ids('monitor'), RULE_IDS);
    assert.deepEqual(ids('truth'), TRUTH_RULES);
    assert.deepEqual(
      ids('conformance'),
      CHECK_IDS.map((id) => `${CONFORMANCE_PREFIX}${id}`),
    );
    assert.equal(new Set(REQUIREMENTS.map((r) => r.id)).size, REQUIREMENTS.length);
  });

  it('takes clause and wording from the monitor and conformance tables', () => {
    assert.deepEqual(requirement('copy-once'), {
      id: 'copy-once',
      family: 'monitor',
      clause: RULES['copy-once'].clause,
      text: RULES['copy-once'].rule,
    });
    assert.equal(requirement('conformance/nak-bad-crc')?.text, CHECKS['nak-bad-crc'].must);
    assert.equal(requirement('conformance/event-valid')?.family, 'conformance');
    assert.equal(requirement('event-valid')?.family, 'monitor');
  });

  it('gives every requirement a clause and a one-line text', () => {
    for (const r of REQUIREMENTS) {
      assert.ok(r.clause.length > 0, `${r.id}: clause`);
      assert.ok(r.text.length > 0 && !r.text.includes('\n'), `${r.id}: text`);
    }
  });

  it('lets scenarios declare every requirement but the conformance checks', () => {
    assert.ok(SCENARIO_REQUIREMENT_IDS.includes('signal-voice'));
    assert.ok(SCENARIO_REQUIREMENT_IDS.includes('reprint-moved-money'));
    assert.ok(!SCENARIO_REQUIREMENT_IDS.some((id) => id.startsWith(CONFORMANCE_PREFIX)));
    assert.equal(SCENARIO_REQUIREMENT_IDS.length, 4 + RULE_IDS.length + TRUTH_RULES.length);
  });
});

describe('docs/monitor.md', () => {
  it('lists every signal and invariant rule with its clause and wording, as the catalogue has them', () => {
    const doc = readFileSync('docs/monitor.md', 'utf8').split('\n');
    for (const r of REQUIREMENTS.filter((r) => r.family === 'signal' || r.family === 'truth'))
      assert.ok(doc.includes(`- \`${r.id}\` (${r.clause}): ${r.text}`), r.id);
  });
});
