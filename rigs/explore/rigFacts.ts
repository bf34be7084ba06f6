// What a started rig and its terminal offer to an exploration: the cards of its fixture and which steps it can play
// (the terminal's info.capabilities, the fault proxy, the power relay, the backup host, the serial link, the
// no-PIN limit).
//   const facts = rigFacts(rig);  facts.methods → ['swipe', 'chip', 'tap']

import { clock } from '../../protocols/domain/clock.ts';
import { capabilitiesOf, noPinLimitOf } from '../capabilities.ts';
import type { Rig } from '../rig.ts';
import type { RigFacts } from './model.ts';
import type { EntryMethod } from './scenarioStep.ts';

/** The rig's facts for the model; throws when the bank cannot be told balances (the model must know them). */
export function rigFacts(rig: Rig, now = clock.date()): RigFacts {
  const can = capabilitiesOf(rig);
  if (!can.bankControl)
    throw new Error(
      `rig ${rig.name}: explore sets card balances, so its bank must take them (bank.probe simulator or { ledger }, not shared)`,
    );
  const listed = (capability: string) => can.terminal === undefined || can.terminal.includes(capability);
  const limit = noPinLimitOf(rig);
  const noPinLimit = limit && limit.currency === rig.file.currency ? limit.minor : undefined;
  const methods: EntryMethod[] = [];
  if (listed('swipe')) methods.push('swipe');
  if (listed('chip')) methods.push('chip');
  if (listed('tap') && noPinLimit !== undefined) methods.push('tap');
  const yymm = `${String(now.getFullYear() % 100).padStart(2, '0')}${String(now.getMonth() + 1).padStart(2, '0')}`;
  return {
    currency: rig.file.currency,
    cards: rig.cards.all().map((c) => ({
      alias: c.alias,
      pin: c.pin,
      balance: c.balance.minor,
      status: c.status,
      expiry: c.expiry,
    })),
    methods,
    pin: listed('pin'),
    printer: listed('printer'),
    voice: listed('voice'),
    faults: can.faults,
    power: can.power,
    backupHost: can.backupHost,
    serialLink: can.serialLink,
    noPinLimit,
    asOf: yymm,
  };
}
