// Every failure names one culprit in its first line, and reports group by it:
//   firmware defect — the terminal broke a step's expectation, the payment-truth invariant or a rule of the spec;
//   rig fault       — the rig could not do its part: port closed, a simulator or socat exited, link not ACKed;
//   scenario error  — the words are wrong: unknown step, card, amount, currency.
//   throw new RigFault('the simulated terminal process exited (signal SIGKILL)');
//   verdictMessage(error) // "rig fault: the simulated terminal process exited (signal SIGKILL)"

export const CULPRITS = ['firmware defect', 'rig fault', 'scenario error'] as const;
export type Culprit = (typeof CULPRITS)[number];

/** A failure whose culprit is known where it is thrown. */
export abstract class Verdict extends Error {
  abstract readonly culprit: Culprit;
}

/** The terminal did something the spec or the scenario says it must not (or failed to do what it must). */
export class FirmwareDefect extends Verdict {
  override name = 'FirmwareDefect';
  readonly culprit = 'firmware defect';
}

/** The rig could not do its part; nothing is known about the firmware. */
export class RigFault extends Verdict {
  override name = 'RigFault';
  readonly culprit = 'rig fault';
}

/** The scenario's words are wrong (unknown card, amount, step); no stack trace is shown for it. */
export class ScenarioError extends Verdict {
  override name = 'ScenarioError';
  readonly culprit = 'scenario error';
}

/** Error names (of classes that live where this module may not reach) and the culprit they stand for. */
const BY_NAME: Readonly<Record<string, Culprit>> = {
  AssertionError: 'firmware defect',
  TerminalTimeoutError: 'firmware defect',
  PaymentTruthError: 'firmware defect',
  TerminalRefusal: 'firmware defect',
  LinkError: 'rig fault',
  TerminalStateError: 'rig fault',
  ConfigFileError: 'rig fault',
  WaitCancelledError: 'rig fault',
  UnknownCardError: 'scenario error',
  MoneyError: 'scenario error',
};

/** The culprit of an error whose kind posrig knows: its own verdict, else by its class name. */
export function knownCulprit(error: unknown): Culprit | undefined {
  if (error instanceof Verdict) return error.culprit;
  if (error instanceof Error) return BY_NAME[error.name] ?? BY_NAME[error.constructor.name];
  return undefined;
}

/** The culprit of any error; anything posrig does not know is the rig's (posrig's own side, or what it drives). */
export function culpritOf(error: unknown): Culprit {
  return knownCulprit(error) ?? 'rig fault';
}

/** The culprit a message already starts with, if any ("rig fault: …"). */
export function culpritIn(message: string): Culprit | undefined {
  return CULPRITS.find((culprit) => message.startsWith(`${culprit}: `));
}

/** The error's message with its culprit as the first words (kept when it is already there). */
export function verdictMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return culpritIn(message) ? message : `${culpritOf(error)}: ${message}`;
}
