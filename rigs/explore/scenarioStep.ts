// One step of an explored scenario, as data: what `posrig explore` does to the rig (and expects of the terminal), and
// what the written .feature says. Each kind is one documented step of docs/steps.md; stepWords.ts words it in English
// or Chinese, session.ts plays it on a rig the way the step's code does.
//   const steps: ScenarioStep[] = [{ kind: 'startSale', amount }, { kind: 'present', method: 'swipe', card: 'alice' }];

import type { Money } from '../../protocols/domain/money.ts';
import type { LinkFaultKind } from '../serial/linkFaults.ts';

/** Faults the steps vocabulary arms on the network or the power before a sale ("Network faults and power"). */
export const SALE_FAULTS = [
  'drop-request',
  'lose-response',
  'garble-response',
  'duplicate-request',
  'another-amount',
  'another-stan',
  'another-tid',
  'response-just-after-timeout',
  'response-just-before-timeout',
  'cut-power-online',
  'cut-power-as-request-leaves',
  'abort-online',
] as const;
export type SaleFault = (typeof SALE_FAULTS)[number];

/** Faults on the reversal path (0400 / 0410), and the ones that last until the network recovers. */
export const REVERSAL_FAULTS = ['lose-reversal', 'lose-reversal-answer', 'lose-every-reversal'] as const;
export type ReversalFault = (typeof REVERSAL_FAULTS)[number];

/** Every fault a step arms. "cut-power-reversing" comes with a lost response (the reversal it cuts needs one). */
export type Fault = SaleFault | ReversalFault | 'refuse-primary' | 'cut-power-reversing';

/** Faults on the serial link to the terminal ("Faults on the serial link"): one-shot, on the next command the cash
 * register sends (lose-ack: on the terminal's next frame). */
export const LINK_FAULTS: readonly LinkFaultKind[] = ['lose-ack', 'corrupt', 'duplicate', 'noise', 'truncate'];
export type LinkFault = LinkFaultKind;

export type EntryMethod = 'swipe' | 'chip' | 'tap';
export type Copy = 'cardholder' | 'merchant';
export type Outcome = 'approved' | 'declined' | 'failed' | 'timeout' | 'cancelled';

/** The mark a reprint carries: a reference text, worded by the rig's text profile. */
export const REPRINT_MARK = '重打印凭证';

export type ScenarioStep =
  // set-up
  | { readonly kind: 'holds'; readonly card: string; readonly amount: Money }
  | { readonly kind: 'noPinLimit'; readonly amount: Money }
  | { readonly kind: 'fault'; readonly fault: Fault }
  | { readonly kind: 'linkFault'; readonly fault: LinkFault }
  | { readonly kind: 'paperOut'; readonly after: 'now' | 'first-copy' }
  // actions
  | { readonly kind: 'startSale'; readonly amount: Money }
  | { readonly kind: 'present'; readonly method: EntryMethod; readonly card: string }
  | { readonly kind: 'pin'; readonly pin: string }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'abort' }
  | { readonly kind: 'loadPaper' }
  | { readonly kind: 'reprint' }
  | { readonly kind: 'powerBack' }
  | { readonly kind: 'recovers' }
  // checks
  | { readonly kind: 'shows'; readonly text: string }
  | { readonly kind: 'doesNotShow'; readonly text: string }
  | { readonly kind: 'says'; readonly text: string }
  | { readonly kind: 'outcome'; readonly outcome: Outcome; readonly code?: string }
  | { readonly kind: 'completes' }
  | { readonly kind: 'noReceipt' }
  | { readonly kind: 'receipt'; readonly copy: Copy; readonly amount: Money }
  | { readonly kind: 'markedReceipt'; readonly copy: Copy; readonly amount: Money }
  | { readonly kind: 'balance'; readonly card: string; readonly amount: Money }
  | { readonly kind: 'reverses'; readonly reason?: string }
  | { readonly kind: 'noRequest' };

export type StepKind = ScenarioStep['kind'];

/** Gherkin's three roles: set-up (Given), action (When), check (Then). */
export type Role = 'setUp' | 'action' | 'check';

export function roleOf(step: ScenarioStep): Role {
  switch (step.kind) {
    case 'holds':
    case 'noPinLimit':
    case 'fault':
    case 'linkFault':
    case 'paperOut':
      return 'setUp';
    case 'startSale':
    case 'present':
    case 'pin':
    case 'cancel':
    case 'abort':
    case 'loadPaper':
    case 'reprint':
    case 'powerBack':
    case 'recovers':
      return 'action';
    default:
      return 'check';
  }
}
