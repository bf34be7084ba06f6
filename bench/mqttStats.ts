// Numbers for the MQTT load bench (bench/mqttLoad.ts): percentiles of latencies, and what the one Node thread spent
// while a measurement ran (CPU time and event-loop utilisation), so a missed target can say where the time went.
//   const meter = startMeter();  … work …  const spent = meter.stop();  // { wallMs, cpuMs, loopBusy }
//   percentile(times, 99)

import { type EventLoopUtilization, performance } from 'node:perf_hooks';

/** Nearest-rank percentile (p in 0..100) of a list of numbers; 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

/** What this process spent over a stretch of wall time. */
export interface Spent {
  readonly wallMs: number;
  /** User + system CPU time of the whole process (all threads: libuv's pool, SQLite, GC included). */
  readonly cpuMs: number;
  /** Share of the wall time the main event loop was busy (0..1): near 1, the one JavaScript thread is the limit. */
  readonly loopBusy: number;
}

export interface Meter {
  stop(): Spent;
}

export function startMeter(): Meter {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const loop: EventLoopUtilization = performance.eventLoopUtilization();
  return {
    stop() {
      const used = process.cpuUsage(cpu);
      return {
        wallMs: performance.now() - started,
        cpuMs: (used.user + used.system) / 1000,
        loopBusy: performance.eventLoopUtilization(loop).utilization,
      };
    },
  };
}

/** One row of the results table. */
export interface Row {
  readonly what: string;
  /** Completed operations (transactions, round trips). */
  readonly count: number;
  readonly spent: Spent;
  /** Milliseconds of each operation. */
  readonly times: readonly number[];
  /** ECR messages (both ways) carried, when counted. */
  readonly messages?: number;
}

export function perSecond(count: number, spent: Spent): number {
  return count / (spent.wallMs / 1000);
}

/** A fixed-width table of the rows: count, rate, p50/p99/max latency, messages/s, CPU and loop use. */
export function table(rows: readonly Row[]): string[] {
  const header = ['measurement', 'count', 'per s', 'p50 ms', 'p99 ms', 'max ms', 'ECR msg/s', 'CPU ms/op', 'loop busy'];
  const cells = rows.map((row) => [
    row.what,
    String(row.count),
    perSecond(row.count, row.spent).toFixed(0),
    percentile(row.times, 50).toFixed(2),
    percentile(row.times, 99).toFixed(2),
    Math.max(0, ...row.times).toFixed(2),
    row.messages === undefined ? '-' : perSecond(row.messages, row.spent).toFixed(0),
    (row.spent.cpuMs / Math.max(1, row.count)).toFixed(3),
    `${(row.spent.loopBusy * 100).toFixed(0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
}
