import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localDateTime, localTimeOfDay } from '../../protocols/domain/time.ts';

describe('time formats', () => {
  it('shows local date and time the way a terminal prints it, and log timestamps with milliseconds', () => {
    const at = new Date(2025, 0, 2, 3, 4, 5, 6);
    assert.equal(localDateTime(at), '2025-01-02 03:04:05');
    assert.equal(localTimeOfDay(at), '03:04:05.006');
  });
});
