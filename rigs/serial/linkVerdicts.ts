// Fails the terminal's history as soon as the terminal breaks a link rule in answer to an injected link fault, so
// the step waiting at that moment (and every later wait) fails naming the rule and its clause, as the driver's own
// checks do: "firmware defect: [link-nak] docs/protocol.md §4.5, §11: the damaged (bad CRC) frame SEQ 3 …".
// The rules themselves live once, in rigs/monitor/linkRules.ts; this only runs them as things happen.
//   watchLinkRules(linkFaults, link, terminal.history);

import type { EcrLink } from '../../protocols/ecr/index.ts';
import { RULES } from '../monitor/catalogue.ts';
import { linkFindings } from '../monitor/linkRules.ts';
import type { EventHistory } from '../terminal/eventHistory.ts';
import { FirmwareDefect } from '../verdict/culprit.ts';
import type { LinkFaults } from './linkFaults.ts';

/** Judges the link observations against the history on every change of either (register after the driver, so a
 * message is in the history when it is judged). */
export function watchLinkRules(faults: LinkFaults, link: EcrLink, history: EventHistory): void {
  const judge = () => {
    if (history.failure) return;
    const [first] = linkFindings(faults.observations(), history.all());
    const clause = first && `docs/protocol.md ${RULES[first.rule].clause}`;
    if (first) history.fail(new FirmwareDefect(`[${first.rule}] ${clause}: ${first.message}`));
  };
  faults.onChange(judge);
  link.on('message', judge);
}
