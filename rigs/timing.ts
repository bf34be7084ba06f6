// One timing model per rig: every wait of a step or hook comes from the terminal's own timings as the rig file
// declares them (response timeout, reversal retry, connect and boot time), never from constants scattered in steps.
//   const timing = rigTiming(loadRigFile('rigs/sim-serial.yaml'));
//   await history.waitFor('the result', isResult, { from, timeoutMs: timing.eventMs });

import type { RigFile } from './file/rigFile.ts';

export interface RigTiming {
  /** How long the terminal waits for the host's answer before it gives up (and reverses). */
  readonly responseTimeoutMs: number;
  /** How long the terminal tries to connect to a host. */
  readonly connectTimeoutMs: number;
  /** How long between two attempts to deliver a reversal. */
  readonly reversalRetryMs: number;
  /** From power on to the terminal's unsolicited `info`. */
  readonly bootMs: number;
  /** A "Then the terminal …" wait after an action: a whole online phase (primary, then backup) and the link. */
  readonly eventMs: number;
  /** A reversal owed by the terminal to be confirmed: the first attempt and two retries. */
  readonly reversalMs: number;
  /** Cucumber's timeout of any step or hook: above the sum of the waits inside it, so their quote is what fails. */
  readonly stepMs: number;
}

/** Room for the link and the harness on top of the terminal's own timings. */
const MARGIN_MS = 2000;
/** A real terminal whose rig declares no terminal.timing: a typical acquirer response timeout. */
const REAL_RESPONSE_TIMEOUT_MS = 30_000;
/** A simulated terminal boots in a process of its own on PTY rigs (Node start-up with tsx); a real one whose rig
 * declares no boot time gets as long. */
const BOOT_MS = 15_000;

/** The simulated terminal's response timeout when its rig declares none. */
export const SIMULATED_RESPONSE_TIMEOUT_MS = 1500;

/** The timing model of a rig, from terminal.timing of its rig file (the same keys configure a simulated terminal). */
export function rigTiming(rig: RigFile): RigTiming {
  const { simulate, timing } = rig.terminal;
  const responseTimeoutMs =
    timing?.responseTimeoutMs ?? (simulate ? SIMULATED_RESPONSE_TIMEOUT_MS : REAL_RESPONSE_TIMEOUT_MS);
  const connectTimeoutMs = timing?.connectTimeoutMs ?? responseTimeoutMs;
  const reversalRetryMs = timing?.reversalRetryMs ?? responseTimeoutMs;
  const bootMs = timing?.bootMs ?? BOOT_MS;
  const online = connectTimeoutMs + responseTimeoutMs;
  const eventMs = 2 * online + MARGIN_MS;
  const reversalMs = online + 2 * (reversalRetryMs + online) + MARGIN_MS;
  // The longest a step waits: a balance step waits for the transaction to end, then for its reversal; "the power
  // comes back" waits for the host's answer, then for the boot.
  const stepMs = Math.max(eventMs + reversalMs, eventMs + bootMs) + MARGIN_MS;
  return { responseTimeoutMs, connectTimeoutMs, reversalRetryMs, bootMs, eventMs, reversalMs, stepMs };
}
