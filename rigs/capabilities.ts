// What a scenario needs of the rig and its terminal, declared by tags (`@needs-printer`, `@needs-power` …), and what a
// rig offers: the one table for the steps (a scenario a rig cannot serve is skipped with the reason, never failed) and
// for `posrig doctor` (which features a rig will skip).
//   missingNeed(['@needs-power'], capabilitiesOf(rig))  → 'skipped: rig lab-07 has no power relay (@needs-power)'
//   noPinLimitOf(rig)                                  → 1000.00 CNY (terminal.timing.noPinLimit), or undefined

import { type Money, money, parseMoney } from '../protocols/domain/money.ts';
import { DEFAULT_TAP_NO_PIN_LIMIT } from '../simulators/terminal/config.ts';
import type { Rig } from './rig.ts';
import { ScenarioError } from './verdict/culprit.ts';

/** What a rig can do for a scenario: its terminal's `info.capabilities` and the parts around the terminal. */
export interface RigCapabilities {
  readonly rig: string;
  /** The terminal's `info.capabilities` (docs/protocol.md section 9); undefined when it has not said (not judged). */
  readonly terminal: readonly string[] | undefined;
  /** A relay switches the terminal at once (a `command` relay, or the simulated terminal's own; not `manual`). */
  readonly power: boolean;
  /** The rig's relay is the operator (`power.kind: manual`). */
  readonly manualPower?: boolean;
  /** A fault proxy sits between terminal and host (`host.faults`). */
  readonly faults: boolean;
  /** The terminal has a backup host to fail over to (`host.backup`). */
  readonly backupHost: boolean;
  /** The bank can be told to set balances and to decline (bank.probe `simulator` or `{ ledger }`; not `{ iso8583 }`),
   * and no other terminal uses it meanwhile. */
  readonly bankControl: boolean;
  /** Who else uses the bank at the same time (a pool's terminals), when someone does. */
  readonly sharedBank?: string;
  /** The terminal is on a framed serial link the harness can damage (not MQTT, which has no frames). */
  readonly serialLink: boolean;
}

interface Need {
  readonly has: (capabilities: RigCapabilities) => boolean;
  /** Why not, without the tag: "rig lab-07 has no power relay". */
  readonly lacks: (capabilities: RigCapabilities) => string;
}

/** A need the terminal declares in its `info.capabilities`. */
function terminalCan(capability: string, what: string): Need {
  return {
    has: (c) => c.terminal === undefined || c.terminal.includes(capability),
    lacks: (c) =>
      `the terminal of rig ${c.rig} has no ${what} (its info lists no "${capability}": ${c.terminal?.join(', ') || 'nothing'})`,
  };
}

/** A need the rig's parts around the terminal meet. */
function rigHas(has: (c: RigCapabilities) => boolean, what: string): Need {
  return { has, lacks: (c) => `rig ${c.rig} has no ${what}` };
}

/** Every tag a feature may declare its needs with, and what meets it (docs/steps.md "What a feature needs"). */
export const NEEDS: Readonly<Record<string, Need>> = {
  '@needs-swipe': terminalCan('swipe', 'magnetic stripe reader'),
  '@needs-chip': terminalCan('chip', 'chip reader'),
  '@needs-contactless': terminalCan('tap', 'contactless reader'),
  '@needs-pin': terminalCan('pin', 'PIN pad'),
  '@needs-printer': terminalCan('printer', 'printer'),
  '@needs-voice': terminalCan('voice', 'voice prompts'),
  '@needs-power': {
    has: (c) => c.power,
    lacks: (c) =>
      c.manualPower
        ? `rig ${c.rig} has a manual power relay: an operator cannot cut the power at the moment a scenario names`
        : `rig ${c.rig} has no power relay`,
  },
  '@needs-faults': rigHas((c) => c.faults, 'fault proxy (host.faults)'),
  '@needs-backup-host': rigHas((c) => c.backupHost, 'backup host (host.backup)'),
  '@needs-serial-link': {
    has: (c) => c.serialLink,
    lacks: (c) => `rig ${c.rig} reaches its terminal over MQTT: no framed serial link to inject link faults on`,
  },
  '@needs-bank-control': {
    has: (c) => c.bankControl,
    lacks: (c) =>
      c.sharedBank
        ? `rig ${c.rig} shares its bank with ${c.sharedBank}: balances it sets and declines it scripts would race with the other terminals`
        : `rig ${c.rig} has a bank it cannot set balances on or tell to decline (bank.probe iso8583: a real acquirer)`,
  },
};

/** The capabilities of a started rig; the terminal's as its last `info` stated them, unless given. */
export function capabilitiesOf(
  rig: Rig,
  terminal: readonly string[] | undefined = rig.terminal.info?.capabilities,
): RigCapabilities {
  const probe = rig.file.bank.probe;
  return {
    rig: rig.name,
    terminal,
    // An operator cannot cut the power at the protocol moment a scenario names ("while the terminal waits for the
    // host"): a manual relay serves doctor's power check, not the power features.
    power: rig.power !== undefined && rig.file.power?.kind !== 'manual',
    manualPower: rig.file.power?.kind === 'manual',
    faults: rig.faults !== undefined,
    backupHost: rig.file.host.backup !== undefined,
    bankControl: (probe === 'simulator' || 'ledger' in probe) && rig.bank.sharedBy === undefined,
    ...(rig.bank.sharedBy ? { sharedBank: rig.bank.sharedBy } : {}),
    serialLink: rig.link !== undefined,
  };
}

/** The tags a feature may declare its needs with. */
export const KNOWN_NEEDS: readonly string[] = Object.keys(NEEDS);

/** Why the rig lacks what a known `@needs-…` tag asks ("rig lab-07 has no power relay"); undefined when it has it, or
 * when nobody knows the tag. */
export function unmetNeed(tag: string, capabilities: RigCapabilities): string | undefined {
  const need = NEEDS[tag];
  return need && !need.has(capabilities) ? need.lacks(capabilities) : undefined;
}

/** The first need among the tags that the rig lacks, as the reason the scenario is skipped; undefined when it has
 * them all. An unknown `@needs-…` tag is the scenario's error. */
export function missingNeed(tags: readonly string[], capabilities: RigCapabilities): string | undefined {
  for (const tag of tags) {
    if (!tag.startsWith('@needs-')) continue;
    if (!NEEDS[tag]) throw new ScenarioError(`unknown tag ${tag} (a feature may need: ${KNOWN_NEEDS.join(', ')})`);
    const lacks = unmetNeed(tag, capabilities);
    if (lacks) return `skipped: ${lacks} (${tag})`;
  }
  return undefined;
}

/** The amount at or under which the rig's terminal takes a tap without a PIN: terminal.timing.noPinLimit, or the
 * simulated terminal's default; undefined for a real terminal whose rig does not say. */
export function noPinLimitOf(rig: Rig): Money | undefined {
  const declared = rig.file.terminal.timing?.noPinLimit;
  if (declared !== undefined) return parseMoney(`${declared} ${rig.file.currency}`);
  return rig.file.terminal.simulate ? money(DEFAULT_TAP_NO_PIN_LIMIT, rig.file.currency) : undefined;
}
