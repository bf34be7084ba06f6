// The monitor's rules on reversals and power-up (docs/protocol.md sections 15.2.3, 15.2.4 and 15.3): the 0400's
// fields, no 0200 while a reversal is due, a request outstanding at a power cut reversed with 06, and the power-up
// order (info, sign-on, then the reversals). Every rule here needs the network trace.

import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { NetworkMessage } from './evidence.ts';
import { describeNetwork, type Finding, finding } from './finding.ts';
import { reversalsOf, type ScenarioModel, stanOf } from './scenarioModel.ts';

/** How long after posrig's power-cut timestamp the terminal may still have received something before it died. */
const CUT_MARGIN_MS = 200;

/** The data elements a 0400 repeats from its original (section 15.2.3), where both carry them. */
const REPEATED = [2, 3, 4, 41, 42, 49];

export function reversalFindings(model: ScenarioModel): Finding[] {
  const network = model.network;
  if (!network) return [];
  return [
    ...network.flatMap((m) => (m.direction === 'request' && m.mti === '0400' ? reversalFields(m, network) : [])),
    ...stanNew(network),
    ...reversalReported(model, network),
    ...reversalFirst(model, network),
    ...model.cuts.flatMap((cut) => powerCutReversal(cut, model, network)),
    ...model.powerOns.flatMap((on) => powerUpOrder(on, model, network)),
  ];
}

/** The 0400 names its original: DE11 and DE90 (MTI, STAN, DE7) and repeats its amount, card and terminal. */
function reversalFields(reversal: NetworkMessage, network: readonly NetworkMessage[]): Finding[] {
  const fields = reversal.fields;
  if (!fields) return [];
  const de90 = fields[90];
  const originalStan = de90?.slice(4, 10) ?? fields[11];
  const original = network
    .filter((m) => m.direction === 'request' && m.mti === '0200' && m.at < reversal.at && stanOf(m) === originalStan)
    .at(-1);
  if (!original?.fields) return []; // its original is not in this scenario's trace: nothing to compare with
  const wrong: string[] = [];
  if (fields[11] !== original.fields[11])
    wrong.push(`DE11 ${fields[11]} is not the original's STAN ${original.fields[11]}`);
  const expected90 = `${original.mti}${original.fields[11]}${original.fields[7]}${'0'.repeat(22)}`;
  if (de90 !== expected90)
    wrong.push(`DE90 ${de90 ?? '(absent)'} is not ${expected90} (original MTI + STAN + DE7 + 22 zeros)`);
  if (fields[7] === undefined) wrong.push('DE7 is absent');
  for (const n of REPEATED)
    if (original.fields[n] !== undefined && fields[n] !== original.fields[n])
      wrong.push(`DE${n} ${fields[n] ?? '(absent)'} is not the original's ${original.fields[n]}`);
  if (wrong.length === 0) return [];
  return [
    finding(
      'reversal-fields',
      reversal.at,
      `the ${describeNetwork(reversal)} reversing ${describeNetwork(original)}: ${wrong.join('; ')}`,
    ),
  ];
}

/** A STAN is used once per terminal: by one 0200 or 0800 (a copy the network made is one message in the trace). */
function stanNew(network: readonly NetworkMessage[]): Finding[] {
  const first = new Map<string, NetworkMessage>();
  const found: Finding[] = [];
  for (const m of network) {
    const stan = stanOf(m);
    if (m.direction !== 'request' || (m.mti !== '0200' && m.mti !== '0800') || !stan) continue;
    const key = `${m.fields?.[41]?.trimEnd() ?? ''}|${stan}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, m);
      continue;
    }
    found.push(
      finding(
        'stan-new',
        m.at,
        `the terminal sent ${describeNetwork(m)} with the STAN of its earlier ${describeNetwork(earlier)}: every request carries a new STAN`,
      ),
    );
  }
  return found;
}

/** `stored` comes before the first `sent` of a reversal, and is reported for every reversed original (for originals
 * in the scenario). */
function reversalReported(model: ScenarioModel, network: readonly NetworkMessage[]): Finding[] {
  const storedAt = new Map<string, Date>();
  const found: Finding[] = [];
  const reported = new Set<string>();
  // a reversal whose original is not in the scenario may have been reported `stored` before it (retries go on)
  const originals = new Set(model.exchanges.map((e) => stanOf(e.request)));
  for (const r of model.records) {
    const m = r.message as { type: string; status?: string; stan?: string };
    if (r.dir !== 'in' || m.type !== 'reversal' || !m.stan) continue;
    if (m.status === 'stored' && !storedAt.has(m.stan)) storedAt.set(m.stan, r.at);
    if (m.status === 'sent' && originals.has(m.stan) && !storedAt.has(m.stan) && !reported.has(m.stan)) {
      reported.add(m.stan);
      found.push(
        finding(
          'reversal-reported',
          r.at,
          `the terminal reported the reversal of STAN ${m.stan} "sent" at ${localTimeOfDay(r.at)} without reporting it "stored" first`,
        ),
      );
    }
  }
  for (const m of network) {
    const stan = stanOf(m);
    if (m.direction !== 'request' || m.mti !== '0400' || !stan || !originals.has(stan) || reported.has(stan)) continue;
    // the event crosses the serial link, the 0400 the network: `stored` written first may be received after the
    // 0400 reached the proxy. Their order is judged on the one link (`stored` before `sent`); here only that it came.
    if (storedAt.has(stan)) continue;
    reported.add(stan);
    found.push(
      finding(
        'reversal-reported',
        m.at,
        `the terminal sent ${describeNetwork(m)} without reporting the reversal "stored"`,
      ),
    );
  }
  return found;
}

/** No 0200 leaves while a reversal is due: reported `stored` before the 0200 left, and no 0410 for it delivered
 * by then. Judged by the network's times for the 0410 (an event over a slow link may arrive after the next 0200). */
function reversalFirst(model: ScenarioModel, network: readonly NetworkMessage[]): Finding[] {
  const stored = model.records.flatMap((r) => {
    const m = r.message as { type: string; status?: string; stan?: string };
    return r.dir === 'in' && m.type === 'reversal' && m.status === 'stored' && m.stan
      ? [{ at: r.at, stan: m.stan }]
      : [];
  });
  const confirmedBy = (stan: string, at: Date) =>
    network.some(
      (m) =>
        m.direction === 'response' && m.mti === '0410' && stanOf(m) === stan && m.deliveredAt && m.deliveredAt <= at,
    );
  const found: Finding[] = [];
  for (const { request } of model.exchanges) {
    const owed = new Map<string, Date>();
    for (const s of stored) if (s.at < request.at && !owed.has(s.stan)) owed.set(s.stan, s.at);
    for (const stan of owed.keys()) if (confirmedBy(stan, request.at)) owed.delete(stan);
    if (owed.size === 0) continue;
    const list = [...owed].map(([stan, since]) => `STAN ${stan} (due since ${localTimeOfDay(since)})`).join(', ');
    found.push(
      finding(
        'reversal-before-next-request',
        request.at,
        `the terminal sent ${describeNetwork(request)} while the reversal of ${list} was still due: a due reversal is delivered before the next request`,
      ),
    );
  }
  return found;
}

/** A 0200 with no answer delivered when the power went is reversed after power-up: with 06, or (already being
 * reversed) with its own DE39. A 0200 whose reversal was already out at the cut, for whatever reason (no answer, an
 * answer it could not use, a cancel), is reversed again after power-up unless its 0410 had reached the terminal.
 * Judged only when the power came back in the scenario. */
function powerCutReversal(cut: Date, model: ScenarioModel, network: readonly NetworkMessage[]): Finding[] {
  const on = model.powerOns.find((p) => p > cut);
  if (!on) return [];
  // a message written to the terminal just after the harness cut the power may have beaten the relay: not judged
  const beforeDeath = (m: NetworkMessage | undefined) =>
    m?.deliveredAt !== undefined && m.deliveredAt.getTime() <= cut.getTime() + CUT_MARGIN_MS;
  return model.exchanges.flatMap(({ request, answer }) => {
    if (request.at > cut) return [];
    const reversals = reversalsOf(network, stanOf(request));
    const before = reversals.filter((r) => r.at <= cut);
    const confirmed = network.some(
      (m) => m.direction === 'response' && m.mti === '0410' && stanOf(m) === stanOf(request) && beforeDeath(m),
    );
    if (confirmed) return [];
    if (before.length === 0 && (beforeDeath(answer) || request.fault === 'drop')) return []; // known before the cut
    const after = reversals.filter((r) => r.at >= on);
    const ok = before.length > 0 ? after.length > 0 : after.some((r) => r.fields?.[39] === '06');
    if (ok) return [];
    const cutAt = localTimeOfDay(cut);
    const back = `after power-up (${localTimeOfDay(on)})`;
    const last = before.at(-1);
    const message = last
      ? `${describeNetwork(request)} was being reversed when the power was cut at ${cutAt}: ${describeNetwork(last)} had no 0410, yet ${back} no 0400 for it went out again`
      : `${describeNetwork(request)} had no answer when the power was cut at ${cutAt}; ${back} no 0400 with DE39 06 followed`;
    return [finding('power-cut-reversal', on, message)];
  });
}

/** After power-up: `info` unsolicited before any reversal event, the 0800 sign-on before any 0400 or 0200. */
function powerUpOrder(on: Date, model: ScenarioModel, network: readonly NetworkMessage[]): Finding[] {
  const nextCut = model.cuts.find((c) => c > on)?.getTime() ?? Number.POSITIVE_INFINITY;
  const inBoot = (at: Date) => at >= on && at.getTime() < nextCut;
  const found: Finding[] = [];
  const events = model.records.filter((r) => r.dir === 'in' && inBoot(r.at));
  const info = events.find((r) => r.message.type === 'info' && r.message.ref === undefined);
  const firstReversal = events.find((r) => r.message.type === 'reversal');
  if (firstReversal && (!info || info.at > firstReversal.at))
    found.push(
      finding(
        'power-up-order',
        firstReversal.at,
        `after power-up at ${localTimeOfDay(on)} the terminal reported a reversal at ${localTimeOfDay(firstReversal.at)} before its unsolicited info`,
      ),
    );
  // a connection that carried anything before the power-up belongs to the terminal's previous life
  const before = new Set(network.filter((m) => m.at <= on && m.connection !== undefined).map((m) => m.connection));
  const requests = network.filter(
    (m) => m.direction === 'request' && m.at > on && inBoot(m.at) && !before.has(m.connection),
  );
  const signOn = requests.find((m) => m.mti === '0800');
  const firstOther = requests.find((m) => m.mti === '0400' || m.mti === '0200');
  if (firstOther && (!signOn || signOn.at > firstOther.at))
    found.push(
      finding(
        'power-up-order',
        firstOther.at,
        `after power-up at ${localTimeOfDay(on)} the terminal sent ${describeNetwork(firstOther)} before its 0800 sign-on${signOn ? ` (${describeNetwork(signOn)})` : ''}`,
      ),
    );
  return found;
}
