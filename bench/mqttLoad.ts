// The MQTT load bench (issue: "100 simulated terminals on one embedded broker doing purchases at once"): one embedded
// broker (aedes, posrig's ACL), one simulated acquirer (in-memory SQLite ledger), all in this process. Measures, in
// one run: the bare aedes QoS 1 round trip (one pair; 100 pairs at once), the acquirer alone, one terminal's
// unloaded purchase over MQTT, and 100 terminals purchasing at once over MQTT and over mock serial. Prints a table,
// the targets (>= 1000 purchases/s, p99 < 50 ms) met or missed, and — measured, not guessed — where the time went.
//   npm run bench                       # as part of the whole bench
//   node --import tsx bench/mqttLoad.ts # this part alone
//   BENCH_MQTT_TERMINALS=100 BENCH_MQTT_PURCHASES=10 BENCH_MQTT_ROUNDTRIPS=100  # the defaults: under a minute

import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseMoney } from '../protocols/domain/money.ts';
import { loadCardBook, type TestCard } from '../rigs/file/cardBook.ts';
import { startEmbeddedBroker } from '../rigs/mqtt/embeddedBroker.ts';
import { startAcquirer } from '../rigs/simulated/simulatedBank.ts';
import { acquirerAlone, BENCH_MID, type Link, ledgerAlone, purchases, startFleet } from './mqttFleet.ts';
import { roundTrips } from './mqttRoundTrip.ts';
import { percentile, perSecond, type Row, table } from './mqttStats.ts';

const TARGET_TPS = 1000;
const TARGET_P99_MS = 50;

export async function mqttLoad(): Promise<string[]> {
  const terminals = Number(process.env.BENCH_MQTT_TERMINALS ?? 100);
  const perTerminal = Number(process.env.BENCH_MQTT_PURCHASES ?? 10);
  const sequential = Number(process.env.BENCH_MQTT_ROUNDTRIPS ?? 100);
  // alice's card with a balance no run can spend: one account for all terminals is safe, the ledger posts in one
  // SQLite transaction at a time (better-sqlite3 is synchronous: there are no concurrent debits to race)
  const alice = loadCardBook('fixtures/cards.yaml').get('alice');
  const card: TestCard = { ...alice, balance: parseMoney('10000000.00 CNY') };

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const bank = await startAcquirer({
      ledger: ':memory:',
      cards: [card],
      merchant: { id: BENCH_MID, name: 'Bench' },
      currency: 'CNY',
      keepTrace: false,
    });
    stops.push(() => bank.stop());
    const broker = await startEmbeddedBroker();
    stops.push(() => broker.close());

    /** Starts a fleet, runs its purchases, stops it. */
    const fleetRun = async (link: Link, size: number, count: number, letter: string, what: string) => {
      const fleet = await startFleet(link, bank, card, size, letter);
      try {
        return await purchases(fleet, count, what);
      } finally {
        await fleet.stop();
      }
    };
    const bare1 = await roundTrips(broker, { pairs: 1, perPair: sequential });
    const bareN = await roundTrips(broker, { pairs: terminals, perPair: 50 });
    const ledger = ledgerAlone(bank, card, terminals * perTerminal);
    const acquirer = await acquirerAlone(bank, card, terminals, perTerminal);
    const mqtt: Link = { kind: 'mqtt', broker };
    const single = await fleetRun(mqtt, 1, 10, 'C', '1 terminal over MQTT, one purchase at a time');
    const loaded = await fleetRun(mqtt, terminals, perTerminal, 'B', `${terminals} terminals over MQTT, at once`);
    const serial = await fleetRun(
      { kind: 'serial' },
      terminals,
      perTerminal,
      'S',
      `${terminals} terminals, mock serial`,
    );
    const rows: Measured = { terminals, bare1, bareN, ledger, acquirer, single, loaded, serial };
    const audit = bank.ledger.audit();
    if (audit.length > 0) throw new Error(`the ledger does not balance after the bench: ${audit[0]}`);
    return [
      `MQTT load: embedded aedes broker (ACL on), simulated acquirer (SQLite in memory), terminals and drivers, all in ` +
        `one Node ${process.version} process on ${cpus().length} CPU(s); every socket sets TCP_NODELAY`,
      ...table([rows.bare1, rows.bareN, rows.ledger, rows.acquirer, rows.single, rows.loaded, rows.serial]),
      ...verdict(rows),
    ];
  } finally {
    await stopAll();
  }
}

interface Measured {
  readonly terminals: number;
  readonly bare1: Row;
  readonly bareN: Row;
  readonly ledger: Row;
  readonly acquirer: Row;
  readonly single: Row;
  readonly loaded: Row;
  readonly serial: Row;
}

const p50 = (row: Row) => percentile(row.times, 50);
const p99 = (row: Row) => percentile(row.times, 99);
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const rate = (row: Row) => perSecond(row.count, row.spent);

/** The targets met or missed, and where the time of a purchase under load goes, from the numbers of this run. */
function verdict(m: Measured): string[] {
  const tps = rate(m.loaded);
  const tpsMet = tps >= TARGET_TPS;
  const p99Met = p99(m.loaded) < TARGET_P99_MS;
  const lines = [
    `targets, ${m.terminals} terminals over MQTT on the embedded broker: >= ${TARGET_TPS} purchases/s: ${tps.toFixed(0)}/s ` +
      `${tpsMet ? 'met' : 'MISSED'}; p99 < ${TARGET_P99_MS} ms: ${ms(p99(m.loaded))} ${p99Met ? 'met' : 'MISSED'}. ` +
      `Bare aedes QoS 1 round trip on it: p50 ${ms(p50(m.bare1))}, p99 ${ms(p99(m.bare1))}; ` +
      `${rate(m.bareN).toFixed(0)} round trips/s with ${m.terminals} pairs.`,
  ];
  if (tpsMet && p99Met) return lines;
  const msgsPerTx = (m.loaded.messages ?? 0) / m.loaded.count;
  const cpuPerTx = m.loaded.spent.cpuMs / m.loaded.count;
  // CPU per MQTT message: a bare round trip is 2 publications, each through a publishing client, the broker and a
  // subscribing client (with PUBACKs): the path an ECR message takes.
  const cpuPerMsg = m.bareN.spent.cpuMs / (m.bareN.messages ?? 1);
  const mqttShare = msgsPerTx * cpuPerMsg;
  const acquirerShare = m.acquirer.spent.cpuMs / m.acquirer.count;
  const ledgerShare = m.ledger.spent.cpuMs / m.ledger.count;
  const rest = cpuPerTx - mqttShare - acquirerShare;
  const pct = (part: number) => `${((part / cpuPerTx) * 100).toFixed(0)}%`;
  const brokerMsgs = perSecond(m.bareN.messages ?? 0, m.bareN.spent);
  const serialTps = rate(m.serial);
  const serialCpu = m.serial.spent.cpuMs / m.serial.count;
  const hops = p50(m.single) / p50(m.bare1);
  const busy = (row: Row) => `${(row.spent.loopBusy * 100).toFixed(0)}%`;
  lines.push(
    'why (each figure measured in this run):',
    `  latency without load: a bare QoS 1 round trip takes p50 ${ms(p50(m.bare1))}; a purchase is about ` +
      `${hops.toFixed(1)} of them in a row (sale, input.card, input.keys, each followed by the driver's hello→info ` +
      `barrier) plus the host: one terminal alone takes p50 ${ms(p50(m.single))}, p99 ${ms(p99(m.single))}.`,
    `  throughput — one thread: the ${m.terminals}-terminal run kept the one JavaScript thread ${busy(m.loaded)} busy ` +
      `(broker, ${m.terminals * 2} MQTT clients, ${m.terminals} simulated terminals, ${m.terminals} drivers and the ` +
      `acquirer all share it) at ${cpuPerTx.toFixed(2)} ms CPU per purchase: at most ${(1000 / cpuPerTx).toFixed(0)} ` +
      `purchases/s in this process. ${TARGET_TPS}/s needs <= ${(1000 / TARGET_TPS).toFixed(2)} ms per purchase. Per purchase:`,
    `    MQTT: ${msgsPerTx.toFixed(1)} ECR messages × ${cpuPerMsg.toFixed(3)} ms CPU per QoS 1 message (client → aedes → ` +
      `client, PUBACKs) = ${mqttShare.toFixed(2)} ms (${pct(mqttShare)}); bare aedes at full CPU carries ` +
      `${brokerMsgs.toFixed(0)} messages/s = ${(brokerMsgs / msgsPerTx).toFixed(0)} purchases/s at most, before anything else runs.`,
    `    acquirer: ${acquirerShare.toFixed(2)} ms (${pct(acquirerShare)}; a TCP connection per purchase, ISO 8583 both ends), ` +
      `of which PIN block check + SQLite journal and posting ${ledgerShare.toFixed(2)} ms; alone it serves ` +
      `${rate(m.acquirer).toFixed(0)} purchases/s over TCP, ${rate(m.ledger).toFixed(0)}/s without TCP.`,
    `    the rest — terminal firmware, drivers (JSON, history, waits), ECR message handling: ${rest.toFixed(2)} ms (${pct(rest)}).`,
    `    for comparison the same ${m.terminals} terminals on mock serial: ${serialCpu.toFixed(2)} ms per purchase, ` +
      `${serialTps.toFixed(0)} purchases/s (thread ${busy(m.serial)} busy): MQTT costs ${(cpuPerTx - serialCpu).toFixed(2)} ms ` +
      `more per purchase.`,
    `  latency under load: ${m.terminals} purchases always in flight queue for the one thread: latency >= ` +
      `${m.terminals} / throughput = ${ms((m.terminals / tps) * 1000)} (Little's law); p99 < ${TARGET_P99_MS} ms with ` +
      `${m.terminals} at once needs >= ${((m.terminals / TARGET_P99_MS) * 1000).toFixed(0)} purchases/s.`,
    '  no deliberate waits: cardReadMs 0, the simulated host answers at once; nothing in a purchase sleeps.',
  );
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log((await mqttLoad()).join('\n'));
