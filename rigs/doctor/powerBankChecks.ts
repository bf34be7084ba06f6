// Doctor checks 7 and 8: the power relay switches and the terminal boots (`info` after power-up); the bank probe
// answers (the balance of the first card of the card book).
//   await checkPower(rig)  → ✔ "power relay  switched off and on; the terminal booted in 840 ms (info after power-up)"
//   await checkBank(rig)   → ✔ "bank probe  alice (622848*********0018): 500.00 CNY, answered in 2 ms"

import { formatMoney } from '../../protocols/domain/money.ts';
import { maskPan } from '../../protocols/domain/pan.ts';
import type { Rig } from '../rig.ts';
import { WaitTimeoutError } from '../timeline/timeline.ts';
import { absent, type Check, failed, passed, reasonOf } from './check.ts';

/** How long the bank probe may take to answer one balance. */
const PROBE_TIMEOUT_MS = 10_000;

/** Cuts the terminal's power, restores it and waits for the terminal's `info`; absent when the rig has no relay. */
export async function checkPower(rig: Rig): Promise<Check> {
  const power = rig.power;
  if (!power) return absent('power relay', 'no power relay on this rig (power:): the power features are skipped');
  try {
    await power.off();
  } catch (error) {
    return failed(
      'power relay',
      `switching off failed: ${reasonOf(error)}`,
      "check the power: command (run it by hand) and the relay's wiring",
    );
  }
  const started = performance.now();
  try {
    await power.on();
  } catch (error) {
    if (error instanceof WaitTimeoutError)
      return failed(
        'power relay',
        `switched off and on, but the terminal sent no info after power-up within ${rig.timing.bootMs} ms`,
        'check that the relay feeds the terminal, and that the terminal sends info when it has booted (docs/protocol.md); set terminal.timing.bootMs if it boots slower',
      );
    return failed(
      'power relay',
      `switching on failed: ${reasonOf(error)}`,
      "check the power: command (run it by hand) and the relay's wiring",
    );
  }
  const ms = Math.round(performance.now() - started);
  return passed('power relay', `switched off and on; the terminal booted in ${ms} ms (info after power-up)`);
}

/** Asks the bank probe for the balance of the first test card. */
export async function checkBank(rig: Rig): Promise<Check> {
  const [card] = rig.cards.all();
  if (!card)
    return failed('bank probe', `${rig.file.cards} has no cards to ask about`, `add a test card to ${rig.file.cards}`);
  const who = `${card.alias} (${maskPan(card.pan)})`;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
  });
  try {
    const balance = await Promise.race([rig.bank.balance(card), late]);
    const ms = Math.round(performance.now() - started);
    return passed('bank probe', `balance of ${who}: ${formatMoney(balance)}, answered in ${ms} ms`);
  } catch (error) {
    return failed(
      'bank probe',
      `the balance of ${who}: ${reasonOf(error)}`,
      'check bank.probe in the rig file and that the host it asks is up',
    );
  } finally {
    clearTimeout(timer);
  }
}
