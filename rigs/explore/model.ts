// What `posrig explore` knows about the terminal and the bank while a run goes on: balances it set, the bank's PIN
// try counters, the faults armed (on the network, the power and the serial link), the printer, the last receipt, a reversal still owed. Pure: the commands
// (commands.ts) read it to decide what to expect, and update it; nothing here talks to a rig.
//   const model = newModel(facts);  hostAnswer(model, 'alice', 'wrong') → '55'

import type { EntryMethod, Fault, LinkFault, ReversalFault, SaleFault } from './scenarioStep.ts';

/** A test card as the model needs it (from the rig's cards fixture). */
export interface CardFacts {
  readonly alias: string;
  readonly pin: string;
  /** The balance the fixture seeds, in minor units. */
  readonly balance: number;
  readonly status: 'active' | 'lost' | 'stolen' | 'blocked';
  /** YYMM */
  readonly expiry: string;
}

/** What the rig and its terminal can do: explore only generates what the steps can play on it. */
export interface RigFacts {
  readonly currency: string;
  readonly cards: readonly CardFacts[];
  /** Entry methods the terminal lists (tap only with a known no-PIN limit). */
  readonly methods: readonly EntryMethod[];
  readonly pin: boolean;
  readonly printer: boolean;
  readonly voice: boolean;
  readonly faults: boolean;
  readonly power: boolean;
  readonly backupHost: boolean;
  /** The terminal is on a serial link posrig can inject link faults on (@needs-serial-link). */
  readonly serialLink: boolean;
  /** The terminal's no-PIN limit in minor units; undefined when the rig does not declare it. */
  readonly noPinLimit: number | undefined;
  /** The month the bank judges expiry against, YYMM. */
  readonly asOf: string;
}

/** The bank's wrong-PIN limit: the third wrong PIN in a row is answered 75 (docs/steps.md, docs/host.md). */
export const PIN_TRIES = 3;

/** A sale fault armed and not yet met by a request, or a lost or garbled response and the power cut while the
 * reversal it causes is out. */
export type ArmedSaleFault = SaleFault | ReversalCut;

/** The responses whose loss or damage makes the terminal reverse, with "the power will be cut while the terminal
 * sends its reversal" armed after them (docs/protocol.md section 15.3). */
export const CUT_CAUSES = ['lose-response', 'garble-response'] as const;
export type CutCause = (typeof CUT_CAUSES)[number];
export type ReversalCut = `${CutCause}-cut-reversing`;

export interface ExploreModel {
  readonly rig: RigFacts;
  /** Balances a step set, then moved by the sales the model expects (minor units). Unknown until set. */
  readonly balances: Map<string, number>;
  /** The bank's wrong-PIN counter per card. */
  readonly pinTries: Map<string, number>;
  saleFault: ArmedSaleFault | undefined;
  reversalFault: ReversalFault | undefined;
  /** A serial-link fault armed and not yet met by a command (the next command the cash register sends takes it). */
  linkFault: LinkFault | undefined;
  /** "the primary host refuses connections" is armed: the terminal fails over to the backup, past the proxy. */
  refusing: boolean;
  /** "no reversal reaches the host until the network recovers" is armed. */
  reversalsBlocked: boolean;
  /** A reversal is due and may not be delivered yet: balances are not checked, the next online sale delivers it. */
  owed: boolean;
  paper: 'ok' | 'out' | 'first-copy';
  /** Copies the empty printer stopped, printed (marked) once paper is loaded. */
  unprinted: Array<{ copy: 'merchant' | 'cardholder'; amount: number }>;
  /** The amount of the last receipt (a reprint's), in minor units; undefined when there is none. */
  lastReceipt: number | undefined;
}

/** A fresh model: nothing set, nothing armed, paper in. */
export function newModel(rig: RigFacts): ExploreModel {
  return {
    rig,
    balances: new Map(),
    pinTries: new Map(),
    saleFault: undefined,
    reversalFault: undefined,
    linkFault: undefined,
    refusing: false,
    reversalsBlocked: false,
    owed: false,
    paper: 'ok',
    unprinted: [],
    lastReceipt: undefined,
  };
}

export function cardOf(model: ExploreModel, alias: string): CardFacts {
  const card = model.rig.cards.find((c) => c.alias === alias);
  if (!card) throw new Error(`explore: no card "${alias}" in the rig's cards`);
  return card;
}

/** A card the bank answers on its state, not its PIN or funds: 14 (not active) or 54 (expired). */
export function refusedCard(model: ExploreModel, alias: string): '14' | '54' | undefined {
  const card = cardOf(model, alias);
  if (card.status !== 'active') return '14';
  if (card.expiry < model.rig.asOf) return '54';
  return undefined;
}

/** The bank's answer to one request (docs/host.md): card state, then the PIN (when one was entered), then funds.
 * Updates the PIN try counter as the bank does. `pin` undefined: a tap without a PIN. */
export function hostAnswer(model: ExploreModel, alias: string, pin: 'right' | 'wrong' | undefined, amount: number) {
  const refused = refusedCard(model, alias);
  if (refused) return refused;
  if (pin !== undefined) {
    const tries = model.pinTries.get(alias) ?? 0;
    if (tries >= PIN_TRIES) return '75';
    if (pin === 'wrong') {
      model.pinTries.set(alias, tries + 1);
      return tries + 1 >= PIN_TRIES ? '75' : '55';
    }
    model.pinTries.set(alias, 0);
  }
  const balance = model.balances.get(alias) ?? cardOf(model, alias).balance;
  return balance < amount ? '51' : '00';
}

/** A wrong PIN for the card: digits of the same length that are not its PIN. */
export function wrongPin(card: CardFacts): string {
  const zeros = '0'.repeat(card.pin.length);
  return card.pin === zeros ? '9'.repeat(card.pin.length) : zeros;
}

/** The sale faults that cut the power or abort: only with no reversal fault armed and none owed (the power-up
 * reversal must get through, the abort needs the request out). */
export function isPowerOrAbort(fault: ArmedSaleFault | Fault | undefined): boolean {
  return (
    fault === 'cut-power-online' ||
    fault === 'cut-power-as-request-leaves' ||
    fault === 'lose-response-cut-reversing' ||
    fault === 'garble-response-cut-reversing' ||
    fault === 'cut-power-reversing' ||
    fault === 'abort-online'
  );
}
