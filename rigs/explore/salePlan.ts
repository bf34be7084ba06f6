// What a sale does and what the model expects of it, as the steps the scenario plays and writes: the card's balance
// set when the model does not know it yet, the sale, the card, the PINs, then the outcome docs/protocol.md promises
// for the fault armed (section 15.2: timeout, failed or cancelled, reversed with 98, 96, 17 or 06; section 15.1: 55
// asks again, 75 ends), the receipts (section 15.4) and the balance. Updates the model as the terminal and the bank
// must have moved.
//   const steps = planSale(model, { card: 'alice', method: 'swipe', amount: 1200, wrongPins: 1 });

import { type Money, money } from '../../protocols/domain/money.ts';
import { cardOf, type ExploreModel, hostAnswer, wrongPin } from './model.ts';
import type { EntryMethod, Outcome, ScenarioStep } from './scenarioStep.ts';

export interface SaleParams {
  readonly card: string;
  readonly method: EntryMethod;
  /** Minor units. */
  readonly amount: number;
  /** Wrong PINs typed before the right one (a tap types none). */
  readonly wrongPins: number;
}

/** Reference texts (docs/protocol.md), worded by the rig's text profile. */
export const TEXTS = {
  approved: '交易成功',
  wrongPin: '密码错误，请重新输入',
  pinLocked: '密码错误次数超限',
  paperOut: '打印机缺纸',
  askPin: '请输入密码',
  askCard: '请刷卡/插卡/挥卡',
} as const;

/** How the terminal ends a request whose answer it cannot use, by the fault armed: outcome and 0400 reason (DE39). */
const REVERSED: Readonly<Record<string, { outcome: Outcome | undefined; reason: string; hostSaw: boolean }>> = {
  'drop-request': { outcome: 'failed', reason: '98', hostSaw: false },
  'lose-response': { outcome: 'timeout', reason: '98', hostSaw: true },
  'garble-response': { outcome: 'failed', reason: '96', hostSaw: true },
  'another-amount': { outcome: 'failed', reason: '96', hostSaw: true },
  'another-stan': { outcome: 'failed', reason: '96', hostSaw: true },
  'another-tid': { outcome: 'failed', reason: '96', hostSaw: true },
  'response-just-after-timeout': { outcome: 'timeout', reason: '98', hostSaw: true },
  'abort-online': { outcome: 'cancelled', reason: '17', hostSaw: true },
  'cut-power-online': { outcome: undefined, reason: '06', hostSaw: true },
  'cut-power-as-request-leaves': { outcome: undefined, reason: '06', hostSaw: false },
  'lose-response-cut-reversing': { outcome: undefined, reason: '98', hostSaw: true },
  'garble-response-cut-reversing': { outcome: undefined, reason: '96', hostSaw: true },
};

/** True when the sale can be played from this model: see commands.ts for why each condition. */
export function saleFits(model: ExploreModel, p: SaleParams): boolean {
  const rig = model.rig;
  if (!rig.methods.includes(p.method)) return false;
  if (model.unprinted.length > 0) return false;
  const tap = p.method === 'tap';
  if (tap && (rig.noPinLimit === undefined || p.amount > rig.noPinLimit)) return false;
  if (!tap && !rig.pin) return false;
  if (p.wrongPins > 0) {
    if (tap || model.saleFault !== undefined || (model.owed && model.reversalsBlocked)) return false;
    const card = cardOf(model, p.card);
    if (card.status !== 'active' || card.expiry < rig.asOf) return false;
  }
  return true;
}

/** The steps of the sale, set-up to checks; updates the model. Call only when saleFits. */
export function planSale(model: ExploreModel, p: SaleParams): ScenarioStep[] {
  const { currency } = model.rig;
  const amount = money(p.amount, currency);
  const card = cardOf(model, p.card);
  const steps: ScenarioStep[] = [];
  if (!model.balances.has(p.card)) {
    steps.push({ kind: 'holds', card: p.card, amount: money(card.balance, currency) });
    model.balances.set(p.card, card.balance);
  }
  const tap = p.method === 'tap';
  if (tap) steps.push({ kind: 'noPinLimit', amount });
  steps.push({ kind: 'startSale', amount }, { kind: 'present', method: p.method, card: p.card });
  const right = { kind: 'pin', pin: card.pin } as const;
  // A reversal still due that cannot get through: the sale fails without sending its request (section 15.2.4).
  if (model.owed && model.reversalsBlocked) {
    if (!tap) steps.push(right);
    steps.push(
      { kind: 'outcome', outcome: 'failed' },
      { kind: 'noRequest' },
      { kind: 'doesNotShow', text: TEXTS.approved },
      { kind: 'noReceipt' },
    );
    return steps;
  }
  model.owed = false; // delivered before the request goes out (section 15.2.4)
  const fault = model.saleFault;
  model.saleFault = undefined;
  // Wrong PINs first (no fault is armed then): each answered 55 and asked again, the third ends the sale with 75.
  let code = '';
  for (let i = 0; i < p.wrongPins && code !== '75'; i++) {
    steps.push({ kind: 'pin', pin: wrongPin(card) });
    code = hostAnswer(model, p.card, 'wrong', p.amount);
    if (code === '55') steps.push({ kind: 'shows', text: TEXTS.wrongPin });
  }
  const reversed = fault && REVERSED[fault];
  if (code !== '75') {
    if (!tap) steps.push(right);
    // the bank answers (and counts PIN tries) only when the request reached it
    if (!reversed || reversed.hostSaw) code = hostAnswer(model, p.card, tap ? undefined : 'right', p.amount);
  }
  if (reversed) {
    steps.push(...reversal(model, reversed, p));
    return steps;
  }
  if (code === '00') steps.push(...approved(model, p, amount));
  else steps.push(...declined(model, p, code));
  return steps;
}

/** An approved sale: shown (and said), approved, its copies printed as the paper allows, the card debited. */
function approved(model: ExploreModel, p: SaleParams, amount: Money): ScenarioStep[] {
  const steps: ScenarioStep[] = [{ kind: 'shows', text: TEXTS.approved }];
  if (model.rig.voice) steps.push({ kind: 'says', text: TEXTS.approved });
  steps.push({ kind: 'outcome', outcome: 'approved' });
  if (model.rig.printer) {
    if (model.paper === 'ok') {
      steps.push({ kind: 'receipt', copy: 'merchant', amount }, { kind: 'receipt', copy: 'cardholder', amount });
    } else if (model.paper === 'first-copy') {
      steps.push({ kind: 'receipt', copy: 'merchant', amount }, { kind: 'shows', text: TEXTS.paperOut });
      model.unprinted.push({ copy: 'cardholder', amount: p.amount });
      model.paper = 'out';
    } else {
      steps.push({ kind: 'shows', text: TEXTS.paperOut });
      model.unprinted.push({ copy: 'merchant', amount: p.amount }, { copy: 'cardholder', amount: p.amount });
    }
  }
  model.lastReceipt = p.amount;
  const balance = (model.balances.get(p.card) ?? 0) - p.amount;
  model.balances.set(p.card, balance);
  steps.push(balanceStep(model, p.card));
  return steps;
}

/** A declined sale: the bank's code, no approval shown, nothing printed, no money moved. */
function declined(model: ExploreModel, p: SaleParams, code: string): ScenarioStep[] {
  // 75 ends the sale: the terminal says so and asks for no PIN again (section 15.1)
  const locked: ScenarioStep[] = code === '75' ? [{ kind: 'shows', text: TEXTS.pinLocked }] : [];
  return [
    ...locked,
    { kind: 'outcome', outcome: 'declined', code },
    { kind: 'doesNotShow', text: TEXTS.approved },
    { kind: 'noReceipt' },
    balanceStep(model, p.card),
  ];
}

/** A sale the fault ended without a usable answer: its outcome (none after a power cut), no approval, nothing
 * printed, and its reversal with the reason of section 15.2 — or, while reversals cannot get through, owed. */
function reversal(model: ExploreModel, how: { outcome: Outcome | undefined; reason: string }, p: SaleParams) {
  const steps: ScenarioStep[] = [];
  const cut = how.outcome === undefined;
  if (cut) steps.push({ kind: 'powerBack' });
  else steps.push({ kind: 'outcome', outcome: how.outcome as Outcome });
  steps.push({ kind: 'doesNotShow', text: TEXTS.approved }, { kind: 'noReceipt' });
  if (cut) model.lastReceipt = undefined; // a power cut loses the last receipt (section 15.3)
  if (model.reversalsBlocked) {
    model.owed = true;
    return steps;
  }
  // A lost 0400 or 0410 is met by this reversal: the terminal retries it later, or delivers it before the next
  // request (section 15.2.3-4) — owed meanwhile, so the next sale shows which comes first.
  const retried = model.reversalFault !== undefined;
  model.reversalFault = undefined;
  if (retried) {
    model.owed = true;
    return steps;
  }
  steps.push({ kind: 'reverses', reason: how.reason }, balanceStep(model, p.card));
  return steps;
}

/** The card's balance as the model expects it. */
export function balanceStep(model: ExploreModel, alias: string): ScenarioStep {
  return { kind: 'balance', card: alias, amount: money(model.balances.get(alias) ?? 0, model.rig.currency) };
}
