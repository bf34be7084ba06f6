// Many simulated terminals in this process, each with its own harness-side EcrTerminalDriver, doing approved swipe+PIN
// purchases at once against one simulated acquirer: over MQTT (one embedded broker; each terminal and each driver its
// own client, as one rig worker per terminal would have) or over mock serial (an in-process serial pair each, for
// comparison). And the acquirer alone: the same 0200 purchases straight over TCP, no terminal and no ECR link.
//   const fleet = await startFleet({ kind: 'mqtt', broker }, bank, card, 100, 'B');  const row = await purchases(fleet, 20);
//   await fleet.stop();

import { performance } from 'node:perf_hooks';
import type { MqttClient } from 'mqtt';
import { type Money, parseMoney } from '../protocols/domain/money.ts';
import { EcrLink, type MessageLink } from '../protocols/ecr/index.ts';
import { MqttEcrLink } from '../protocols/mqtt/mqttEcrLink.ts';
import { encryptPinBlock, TEST_PIN_KEY } from '../protocols/pinblock/pinBlock.ts';
import type { TestCard } from '../rigs/file/cardBook.ts';
import { connectBroker, endClient } from '../rigs/mqtt/brokerClient.ts';
import type { EmbeddedBroker } from '../rigs/mqtt/embeddedBroker.ts';
import { closeSerialPort } from '../rigs/serial/serialPort.ts';
import { startMqttTerminal } from '../rigs/simulated/mqttSimulatedTerminal.ts';
import type { SimulatedBank } from '../rigs/simulated/simulatedBank.ts';
import { startMockTerminal } from '../rigs/simulated/simulatedTerminal.ts';
import { EcrTerminalDriver } from '../rigs/terminal/ecrTerminalDriver.ts';
import { finishes } from '../rigs/terminal/expectations.ts';
import { answerRequest } from '../simulators/acquirer/index.ts';
import { HostClient } from '../simulators/terminal/hostClient.ts';
import type { TerminalConfig } from '../simulators/terminal/index.ts';
import { financialRequest } from '../simulators/terminal/isoRequest.ts';
import { TERMINAL_CONFIG } from '../test/support/terminalConfig.ts';
import { type Row, startMeter } from './mqttStats.ts';

export const BENCH_MID = TERMINAL_CONFIG.mid;
const AMOUNT: Money = parseMoney('1.00 CNY');
/** Generous: a purchase that takes this long is a failure of the bench, not a slow number. */
const RESULT_TIMEOUT_MS = 30_000;

export type Link = { readonly kind: 'mqtt'; readonly broker: EmbeddedBroker } | { readonly kind: 'serial' };

interface Member {
  readonly driver: EcrTerminalDriver;
  stop(): Promise<void>;
}

export interface Fleet {
  readonly kind: Link['kind'];
  readonly members: readonly Member[];
  readonly card: TestCard;
  /** ECR messages the harness sent and received so far, all terminals. */
  messages(): number;
  stop(): Promise<void>;
}

/** A terminal config with no deliberate delay: card read 0 ms (the default, said here so the bench never inherits one). */
function configFor(tid: string, bank: SimulatedBank): TerminalConfig {
  return {
    ...TERMINAL_CONFIG,
    tid,
    merchantName: 'Bench',
    host: bank.address,
    responseTimeoutMs: 10_000,
    cardReadMs: 0,
  };
}

/** TIDs B0000001.. (8 characters, DE41): each fleet its own letter, so no two terminals' STANs meet at the host (a
 * repeated TID + STAN + DE7 would be answered as a duplicate). */
function tidOf(letter: string, index: number): string {
  return `${letter}${String(index + 1).padStart(7, '0')}`;
}

/** Starts `size` terminals, TIDs `letter`0000001.., each connected to its own driver. */
export async function startFleet(
  link: Link,
  bank: SimulatedBank,
  card: TestCard,
  size: number,
  letter: string,
): Promise<Fleet> {
  let messages = 0;
  const counted = (l: MessageLink): MessageLink => {
    l.on('message', () => {
      messages += 1;
    });
    const send = l.send.bind(l);
    l.send = (message) => {
      messages += 1;
      return send(message);
    };
    return l;
  };
  const started = await Promise.allSettled(
    Array.from({ length: size }, (_, i) => startMember(link, bank, tidOf(letter, i), counted)),
  );
  const members = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.all(members.map((m) => m.stop()));
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { kind: link.kind, members, card, messages: () => messages, stop };
}

async function startMember(
  link: Link,
  bank: SimulatedBank,
  tid: string,
  counted: (l: MessageLink) => MessageLink,
): Promise<Member> {
  const config = configFor(tid, bank);
  if (link.kind === 'mqtt') {
    const { broker } = link;
    const terminal = await startMqttTerminal(
      { url: broker.url, username: `terminal-${tid}`, password: broker.secret },
      config,
    );
    let client: MqttClient | undefined;
    try {
      client = await connectBroker(
        { url: broker.url, username: 'controller', password: broker.secret },
        { clientId: `bench-harness-${tid}`, what: `bench harness ${tid}` },
      );
      const ecr = await MqttEcrLink.open(client, { terminalId: tid, side: 'harness' });
      const driver = new EcrTerminalDriver(tid, counted(ecr));
      await driver.connect();
      const owned = client;
      return {
        driver,
        async stop() {
          await driver.close();
          await endClient(owned);
          await terminal.stop();
        },
      };
    } catch (error) {
      if (client) await endClient(client);
      await terminal.stop();
      throw error;
    }
  }
  const terminal = await startMockTerminal(`mock:/dev/bench-${tid}`, 115200, config);
  const ecr = new EcrLink(terminal.port, { name: `harness:${tid}` });
  const driver = new EcrTerminalDriver(tid, counted(ecr));
  const stop = async () => {
    await driver.close();
    await terminal.stop();
    await closeSerialPort(terminal.port);
  };
  try {
    await driver.connect();
  } catch (error) {
    await stop();
    throw error;
  }
  return { driver, stop };
}

/** Every terminal does `perTerminal` approved purchases one after another, all terminals at once; each timed from the
 * sale command to the result event. */
export async function purchases(fleet: Fleet, perTerminal: number, what: string): Promise<Row> {
  await Promise.all(fleet.members.map((m) => purchaseLoop(m.driver, fleet.card, 1))); // warm-up, not counted
  const messagesBefore = fleet.messages();
  const meter = startMeter();
  const times = (await Promise.all(fleet.members.map((m) => purchaseLoop(m.driver, fleet.card, perTerminal)))).flat();
  const spent = meter.stop();
  return { what, count: times.length, spent, times, messages: fleet.messages() - messagesBefore };
}

async function purchaseLoop(driver: EcrTerminalDriver, card: TestCard, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    driver.history.clear();
    const from = driver.history.mark();
    const started = performance.now();
    await driver.startSale(AMOUNT);
    await driver.presentCard({ method: 'swipe', pan: card.pan, expiry: card.expiry });
    await driver.pressKeys([...card.pin, 'ENTER']);
    const result = await finishes(driver, { from, timeoutMs: RESULT_TIMEOUT_MS });
    times.push(performance.now() - started);
    if (result?.outcome !== 'approved') {
      throw new Error(
        `bench purchase on ${driver.id} was ${result?.outcome ?? 'cut off'} (${result?.responseCode ?? '-'})`,
      );
    }
  }
  return times;
}

/** The 0200 purchase `count` times, tid `tid`, STANs from 1. */
function purchaseRequests(card: TestCard, tid: string, firstStan: number, count: number) {
  const pinBlock = encryptPinBlock(card.pin, card.pan);
  return Array.from({ length: count }, (_, i) =>
    financialRequest({
      kind: 'sale',
      card: { method: 'swipe', pan: card.pan, expiry: card.expiry },
      amount: AMOUNT,
      stan: String(firstStan + i).padStart(6, '0'),
      at: new Date(),
      tid,
      mid: BENCH_MID,
      pinBlock,
    }),
  );
}

/** The acquirer's decision alone, no TCP: the host's rules on each 0200 in this process — PIN block decrypted and
 * checked, duplicate looked up, the purchase journalled and posted in one SQLite transaction. */
export function ledgerAlone(bank: SimulatedBank, card: TestCard, count: number): Row {
  const requests = purchaseRequests(card, 'L0000001', 1, count);
  const times: number[] = [];
  const meter = startMeter();
  for (const request of requests) {
    const started = performance.now();
    const answer = answerRequest(request, { ledger: bank.ledger, pinKey: TEST_PIN_KEY, now: new Date() });
    times.push(performance.now() - started);
    const code = answer.kind === 'reply' ? answer.message.fields[39] : answer.kind;
    if (code !== '00') throw new Error(`ledger-alone purchase ${request.fields[11]} answered ${code}`);
  }
  const spent = meter.stop();
  return { what: 'acquirer decision alone (PIN, SQLite posting)', count, spent, times };
}

/** The acquirer alone: `clients` clients at once, each sending `perClient` 0200 purchases (PIN block, swipe) over TCP
 * one after another — a new connection for each, as the simulated terminal does — timed request to response. */
export async function acquirerAlone(
  bank: SimulatedBank,
  card: TestCard,
  clients: number,
  perClient: number,
): Promise<Row> {
  const next = new Map<string, number>();
  const one = async (index: number, count: number): Promise<number[]> => {
    const tid = `A${String(index + 1).padStart(7, '0')}`;
    const requests = purchaseRequests(card, tid, next.get(tid) ?? 1, count);
    next.set(tid, (next.get(tid) ?? 1) + count);
    const host = new HostClient({ ...bank.address, responseTimeoutMs: RESULT_TIMEOUT_MS });
    const times: number[] = [];
    try {
      for (const request of requests) {
        const started = performance.now();
        const reply = await host.exchange(request);
        times.push(performance.now() - started);
        const code = reply.kind === 'response' ? reply.message.fields[39] : reply.kind;
        if (code !== '00') throw new Error(`acquirer-alone purchase ${tid}/${request.fields[11]} answered ${code}`);
      }
    } finally {
      await host.close();
    }
    return times;
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => one(i, 1))); // warm-up
  const meter = startMeter();
  const times = (await Promise.all(Array.from({ length: clients }, (_, i) => one(i, perClient)))).flat();
  const spent = meter.stop();
  const what = `acquirer alone (TCP, ISO 8583, ledger), ${clients} client${clients === 1 ? '' : 's'}`;
  return { what, count: times.length, spent, times };
}
