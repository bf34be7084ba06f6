// --parallel hands out the scenarios longest first, by the durations an earlier run's cucumber.json holds.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Location, Pickle } from '@cucumber/messages';
import plugin, { longestFirst, scenarioDurations } from '../../cli/longestFirst.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-longest-'));

function scenario(uri: string, line: number): { pickle: Pickle; location: Location } {
  return { pickle: { uri, name: `${uri}:${line}` } as Pickle, location: { line } };
}

describe('longest first', () => {
  it("reads each scenario's duration from cucumber.json: the sum of its steps, by feature and line", () => {
    const file = path.join(folder, 'cucumber.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          uri: 'features/pin.feature',
          elements: [
            { line: 8, steps: [{ result: { duration: 1_000 } }, { result: { duration: 2_000 } }, { result: {} }] },
            { line: 20, steps: [{ result: { duration: 5_000 } }] },
          ],
        },
        { uri: 'features/empty.feature' },
      ]),
    );
    assert.deepEqual(scenarioDurations(file), { 'features/pin.feature:8': 3_000, 'features/pin.feature:20': 5_000 });
  });

  it('no durations from a missing, broken or foreign file', () => {
    assert.deepEqual(scenarioDurations(path.join(folder, 'none.json')), {});
    const broken = path.join(folder, 'broken.json');
    writeFileSync(broken, '[{"uri": "features/a.feature", "elem');
    assert.deepEqual(scenarioDurations(broken), {});
    const foreign = path.join(folder, 'foreign.json');
    writeFileSync(foreign, '{"features": 3}');
    assert.deepEqual(scenarioDurations(foreign), {});
  });

  it('orders longest first, scenarios with no duration before all, ties in the order given', () => {
    const a = scenario('features/a.feature', 3);
    const b = scenario('features/a.feature', 9);
    const c = scenario('features/b.feature', 3);
    const d = scenario('features/c.feature', 5);
    const durations = { 'features/a.feature:3': 10, 'features/a.feature:9': 30, 'features/b.feature:3': 10 };
    assert.deepEqual(longestFirst([a, b, c, d], durations), [d, b, a, c]);
    assert.deepEqual(longestFirst([a, b, c, d], {}), [a, b, c, d]);
  });

  it("is a cucumber plugin that reorders the scenarios on 'pickles:order'", async () => {
    const registered: Array<[string, (s: readonly { pickle: Pickle; location: Location }[]) => Promise<unknown[]>]> =
      [];
    plugin.coordinator({
      transform: (event, reorder) => registered.push([event, reorder]),
      options: { longestFirst: { 'features/a.feature:9': 2, 'features/a.feature:3': 1 } },
    });
    assert.equal(registered.length, 1);
    const [event, reorder] = registered[0] ?? [];
    assert.equal(event, 'pickles:order');
    const a = scenario('features/a.feature', 3);
    const b = scenario('features/a.feature', 9);
    assert.deepEqual(await reorder?.([a, b]), [b, a]);
  });
});
