// The behaviour monitor: beside the payment-truth invariant, every rule of the catalogue (catalogue.ts) is judged
// over every scenario, whatever its steps said. Pure: the caller gathers the evidence once the transaction has ended.
//   const report = checkBehaviour(evidence, linkFindings);
//   if (report.findings.length > 0) throw monitorError(report, evidence);
// A rule that needs what the rig cannot see (the network trace on a rig without a proxy or simulated host) is not
// judged, and the report says which.

import { maskPansIn } from '../../protocols/domain/pan.ts';
import { localTimeOfDay } from '../../protocols/domain/time.ts';
import { formatRecord } from '../terminal/eventHistory.ts';
import { FirmwareDefect, RigFault, type Verdict } from '../verdict/culprit.ts';
import { RULES } from './catalogue.ts';
import type { MonitorEvidence } from './evidence.ts';
import { type Finding, finding, networkWords } from './finding.ts';
import { hostFindings } from './hostRules.ts';
import { outcomeFindings } from './outcomeRules.ts';
import { reprintFindings } from './reprintRules.ts';
import { reversalFindings } from './reversalRules.ts';
import { scenarioModel } from './scenarioModel.ts';

export interface MonitorReport {
  /** Broken rules, in time order. */
  readonly findings: readonly Finding[];
  /** What could not be judged, and why (e.g. no view of the network). */
  readonly notJudged: readonly string[];
}

/** Judges every rule over a scenario's evidence; `more` are findings judged elsewhere (the serial link's). */
export function checkBehaviour(evidence: MonitorEvidence, more: readonly Finding[] = []): MonitorReport {
  const model = scenarioModel(evidence);
  const findings = [
    ...tidFindings(evidence),
    ...outcomeFindings(model, evidence),
    ...reprintFindings(model),
    ...hostFindings(model, evidence),
    ...reversalFindings(model),
    ...more,
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const notJudged = evidence.network
    ? []
    : [
        'the rules that need the network trace (host answers, reversals, power-up order): posrig cannot see the network on this rig',
      ];
  return { findings, notJudged };
}

/** The TID in `info` is the one the terminal sends as DE41 (else a firmware defect), and the rig's (else a rig fault). */
function tidFindings(evidence: MonitorEvidence): Finding[] {
  // DE41 is 8 characters, a shorter TID space-padded: the same TID as in `info`
  const sent = new Set(
    (evidence.network ?? []).flatMap((m) =>
      m.direction === 'request' && m.fields?.[41] ? [m.fields[41].trimEnd()] : [],
    ),
  );
  if (sent.size === 0) return []; // nothing to compare with in this scenario
  const found: Finding[] = [];
  for (const r of evidence.records) {
    const m = r.message;
    if (r.dir !== 'in' || m.type !== 'info') continue;
    if (!sent.has(m.tid)) {
      found.push(
        finding(
          'info-tid',
          r.at,
          `the terminal's info says TID ${m.tid} but it sends DE41 ${[...sent].join(', ')} to the host`,
        ),
      );
    } else if (m.tid !== evidence.rig.tid.trimEnd()) {
      found.push(
        finding(
          'info-tid',
          r.at,
          `the terminal is ${m.tid} (info and DE41) but the rig file says terminal.id ${evidence.rig.tid}: wrong terminal or wrong rig file`,
          'rig fault',
        ),
      );
    }
    break; // one info says it: every answer to the barrier repeats it
  }
  return found;
}

/** The scenario's failure: a firmware defect naming every broken rule, or a rig fault when only the rig is wrong. */
export function monitorError(report: MonitorReport, evidence: MonitorEvidence): Verdict {
  const firmware = report.findings.some((f) => f.culprit === 'firmware defect');
  const text = monitorText(report, evidence);
  return firmware ? new FirmwareDefect(text) : new RigFault(text);
}

/** The findings, each with its rule's clause, then the timeline around the first: terminal events and network. */
export function monitorText(report: MonitorReport, evidence: MonitorEvidence): string {
  const lines = report.findings.map((f) => `  - [${f.rule}] ${RULES[f.rule].clause}: ${f.message}`);
  const first = report.findings[0];
  const head = first
    ? `behaviour monitor: ${report.findings.length === 1 ? 'a rule' : `${report.findings.length} rules`} of docs/protocol.md broken, first [${first.rule}] (${RULES[first.rule].clause})`
    : 'behaviour monitor: every rule held';
  const notJudged = report.notJudged.map((n) => `  not judged: ${n}`);
  const timeline = first
    ? ['', `timeline around ${localTimeOfDay(first.at)}:`, ...timelineAround(first.at, evidence)]
    : [];
  return maskPansIn([head, ...lines, ...notJudged, ...timeline].join('\n'));
}

/** Terminal events, commands and network messages from 3 s before to 1 s after a moment, at most 40 lines. */
function timelineAround(at: Date, evidence: MonitorEvidence): string[] {
  const from = at.getTime() - 3000;
  const to = at.getTime() + 1000;
  const entries = [
    // the harness's hello barriers and the info answering them say nothing about the transaction
    ...evidence.records
      .filter((r) => r.message.type !== 'hello' && !(r.message.type === 'info' && r.message.ref !== undefined))
      .map((r) => ({ at: r.at, line: formatRecord(r) })),
    ...(evidence.network ?? []).flatMap((m) => {
      const arrow = m.direction === 'request' ? '⇢ host    ' : '⇠ host    ';
      const sent = {
        at: m.at,
        line: `    ${localTimeOfDay(m.at)} ${arrow}${networkWords(m)}${m.fault ? ` [${m.fault}]` : ''}`,
      };
      const delivered = m.direction === 'response' && m.deliveredAt && m.deliveredAt.getTime() !== m.at.getTime();
      return delivered && m.deliveredAt
        ? [sent, { at: m.deliveredAt, line: `    ${localTimeOfDay(m.deliveredAt)} ⇠ terminal  ${m.mti} delivered` }]
        : [sent];
    }),
    ...evidence.power.map((p) => ({ at: p.at, line: `    ${localTimeOfDay(p.at)} ⏻ power ${p.on ? 'on' : 'off'}` })),
  ]
    .filter((e) => e.at.getTime() >= from && e.at.getTime() <= to)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const shown = entries.slice(-40);
  // every entry of the finding's millisecond is marked: the clocks cannot order them further
  return shown.map((e) => (e.at.getTime() === at.getTime() ? `▶${e.line.slice(1)}` : e.line));
}
