// Runs the link conformance checks against a terminal on a raw serial line, in the order of docs/protocol.md, one
// barrier `hello` after each so that the next starts on a quiet link; the whole-run checks last.
//   const results = await runConformance(port, { currency: 'CNY' });
//   results.every((r) => r.pass)

import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { CHECK_IDS, CHECKS, type CheckId, type CheckResult, type Finding, fail } from './checks.ts';
import { FRAMING_CHECKS } from './framingChecks.ts';
import { LINK_CHECKS } from './linkChecks.ts';
import { MESSAGE_CHECKS, PASSIVE_CHECKS } from './messageChecks.ts';
import { RawLink } from './rawLink.ts';
import { ACK_TIMEOUT_MS, Session } from './session.ts';

export interface ConformanceOptions {
  /** The currency a command carries (the rig's). */
  readonly currency: string;
  /** Only these checks (all by default). */
  readonly only?: readonly CheckId[];
  /** Called with each result as it is judged (the CLI prints as it goes). */
  readonly onResult?: (result: CheckResult) => void;
}

const ACTIVE = { ...FRAMING_CHECKS, ...LINK_CHECKS, ...MESSAGE_CHECKS };

/** How long the line must stay quiet before the first check (an unsolicited info at power-up, retransmissions). */
const QUIET_MS = ACK_TIMEOUT_MS + 100;

/** Runs the checks on the terminal behind `port` (left open); one result per check, in CHECK_IDS order. */
export async function runConformance(port: Duplex, options: ConformanceOptions): Promise<CheckResult[]> {
  const raw = new RawLink(port);
  const session = new Session(raw, options.currency);
  const wanted = CHECK_IDS.filter((id) => !options.only || options.only.includes(id));
  const results: CheckResult[] = [];
  const judged = (id: CheckId, finding: Finding) => {
    const result = { id, ...CHECKS[id], ...finding };
    results.push(result);
    options.onResult?.(result);
  };
  try {
    raw.acknowledgeAll(true);
    await quiet(raw);
    await session.barrier();
    for (const id of wanted) {
      const check = ACTIVE[id];
      if (!check) continue;
      judged(id, await check(session).catch((error: unknown) => fail(`the check stopped: ${String(error)}`)));
      if (!session.settled) await session.barrier();
    }
    for (const id of wanted) {
      const check = PASSIVE_CHECKS[id];
      if (check) judged(id, check(raw));
    }
  } finally {
    raw.close();
  }
  return results;
}

/** Waits until the terminal has written nothing for QUIET_MS (at most a few seconds). */
async function quiet(raw: RawLink): Promise<void> {
  const until = performance.now() + 10 * QUIET_MS;
  while (performance.now() < until) {
    const mark = raw.mark();
    const more = await raw.waitFor(mark, () => true, QUIET_MS);
    if (!more) return;
  }
}
