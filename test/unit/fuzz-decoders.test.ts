// The fuzz properties of `npm run fuzz` (bench/fuzz/), a short deterministic run of each decoder: ECR frames and
// messages, ISO 8583 bodies, TCP framing, DE54, MQTT input. A failure prints the replay command and the shrunk input.
// Below them, the exact inputs of what the fuzzer found, kept as regression tests.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure, runTarget } from '../../bench/fuzz/runner.ts';
import { FUZZ_TARGETS } from '../../bench/fuzz/targets.ts';
import { availableBalance, parseAdditionalAmounts } from '../../protocols/iso8583/index.ts';

const INPUTS = 2000;
const SEED = 20261202;

describe('decoders under fuzz (fast-check, fixed seed)', () => {
  for (const target of FUZZ_TARGETS) {
    it(`${target.name}: ${target.what}`, () => {
      const result = runTarget(target, { inputs: INPUTS, seed: SEED });
      assert.equal(result.failure, undefined, describeFailure(result));
      assert.equal(result.inputs, INPUTS);
      if (target.bufferLimit !== undefined) assert.ok((result.maxBuffer ?? 0) < target.bufferLimit);
    });
  }
});

describe('what the fuzzer found', () => {
  it('iso8583.de54: a debit of zero ("0000156D000000000000") is an amount of 0, not -0', () => {
    const [block] = parseAdditionalAmounts('0000156D000000000000');
    assert.ok(block);
    assert.ok(
      Object.is(block.amount.minor, 0),
      `minor is ${Object.is(block.amount.minor, -0) ? '-0' : block.amount.minor}`,
    );
    assert.deepStrictEqual(availableBalance('1002156D000000000000'), { minor: 0, currency: 'CNY' });
  });
});
