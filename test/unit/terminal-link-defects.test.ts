// The stream a seeded link defect stands in lets go of the terminal's port when the terminal's link does: a power
// cycle must not leave the last power-on's wrapper reading the port (each would act on every frame again, and a long
// exploration would pile them up).
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { EcrLink } from '../../protocols/ecr/index.ts';
import type { DefectSet } from '../../simulators/terminal/defects.ts';
import { withLinkDefects } from '../../simulators/terminal/linkDefects.ts';

describe('withLinkDefects', () => {
  for (const defect of ['no-nak', 'duplicate-acted', 'link-no-crc-check'] as const) {
    it(`${defect}: each power cycle's wrapper lets go of the port when its link closes`, () => {
      const port = new PassThrough();
      for (let cycle = 0; cycle < 12; cycle++) {
        const stream = withLinkDefects(port, new Set([defect]) as DefectSet);
        assert.notEqual(stream, port, 'a defect puts a wrapper between port and link');
        const link = new EcrLink(stream);
        assert.equal(port.listenerCount('data'), 1);
        assert.equal(port.listenerCount('close'), 1);
        link.close();
        assert.equal(port.listenerCount('data'), 0, `cycle ${cycle}: the wrapper still reads the port`);
        assert.equal(port.listenerCount('close'), 0);
      }
    });
  }
});
