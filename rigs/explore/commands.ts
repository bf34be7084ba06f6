// The commands of a model-based run (fast-check's fc.commands): each checks that the model allows it, plans its
// steps from the model (what it does and what the terminal must do, updating the model), and plays them on the rig.
// A command is only what the documented steps can say, so a run is always a scenario posrig can write.
//   fc.asyncModelRun(() => ({ model: newModel(facts), real: session }), commands);

import fc from 'fast-check';
import { formatMoney, money } from '../../protocols/domain/money.ts';
import { CUT_CAUSES, type CutCause, type ExploreModel, isPowerOrAbort, type RigFacts } from './model.ts';
import { planSale, type SaleParams, saleFits, TEXTS } from './salePlan.ts';
import {
  type EntryMethod,
  type Fault,
  LINK_FAULTS,
  type LinkFault,
  REVERSAL_FAULTS,
  type ReversalFault,
  SALE_FAULTS,
  type ScenarioStep,
  type StepKind,
} from './scenarioStep.ts';
import type { ExploreSession } from './session.ts';

/** One command: its steps are planned from (and update) the model, then played on the session's rig. */
export abstract class ExploreCommand implements fc.AsyncCommand<ExploreModel, ExploreSession> {
  abstract check(model: Readonly<ExploreModel>): boolean;
  abstract toString(): string;
  /** This command's own steps from this model; updates the model as the terminal and the bank must move. */
  protected abstract planned(model: ExploreModel): ScenarioStep[];

  /** The steps this command plays from this model; updates the model as the terminal and the bank must move. A
   * serial-link fault armed before is met by the first command these steps send. */
  plan(model: ExploreModel): ScenarioStep[] {
    const steps = this.planned(model);
    if (steps.some((step) => SENDS_COMMAND.has(step.kind))) model.linkFault = undefined;
    return steps;
  }

  async run(model: ExploreModel, session: ExploreSession): Promise<void> {
    await session.play(this.plan(model));
  }
}

/** The steps that send the terminal a command over its link (`sale`, `input.card`, `input.keys`, `abort`,
 * `reprint`, `printer.set`): the first one after a serial-link fault meets it. */
const SENDS_COMMAND: ReadonlySet<StepKind> = new Set<StepKind>([
  'startSale',
  'present',
  'pin',
  'cancel',
  'abort',
  'loadPaper',
  'reprint',
  'paperOut',
]);

/** An armed power cut or abort waits on the next request: nothing but a sale may come before it. */
function saleNext(model: Readonly<ExploreModel>): boolean {
  return isPowerOrAbort(model.saleFault);
}

/** Nothing left over that a power cut or an abort could meet instead of its sale: no reversal fault or reversal owed,
 * the printer ready, and no serial-link fault waiting for its command (a cut terminal could not answer it). */
function quiet(model: Readonly<ExploreModel>): boolean {
  const printer = model.paper === 'ok' && model.unprinted.length === 0;
  return !model.reversalFault && !model.owed && printer && model.linkFault === undefined;
}

/** "1.00 CNY" for 100 minor units: what a command's name shows (the steps say the same). */
function moneyName(minor: number, currency: string): string {
  return formatMoney(money(minor, currency));
}

export class SaleCommand extends ExploreCommand {
  constructor(
    readonly sale: SaleParams,
    readonly currency: string,
  ) {
    super();
  }
  check(model: Readonly<ExploreModel>): boolean {
    return saleFits(model as ExploreModel, this.sale);
  }
  protected planned(model: ExploreModel): ScenarioStep[] {
    return planSale(model, this.sale);
  }
  toString(): string {
    const { card, method, amount, wrongPins } = this.sale;
    return `sale(${card}, ${method}, ${moneyName(amount, this.currency)}${wrongPins ? `, wrong PIN ×${wrongPins}` : ''})`;
  }
}

/** A sale the cardholder cancels at the PIN prompt, or the merchant aborts while the terminal waits for the card. */
export class CancelCommand extends ExploreCommand {
  constructor(
    readonly how: 'cancel-at-pin' | 'abort-at-card',
    readonly card: string,
    readonly method: Exclude<EntryMethod, 'tap'>,
    readonly amount: number,
    readonly currency: string,
  ) {
    super();
  }
  check(model: Readonly<ExploreModel>): boolean {
    if (saleNext(model)) return false;
    return this.how === 'abort-at-card' || (model.rig.pin && model.rig.methods.includes(this.method));
  }
  protected planned(model: ExploreModel): ScenarioStep[] {
    const steps: ScenarioStep[] = [{ kind: 'startSale', amount: money(this.amount, model.rig.currency) }];
    if (this.how === 'cancel-at-pin')
      steps.push(
        { kind: 'present', method: this.method, card: this.card },
        { kind: 'shows', text: TEXTS.askPin },
        { kind: 'cancel' },
      );
    else steps.push({ kind: 'shows', text: TEXTS.askCard }, { kind: 'abort' });
    steps.push(
      { kind: 'outcome', outcome: 'cancelled' },
      { kind: 'doesNotShow', text: TEXTS.approved },
      { kind: 'noReceipt' },
    );
    return steps;
  }
  toString(): string {
    return this.how === 'cancel-at-pin'
      ? `cancel(${this.card}, ${this.method}, ${moneyName(this.amount, this.currency)})`
      : `abort(${moneyName(this.amount, this.currency)})`;
  }
}

/** The merchant asks for a reprint of the last receipt: its cardholder copy, marked (docs/protocol.md 15.4). */
export class ReprintCommand extends ExploreCommand {
  check(model: Readonly<ExploreModel>): boolean {
    const ready = model.paper === 'ok' && model.unprinted.length === 0;
    return model.rig.printer && model.lastReceipt !== undefined && ready && !saleNext(model);
  }
  protected planned(model: ExploreModel): ScenarioStep[] {
    const amount = money(model.lastReceipt ?? 0, model.rig.currency);
    return [{ kind: 'reprint' }, { kind: 'markedReceipt', copy: 'cardholder', amount }];
  }
  toString(): string {
    return 'reprint';
  }
}

export class PaperOutCommand extends ExploreCommand {
  constructor(readonly after: 'now' | 'first-copy') {
    super();
  }
  check(model: Readonly<ExploreModel>): boolean {
    return model.rig.printer && model.paper === 'ok' && model.unprinted.length === 0 && !saleNext(model);
  }
  protected planned(model: ExploreModel): ScenarioStep[] {
    model.paper = this.after === 'now' ? 'out' : 'first-copy';
    return [{ kind: 'paperOut', after: this.after }];
  }
  toString(): string {
    return `paperOut(${this.after})`;
  }
}

/** Paper loaded: every copy the empty printer stopped comes out, marked as a reprint. */
export class LoadPaperCommand extends ExploreCommand {
  check(model: Readonly<ExploreModel>): boolean {
    return model.rig.printer && model.paper !== 'ok' && !saleNext(model);
  }
  protected planned(model: ExploreModel): ScenarioStep[] {
    const { currency } = model.rig;
    const steps: ScenarioStep[] = [{ kind: 'loadPaper' }];
    for (const { copy, amount } of model.unprinted)
      steps.push({ kind: 'markedReceipt', copy, amount: money(amount, currency) });
    model.paper = 'ok';
    model.unprinted = [];
    return steps;
  }
  toString(): string {
    return 'loadPaper';
  }
}

/** The bank sets a card's balance (a top-up, or money taken away). */
export class TopUpCommand extends ExploreCommand {
  constructor(
    readonly card: string,
    readonly amount: number,
    readonly currency: string,
  ) {
    super();
  }
  check(model: Readonly<ExploreModel>): boolean {
    return !model.owed && !saleNext(model);
  }
  protected planned(model: ExploreModel): ScenarioStep[] {
    model.balances.set(this.card, this.amount);
    return [{ kind: 'holds', card: this.card, amount: money(this.amount, model.rig.currency) }];
  }
  toString(): string {
    return `holds(${this.card}, ${moneyName(this.amount, this.currency)})`;
  }
}

/** A network or power fault armed for what comes next. */
export class FaultCommand extends ExploreCommand {
  constructor(readonly fault: Fault) {
    super();
  }
  check(model: Readonly<ExploreModel>): boolean {
    const { rig } = model;
    if (!rig.faults || saleNext(model)) return false;
    const f = this.fault;
    if (f === 'refuse-primary')
      return rig.backupHost && !model.refusing && !model.saleFault && !model.reversalFault && !model.owed;
    if (f === 'cut-power-reversing') return rig.power && isCutCause(model.saleFault) && quiet(model);
    if ((REVERSAL_FAULTS as readonly string[]).includes(f))
      return !model.reversalFault && !model.refusing && !model.owed;
    if (model.saleFault || model.refusing) return false;
    if (f === 'cut-power-online' || f === 'cut-power-as-request-leaves') return rig.power && quiet(model);
    if (f === 'abort-online') return quiet(model);
    return true;
  }
  protected planned(model: ExploreModel): ScenarioStep[] {
    const f = this.fault;
    if (f === 'refuse-primary') model.refusing = true;
    else if (f === 'cut-power-reversing' && isCutCause(model.saleFault))
      model.saleFault = `${model.saleFault}-cut-reversing`;
    else if ((REVERSAL_FAULTS as readonly string[]).includes(f)) {
      model.reversalFault = f as ReversalFault;
      if (f === 'lose-every-reversal') model.reversalsBlocked = true;
    } else model.saleFault = f as (typeof SALE_FAULTS)[number];
    return [{ kind: 'fault', fault: f }];
  }
  toString(): string {
    return `fault(${this.fault})`;
  }
}

function isCutCause(fault: string | undefined): fault is CutCause {
  return (CUT_CAUSES as readonly string[]).includes(fault ?? '');
}

/** Sale faults after which the terminal reverses, for a lost reversal or a lost answer to it to meet. */
const LOST_CAUSES = ['drop-request', 'lose-response', 'garble-response'] as const;
type LostCause = (typeof LOST_CAUSES)[number];

/** A pair of faults on the reversal path, armed before one sale, as its two documented steps:
 *  - a response lost or garbled, then "the power will be cut while the terminal sends its reversal": the pending
 *    reversal must survive the cut and be delivered after power-up (docs/protocol.md section 15.3), netting to zero;
 *  - "the terminal's next reversal does not reach the host" or "the host's answer to the terminal's next reversal is
 *    lost", then a fault the terminal reverses: the reversal is owed, retried or delivered before the next request
 *    (section 15.2.3-4).
 * One command, so that exploration reaches each pair without having to draw both faults in a row. */
export class ReversalPathCommand extends ExploreCommand {
  constructor(
    readonly cause: CutCause | LostCause,
    readonly fault: 'cut-power-reversing' | 'lose-reversal' | 'lose-reversal-answer',
  ) {
    super();
  }
  check(model: Readonly<ExploreModel>): boolean {
    const { rig } = model;
    if (!rig.faults || saleNext(model) || model.saleFault || model.refusing) return false;
    if (this.fault === 'cut-power-reversing') return rig.power && isCutCause(this.cause) && quiet(model);
    return !model.reversalFault && !model.owed;
  }
  protected planned(model: ExploreModel): ScenarioStep[] {
    if (this.fault === 'cut-power-reversing' && isCutCause(this.cause)) {
      model.saleFault = `${this.cause}-cut-reversing`;
      return [
        { kind: 'fault', fault: this.cause },
        { kind: 'fault', fault: this.fault },
      ];
    }
    model.reversalFault = this.fault as ReversalFault;
    model.saleFault = this.cause;
    return [
      { kind: 'fault', fault: this.fault },
      { kind: 'fault', fault: this.cause },
    ];
  }
  toString(): string {
    return `reversalPath(${this.cause}, ${this.fault})`;
  }
}

/** A fault on the serial link, met by the next command the cash register sends (lose-ack: by the terminal's next
 * frame). What the terminal must do is the link's business alone (docs/protocol.md sections 4 and 5: NAK a damaged
 * frame, ACK a copy and act once, ignore noise, send a frame again whose ACK was lost), so the model expects the
 * commands to go on as without it; the behaviour monitor's link rules judge the terminal's answer on the wire. */
export class LinkFaultCommand extends ExploreCommand {
  constructor(readonly fault: LinkFault) {
    super();
  }
  check(model: Readonly<ExploreModel>): boolean {
    return model.rig.serialLink && model.linkFault === undefined && !saleNext(model);
  }
  protected planned(model: ExploreModel): ScenarioStep[] {
    model.linkFault = this.fault;
    return [{ kind: 'linkFault', fault: this.fault }];
  }
  toString(): string {
    return `linkFault(${this.fault})`;
  }
}

/** "the network recovers": every fault rule disarmed. */
export class RecoverCommand extends ExploreCommand {
  check(model: Readonly<ExploreModel>): boolean {
    if (!model.rig.faults || saleNext(model)) return false;
    return Boolean(model.saleFault || model.reversalFault || model.refusing || model.reversalsBlocked);
  }
  protected planned(model: ExploreModel): ScenarioStep[] {
    model.saleFault = undefined;
    model.reversalFault = undefined;
    model.refusing = false;
    model.reversalsBlocked = false;
    return [{ kind: 'recovers' }];
  }
  toString(): string {
    return 'recovers';
  }
}

/** Amounts in minor units: round ones and odd ones, up to 600.00 (a fixture card holds 500.00: some go over). */
const amounts = fc.oneof(
  fc.integer({ min: 1, max: 600 }).map((n) => n * 100),
  fc.integer({ min: 1, max: 60_000 }),
);

/** Every command arbitrary for a rig: sales weigh most, then single faults (a fault is worth a run only when a sale
 * meets it); link faults only where the terminal is on a serial link. */
export function exploreCommands(facts: RigFacts): Array<fc.Arbitrary<ExploreCommand>> {
  const cards = fc.constantFrom(...facts.cards.map((c) => c.alias));
  const methods = fc.constantFrom<EntryMethod>('swipe', 'chip', 'tap');
  const sale = fc
    .record({ card: cards, method: methods, amount: amounts, wrongPins: fc.constantFrom(0, 0, 0, 1, 2, 3) })
    .map((p) => new SaleCommand(p.method === 'tap' ? { ...p, wrongPins: 0 } : p, facts.currency) as ExploreCommand);
  const faults: Fault[] = [...SALE_FAULTS, ...REVERSAL_FAULTS, 'refuse-primary', 'cut-power-reversing'];
  return [
    sale,
    sale,
    sale,
    sale,
    sale,
    sale,
    sale,
    fc
      .tuple(
        fc.constantFrom('cancel-at-pin', 'abort-at-card') as fc.Arbitrary<'cancel-at-pin' | 'abort-at-card'>,
        cards,
      )
      .chain(([how, card]) =>
        fc
          .tuple(fc.constantFrom<'swipe' | 'chip'>('swipe', 'chip'), amounts)
          .map(([method, amount]) => new CancelCommand(how, card, method, amount, facts.currency) as ExploreCommand),
      ),
    fc.constant(new ReprintCommand() as ExploreCommand),
    fc.constantFrom<'now' | 'first-copy'>('now', 'first-copy').map((after) => new PaperOutCommand(after)),
    fc.constant(new LoadPaperCommand() as ExploreCommand),
    fc
      .tuple(
        cards,
        fc.integer({ min: 0, max: 1000 }).map((n) => n * 100),
      )
      .map(([c, a]) => new TopUpCommand(c, a, facts.currency)),
    fc.constantFrom(...faults).map((f) => new FaultCommand(f) as ExploreCommand),
    fc.constantFrom(...faults).map((f) => new FaultCommand(f) as ExploreCommand),
    fc.constantFrom(...faults).map((f) => new FaultCommand(f) as ExploreCommand),
    fc.constantFrom(...faults).map((f) => new FaultCommand(f) as ExploreCommand),
    fc.constant(new RecoverCommand() as ExploreCommand),
    fc.oneof(
      fc.constantFrom(...CUT_CAUSES).map((cause) => new ReversalPathCommand(cause, 'cut-power-reversing')),
      fc
        .tuple(fc.constantFrom(...LOST_CAUSES), fc.constantFrom('lose-reversal', 'lose-reversal-answer' as const))
        .map(([cause, fault]) => new ReversalPathCommand(cause, fault)),
    ) as fc.Arbitrary<ExploreCommand>,
    ...(facts.serialLink
      ? [fc.constantFrom(...LINK_FAULTS).map((fault) => new LinkFaultCommand(fault) as ExploreCommand)]
      : []),
  ];
}

/** The steps a sequence of commands plays, planned on a fresh model: what the written scenario says. */
export function stepsOf(commands: Iterable<ExploreCommand>, model: ExploreModel): ScenarioStep[] {
  const steps: ScenarioStep[] = [];
  for (const item of commands) {
    // fast-check hands its commands wrapped (to note which ran): plan the command inside
    const command = (item as { cmd?: ExploreCommand }).cmd ?? item;
    if (command.check(model)) steps.push(...command.plan(model));
  }
  return [...steps, ...closingSteps(model)];
}

/** What a run ends with so that its transactions can end: a reversal that cannot get through is let through
 * ("the network recovers"), else the scenario would end owing it — a pending reversal no terminal could deliver. */
export function closingSteps(model: ExploreModel): ScenarioStep[] {
  if (!model.reversalsBlocked && !model.owed) return [];
  return new RecoverCommand().plan(model);
}
