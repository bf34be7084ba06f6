// The report PAN scan's speed (reporting/panScan.ts): how long `scanForPans` takes over a reports folder — the first
// call (what `posrig run` pays: once per run, the code not yet optimised) and the median of the calls after it.
// Speed only: that the fast scan finds what the plain one found is test/unit/report-pan-scan-reference.test.ts.
//   node --import tsx bench/panScan.ts [reports-folder] [calls]   # default: reports (the last run), 5 calls
//   panScanFigures('reports', 5)  → ['report PAN scan of reports: 3 files, 7.9 MB, 0 leaks: first call 180 ms, …']

import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { filesUnder, scanForPans } from '../reporting/panScan.ts';
import { median } from './purchase.ts';

/** One line: the folder's size, the first call's time and the median of the next `calls`. */
export function panScanFigures(folder: string, calls = 5): string[] {
  const files = filesUnder(folder);
  if (files.length === 0) return [`report PAN scan: no files under ${folder} (run \`posrig run\` first)`];
  const megabytes = files.reduce((sum, file) => sum + statSync(file).size, 0) / 1e6;
  const times: number[] = [];
  let leaks = 0;
  for (let i = 0; i <= calls; i++) {
    const started = performance.now();
    leaks = scanForPans(folder).length;
    times.push(performance.now() - started);
  }
  const [first = 0, ...after] = times;
  return [
    `report PAN scan of ${folder}: ${files.length} files, ${megabytes.toFixed(1)} MB, ${leaks} leaks: ` +
      `first call ${first.toFixed(0)} ms, median of the next ${after.length} ${median(after).toFixed(0)} ms ` +
      `(${after.map((t) => t.toFixed(0)).join(', ')})`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(panScanFigures(process.argv[2] ?? 'reports', Number(process.argv[3] ?? 5)).join('\n'));
}
