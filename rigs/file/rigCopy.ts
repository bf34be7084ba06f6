// A copy of a rig file with seeded firmware defects switched on in its simulated terminal: how `posrig selfcheck`
// and `posrig explore --defect` run clean-firmware scenarios against a defective terminal. The copy lives in another
// folder, so the paths the rig file gives relative to its own folder become absolute; it gets its own name (and so
// its own scratch folders under .posrig/).
//   writeFileSync('reports/x/rig.yaml', rigCopyText('rigs/sim-serial.yaml', { name: 'sim-serial-double-print', defects: ['double-print'] }));

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';

export interface RigCopyOptions {
  /** The copy's rig name. */
  readonly name: string;
  /** The seeded defects of its simulated terminal ([] clean firmware). */
  readonly defects: readonly string[];
  /** A folder for its own ledger file, when the rig keeps its ledger in a file (not ":memory:"). */
  readonly ledgerFolder?: string | undefined;
  /** Lets the fault proxy listen on an ephemeral port instead of the rig file's fixed one (copies run side by side). */
  readonly ephemeralFaults?: boolean;
}

/** The rig file's text with the defects on; the source's name keeps its place, suffixed. */
export function rigCopyText(source: string, options: RigCopyOptions): string {
  const doc = parseDocument(readFileSync(source, 'utf8'));
  doc.setIn(['name'], options.name);
  doc.setIn(['terminal', 'simulate', 'defects'], [...options.defects]);
  for (const key of [['cards'], ['terminal', 'texts']]) {
    const given = doc.getIn(key);
    if (typeof given === 'string') doc.setIn(key, path.resolve(path.dirname(source), given));
  }
  const ledger = doc.getIn(['host', 'simulate', 'ledger']);
  if (options.ledgerFolder && typeof ledger === 'string' && ledger !== ':memory:')
    doc.setIn(['host', 'simulate', 'ledger'], path.join(options.ledgerFolder, path.basename(ledger)));
  if (options.ephemeralFaults && doc.getIn(['host', 'faults', 'listen']) !== undefined)
    doc.setIn(['host', 'faults'], true);
  return doc.toString();
}

/** True when the rig keeps its simulated ledger in a file (a copy then needs a ledger file of its own). */
export function ledgerInFile(source: string): boolean {
  const ledger = parseDocument(readFileSync(source, 'utf8')).getIn(['host', 'simulate', 'ledger']);
  return typeof ledger === 'string' && ledger !== ':memory:';
}
