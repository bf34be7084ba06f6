// One approved purchase through the whole stack — harness → serial → terminal → ISO 8583 → ledger → back —
// timed from the sale command to the result event, on a rig already started (rig start-up is not counted).

import { performance } from 'node:perf_hooks';
import { parseMoney } from '../protocols/domain/money.ts';
import type { Rig } from '../rigs/rig.ts';
import { finishes } from '../rigs/terminal/expectations.ts';

/** Milliseconds for each of `runs` approved swipe+PIN purchases. */
export async function timePurchases(rig: Rig, runs: number): Promise<number[]> {
  const card = rig.cards.get('alice');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await rig.reset();
    const from = rig.terminal.history.mark();
    const started = performance.now();
    await rig.terminal.startSale(parseMoney('1.00 CNY'));
    await rig.terminal.presentCard({ method: 'swipe', pan: card.pan, expiry: card.expiry });
    await rig.terminal.pressKeys([...card.pin, 'ENTER']);
    const result = await finishes(rig.terminal, { from, timeoutMs: 10_000 });
    times.push(performance.now() - started);
    if (result?.outcome !== 'approved') throw new Error(`bench purchase ${i + 1} was ${result?.outcome ?? 'cut off'}`);
  }
  return times;
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
