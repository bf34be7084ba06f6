// One simulated terminal per test on a Duplex pair with a RecordingHarness, dialling a fresh fault proxy in front of the
// real acquirer host: boot it with defects, arm proxy rules, wait for its events and for what the proxy sees.
//   const bench = proxiedTerminal(seededLedger([ALICE]), { stateDirPrefix: 'posrig-reversals-' });
//   bench.boot(['reversal-not-retried'], { stateDir: bench.stateDir() });
//   bench.arm(swallow('response', '0210'));  …  await bench.event('result');  assert.deepEqual(bench.sent(), […]);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, beforeEach } from 'node:test';
import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import { AcquirerHost, type Ledger } from '../../simulators/acquirer/index.ts';
import type { FaultRule, ProxyMessage } from '../../simulators/faultproxy/index.ts';
import { type Defect, type TerminalConfig, TerminalSimulator } from '../../simulators/terminal/index.ts';
import { MID } from './bankFixture.ts';
import { duplexPair } from './duplexPair.ts';
import { type EventOf, RecordingHarness } from './ecrHarness.ts';
import { waitFor } from './events.ts';
import { faultProxyRig } from './faultProxyRig.ts';

/** How long `event` and `proxySees` wait. */
const WAIT_MS = 4000;

type Direction = 'request' | 'response';

export interface ProxiedTerminalOptions {
  /** the prefix of the state folders `stateDir` makes, e.g. 'posrig-orderings-' */
  stateDirPrefix: string;
  /** which proxy messages `messages` records (default: every one) */
  record?: (message: ProxyMessage) => boolean;
}

export interface ProxiedTerminal {
  readonly messages: ProxyMessage[]; // what the proxy passed since boot (those `record` keeps), emptied before each test
  readonly terminal: TerminalSimulator; // the terminal `boot` started
  readonly harness: RecordingHarness; // the harness end of its ECR link
  /** Starts the terminal (zh-CN, CNY, 250 ms response timeout, 50 ms reversal retry) dialling this test's proxy. */
  boot(defects?: Defect[], overrides?: Partial<TerminalConfig>): void;
  /** A fresh state folder, removed after the suite. */
  stateDir(): string;
  /** Arms each rule on this test's proxy. */
  arm(...rules: FaultRule[]): void;
  /** The requests the proxy passed, as "MTI/STAN". */
  sent(): string[];
  /** The next message of this direction and MTI the proxy passes. */
  proxySees(direction: Direction, mti: string): Promise<ProxyMessage>;
  /** The first event of this type (from index `from`) that matches. */
  event<T extends TerminalEvent['type']>(
    type: T,
    match?: (e: EventOf<T>) => boolean,
    from?: number,
  ): Promise<EventOf<T>>;
}

/** A rule that swallows the next message of this direction and MTI. */
export const swallow = (direction: Direction, mti: string): FaultRule => ({
  action: { kind: 'swallow' },
  direction,
  mti,
});

/**
 * Registers hooks in the calling describe: a host on `ledger` and a fresh proxy per test (faultProxyRig; the ledger
 * reset and `messages` emptied before each); after each test the terminal stops and the harness closes; after the suite
 * the state folders go.
 */
export function proxiedTerminal(ledger: Ledger, options: ProxiedTerminalOptions): ProxiedTerminal {
  const { stateDirPrefix, record = () => true } = options;
  const messages: ProxyMessage[] = [];
  const rig = faultProxyRig(new AcquirerHost({ ledger }), ledger, () => {
    ledger.reset();
    messages.length = 0;
  });
  const folders: string[] = [];
  let terminal: TerminalSimulator | undefined;
  let harness: RecordingHarness | undefined;
  const booted = <T>(part: T | undefined, name: string): T => {
    if (!part) throw new Error(`proxiedTerminal: the ${name} is used before boot()`);
    return part;
  };

  beforeEach(() => {
    rig.proxy?.removeAllListeners('message');
  });
  afterEach(async () => {
    await terminal?.stop();
    harness?.close();
    terminal = undefined;
    harness = undefined;
  });
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  return {
    messages,
    get terminal() {
      return booted(terminal, 'terminal');
    },
    get harness() {
      return booted(harness, 'harness');
    },
    boot(defects = [], overrides = {}) {
      const [device, end] = duplexPair();
      terminal = new TerminalSimulator({
        ...{ tid: 'T0000001', mid: MID, merchantName: 'Test Shop', language: 'zh-CN', currency: 'CNY' },
        host: rig.address,
        responseTimeoutMs: 250,
        reversalRetryMs: 50,
        defects,
        ...overrides,
      });
      terminal.attach(device);
      harness = new RecordingHarness(end);
      rig.proxy.on('message', (m: ProxyMessage) => record(m) && messages.push(m));
    },
    stateDir() {
      const folder = mkdtempSync(path.join(tmpdir(), stateDirPrefix));
      folders.push(folder);
      return folder;
    },
    arm(...rules) {
      for (const rule of rules) rig.proxy.arm(rule);
    },
    sent: () => messages.filter((m) => m.direction === 'request').map((m) => `${m.mti}/${m.stan}`),
    proxySees: (direction, mti) =>
      waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.direction === direction && m.mti === mti, WAIT_MS),
    event: (type, match = () => true, from = 0) => booted(harness, 'harness').waitForEvent(type, match, from, WAIT_MS),
  };
}
