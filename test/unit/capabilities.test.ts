// Capability-aware runs: a scenario's @needs-… tags against what the rig and its terminal can do. A rig that lacks a
// need skips the scenario with the reason; an unknown tag is the scenario's error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Rig } from '../../rigs/rig.ts';
import { ScenarioError } from '../../rigs/verdict/culprit.ts';
import { DEFAULT_TAP_NO_PIN_LIMIT } from '../../simulators/terminal/config.ts';
import {
  capabilitiesOf,
  markSkipped,
  missingNeed,
  NEEDS,
  noPinLimitOf,
  type RigCapabilities,
  skippedFor,
} from '../../steps/support/capabilities.ts';

const FULL: RigCapabilities = {
  rig: 'lab-07',
  terminal: ['swipe', 'chip', 'tap', 'qr', 'pin', 'printer', 'voice'],
  power: true,
  faults: true,
  backupHost: true,
  bankControl: true,
  serialLink: true,
};

describe('missingNeed', () => {
  it('a rig that has everything skips nothing, and tags that are no needs are ignored', () => {
    assert.equal(missingNeed(Object.keys(NEEDS), FULL), undefined);
    assert.equal(missingNeed(['@smoke', '@slow'], { ...FULL, power: false }), undefined);
  });

  it('names the rig and the tag of the first need it lacks', () => {
    assert.equal(
      missingNeed(['@needs-faults', '@needs-power'], { ...FULL, power: false }),
      'skipped: rig lab-07 has no power relay (@needs-power)',
    );
    assert.equal(
      missingNeed(['@needs-faults'], { ...FULL, faults: false }),
      'skipped: rig lab-07 has no fault proxy (host.faults) (@needs-faults)',
    );
    assert.equal(
      missingNeed(['@needs-backup-host'], { ...FULL, backupHost: false }),
      'skipped: rig lab-07 has no backup host (host.backup) (@needs-backup-host)',
    );
    assert.match(
      missingNeed(['@needs-bank-control'], { ...FULL, bankControl: false }) ?? '',
      /^skipped: rig lab-07 has a bank it cannot set balances on or tell to decline .* \(@needs-bank-control\)$/,
    );
  });

  it("judges the terminal's needs by its info.capabilities", () => {
    const noPrinter = { ...FULL, terminal: ['swipe', 'chip', 'tap', 'pin'] };
    assert.equal(
      missingNeed(['@needs-chip', '@needs-printer'], noPrinter),
      'skipped: the terminal of rig lab-07 has no printer (its info lists no "printer": swipe, chip, tap, pin) (@needs-printer)',
    );
    assert.match(missingNeed(['@needs-contactless'], { ...FULL, terminal: [] }) ?? '', /no contactless reader.*tap/);
    assert.equal(missingNeed(['@needs-chip'], noPrinter), undefined);
  });

  it('a terminal that has not said what it can do is not judged by the terminal tags', () => {
    assert.equal(missingNeed(['@needs-printer', '@needs-voice'], { ...FULL, terminal: undefined }), undefined);
    assert.match(missingNeed(['@needs-power'], { ...FULL, terminal: undefined, power: false }) ?? '', /power relay/);
  });

  it('an unknown @needs- tag is a scenario error naming the known ones', () => {
    assert.throws(
      () => missingNeed(['@needs-printr'], FULL),
      (error: unknown) =>
        error instanceof ScenarioError && /unknown tag @needs-printr .*@needs-printer/.test(error.message),
    );
  });
});

/** A started rig as far as capabilitiesOf and noPinLimitOf read it. */
function rigWith(
  file: Record<string, unknown>,
  parts: Partial<Record<'power' | 'faults' | 'link' | 'bank', object>> = {},
): Rig {
  const base = {
    file: 'rigs/x.yaml',
    currency: 'CNY',
    terminal: { id: 'T0000001' },
    host: {},
    bank: { probe: 'simulator' },
  };
  return {
    name: 'x',
    file: { ...base, ...file },
    terminal: { info: { capabilities: ['swipe', 'pin'] } },
    power: parts.power,
    faults: parts.faults,
    link: parts.link,
    bank: parts.bank ?? {},
  } as unknown as Rig;
}

describe('capabilitiesOf', () => {
  it('reads the power relay, the fault proxy, the backup host and the terminal from the started rig', () => {
    const rig = rigWith({ host: { backup: 'direct' } }, { power: {}, faults: {}, link: {} });
    assert.deepEqual(capabilitiesOf(rig), {
      rig: 'x',
      terminal: ['swipe', 'pin'],
      power: true,
      manualPower: false,
      faults: true,
      backupHost: true,
      bankControl: true,
      serialLink: true,
    });
    const bare = capabilitiesOf(rigWith({}));
    assert.equal(bare.power, false);
    assert.equal(bare.faults, false);
    assert.equal(bare.backupHost, false);
    assert.equal(bare.serialLink, false, 'no serial link faults: a terminal on MQTT');
    assert.equal(
      missingNeed(['@needs-serial-link'], bare),
      'skipped: rig x reaches its terminal over MQTT: no framed serial link to inject link faults on (@needs-serial-link)',
    );
  });

  it("a pool's shared bank offers no bank control: what one worker sets, another's scenario would undo", () => {
    const shared = capabilitiesOf(rigWith({}, { bank: { sharedBy: 'the pool P1, P2' } }));
    assert.equal(shared.bankControl, false);
    assert.equal(
      missingNeed(['@needs-bank-control'], shared),
      'skipped: rig x shares its bank with the pool P1, P2: balances it sets and declines it scripts would race with the other terminals (@needs-bank-control)',
    );
  });

  it('a relay the operator switches by hand cannot cut the power at a protocol moment: no @needs-power', () => {
    const manual = capabilitiesOf(rigWith({ power: { kind: 'manual' } }, { power: {} }));
    assert.equal(manual.power, false);
    assert.equal(
      missingNeed(['@needs-power'], manual),
      'skipped: rig x has a manual power relay: an operator cannot cut the power at the moment a scenario names (@needs-power)',
    );
    assert.equal(capabilitiesOf(rigWith({ power: { kind: 'command' } }, { power: {} })).power, true);
  });

  it('the bank can be controlled through the simulator or a ledger file, not through ISO 8583', () => {
    assert.equal(capabilitiesOf(rigWith({ bank: { probe: 'simulator' } })).bankControl, true);
    assert.equal(capabilitiesOf(rigWith({ bank: { probe: { ledger: '/tmp/l.sqlite' } } })).bankControl, true);
    assert.equal(capabilitiesOf(rigWith({ bank: { probe: { iso8583: { tid: 'POSRIGPB' } } } })).bankControl, false);
  });
});

describe('noPinLimitOf', () => {
  it("is the rig's terminal.timing.noPinLimit in the rig's currency", () => {
    const rig = rigWith({ terminal: { id: 'T0000001', timing: { noPinLimit: '300.00' } } });
    assert.deepEqual(noPinLimitOf(rig), { minor: 30000, currency: 'CNY' });
  });

  it("a simulated terminal that declares none has the simulator's 1000.00; a real one's is unknown", () => {
    assert.deepEqual(noPinLimitOf(rigWith({ terminal: { id: 'T0000001', simulate: {} } })), {
      minor: DEFAULT_TAP_NO_PIN_LIMIT,
      currency: 'CNY',
    });
    assert.equal(noPinLimitOf(rigWith({ terminal: { id: 'T0000001' } })), undefined);
  });
});

describe('skippedFor', () => {
  it('remembers why the scenario of a World was skipped, for that World only', () => {
    const world = {};
    markSkipped(world, 'skipped: rig x has no power relay (@needs-power)');
    assert.equal(skippedFor(world), 'skipped: rig x has no power relay (@needs-power)');
    assert.equal(skippedFor({}), undefined);
  });
});
