// Doctor checks 1: the rig file loads and the cards fixture it names loads. A ConfigFileError becomes one ✘ line per
// problem, each already naming file:line and key.
//   const { checks, rig, cards } = checkRigFile('rigs/lab-07.yaml');

import path from 'node:path';
import { type CardBook, loadCardBook } from '../file/cardBook.ts';
import { loadRigFile, type RigFile } from '../file/rigFile.ts';
import { ConfigFileError } from '../file/yamlFile.ts';
import { type Check, failed, passed, reasonOf } from './check.ts';

export interface RigFileChecks {
  readonly checks: Check[];
  /** The rig file, when it loads. */
  readonly rig?: RigFile;
  /** Its cards, when they load. */
  readonly cards?: CardBook;
}

/** Loads the rig file, then its cards. */
export function checkRigFile(file: string): RigFileChecks {
  let rig: RigFile;
  try {
    rig = loadRigFile(file);
  } catch (error) {
    return { checks: problemChecks('rig file', error, 'edit the key it names (docs/architecture.md "Rig files")') };
  }
  const checks = [passed('rig file', `${rig.file} loads (rig ${rig.name})`)];
  try {
    const cards = loadCardBook(rig.cards);
    const count = cards.all().length;
    checks.push(passed('cards', `${shown(rig.cards)}: ${count} test card${count === 1 ? '' : 's'}`));
    return { checks, rig, cards };
  } catch (error) {
    checks.push(
      ...problemChecks('cards', error, `edit the card it names, or point cards: in ${rig.file} at another file`),
    );
    return { checks, rig };
  }
}

/** A path as short as it can be said: relative to the working directory when it lies inside it. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** One ✘ line per problem of a ConfigFileError (its lines name file:line and key), else one for the error. */
function problemChecks(part: string, error: unknown, fix: string): Check[] {
  if (error instanceof ConfigFileError) return error.problems.map((problem) => failed(part, problem, fix));
  return [failed(part, reasonOf(error), fix)];
}
