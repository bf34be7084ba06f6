import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStan, MemoryStanCounter, nextStanValue, StanError } from '../../simulators/terminal/index.ts';

describe('terminal STAN counter', () => {
  it('starts at 000001 and counts up', () => {
    const stans = new MemoryStanCounter();
    assert.equal(stans.current, null);
    assert.deepEqual([stans.next(), stans.next(), stans.next()], ['000001', '000002', '000003']);
    assert.equal(stans.current, '000003');
  });

  it('wraps from 999999 to 000001, never 000000', () => {
    const stans = new MemoryStanCounter(999_998);
    assert.deepEqual([stans.next(), stans.next(), stans.next()], ['999999', '000001', '000002']);
    assert.equal(nextStanValue(999_999), 1);
  });

  it('refuses values outside the 6-digit range', () => {
    assert.throws(() => formatStan(0), StanError);
    assert.throws(() => formatStan(1_000_000), /outside 1\.\.999999/);
    assert.throws(() => new MemoryStanCounter(-1), StanError);
    assert.throws(() => new MemoryStanCounter(1.5), StanError);
  });
});
