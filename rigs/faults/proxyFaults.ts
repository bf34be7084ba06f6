// Faults through posrig's fault proxy (simulators/faultproxy), in front of a simulated or a real host.

import { localTimeOfDay } from '../../protocols/domain/time.ts';
import {
  type FaultProxy,
  type FaultRule,
  faultLogLine,
  faultLogWhat,
  type ProxyMessage,
} from '../../simulators/faultproxy/index.ts';
import { Timeline, type WaitOptions } from '../timeline/timeline.ts';
import type { Faults } from './faults.ts';

export class ProxyFaults implements Faults {
  private readonly traffic: Timeline<ProxyMessage> = new Timeline<ProxyMessage>((from): string =>
    quoteTraffic(this.traffic.all(from)),
  );

  constructor(private readonly proxy: FaultProxy) {
    proxy.on('message', (message: ProxyMessage) => this.traffic.add(message));
  }

  async arm(rule: FaultRule): Promise<void> {
    this.proxy.arm(rule);
  }

  async heal(): Promise<void> {
    await this.proxy.heal();
  }

  messages(from?: number): ProxyMessage[] {
    return this.traffic.all(from);
  }

  mark(): number {
    return this.traffic.mark();
  }

  waitForMessage(
    what: string,
    predicate: (message: ProxyMessage) => boolean,
    options: WaitOptions,
  ): Promise<ProxyMessage> {
    return this.traffic.waitFor(what, predicate, options);
  }

  log(): string[] {
    return this.proxy.log.map(faultLogLine);
  }

  logEntries(): Array<{ at: Date; what: string }> {
    return this.proxy.log.map((entry) => ({ at: entry.at, what: faultLogWhat(entry) }));
  }

  async reset(): Promise<void> {
    await this.proxy.heal();
    this.proxy.clearLog();
    this.traffic.clear();
  }
}

/** The network traffic as lines, e.g. "11:32:01.123 → host 0200 STAN 000012". */
export function quoteTraffic(messages: readonly ProxyMessage[]): string {
  if (messages.length === 0) return 'nothing crossed the network';
  const lines = messages.map((m) => `    ${localTimeOfDay(m.at)} ${trafficLine(m)}`);
  return `the network carried:\n${lines.join('\n')}`;
}

/** One message on the network without its time, e.g. "→ host    0200 STAN 000012" or "← host    0210 STAN 000012 RC 00 [swallow]". */
export function trafficLine(m: ProxyMessage): string {
  const arrow = m.direction === 'request' ? '→ host    ' : '← host    ';
  const parts = [
    m.mti,
    m.stan && `STAN ${m.stan}`,
    m.responseCode && `RC ${m.responseCode}`,
    m.fault && `[${m.fault}]`,
  ];
  return `${arrow}${parts.filter(Boolean).join(' ')}`;
}
