// A command the terminal refused with an `error` naming it in `ref` (docs/protocol.md section 11): the step that sent
// it fails with the terminal's reason. Who is to blame depends on the code: a command refused as not possible now
// (wrong state, another currency, no receipt yet) is the scenario's doing; a valid command refused as invalid is the
// firmware's.
//   throw new TerminalRefusal('input.keys', 'wrong-state', 'no PIN prompt');

import { type Culprit, Verdict } from '../verdict/culprit.ts';

/** Codes by which the terminal says a valid command cannot be carried out now: the scenario asked for it. */
const SCENARIO_CODES = new Set([
  'busy',
  'wrong-state',
  'currency',
  'amount',
  'card-read',
  'no-receipt',
  'no-result',
  'unsupported',
]);

export class TerminalRefusal extends Verdict {
  override name = 'TerminalRefusal';
  readonly culprit: Culprit;

  constructor(
    readonly command: string,
    readonly code: string,
    reason: string,
  ) {
    const blame = SCENARIO_CODES.has(code)
      ? ''
      : ' (posrig sent a valid command: the firmware must carry it out or refuse it as not possible now)';
    super(`the terminal refused "${command}": ${code}: ${reason}${blame}`);
    this.culprit = SCENARIO_CODES.has(code) ? 'scenario error' : 'firmware defect';
  }
}
