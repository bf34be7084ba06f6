// The model of `posrig explore` (rigs/explore/model.ts, salePlan.ts, commands.ts): the bank's answers it expects, the
// steps a sale plans under each fault, what a command may follow, and — for any command sequence fast-check makes —
// plans that only power back after a cut, reverse only after a fault, and keep the balances the sales moved.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CancelCommand,
  type ExploreCommand,
  exploreCommands,
  FaultCommand,
  LinkFaultCommand,
  ReprintCommand,
  ReversalPathCommand,
  SaleCommand,
  stepsOf,
  TopUpCommand,
} from '../../rigs/explore/commands.ts';
import { type ExploreModel, hostAnswer, newModel, type RigFacts } from '../../rigs/explore/model.ts';
import { planSale } from '../../rigs/explore/salePlan.ts';
import { LINK_FAULTS, type ScenarioStep } from '../../rigs/explore/scenarioStep.ts';

const FACTS: RigFacts = {
  currency: 'CNY',
  cards: [
    { alias: 'alice', pin: '123456', balance: 50_000, status: 'active', expiry: '3012' },
    { alias: 'carol', pin: '111111', balance: 50_000, status: 'active', expiry: '2001' },
    { alias: 'dave', pin: '222222', balance: 50_000, status: 'lost', expiry: '3012' },
  ],
  methods: ['swipe', 'chip', 'tap'],
  pin: true,
  printer: true,
  voice: true,
  faults: true,
  power: true,
  backupHost: true,
  serialLink: true,
  noPinLimit: 100_000,
  asOf: '2612',
};

const kinds = (steps: readonly ScenarioStep[]) => steps.map((s) => s.kind);
const sale = (card: string, amount: number, wrongPins = 0) => ({ card, method: 'swipe', amount, wrongPins }) as const;

describe("the bank's answers the model expects", () => {
  it('counts wrong PINs: 55, 55, then 75, and 75 even for the right PIN after', () => {
    const model = newModel(FACTS);
    assert.deepEqual(
      ['wrong', 'wrong', 'wrong', 'right'].map((pin) => hostAnswer(model, 'alice', pin as 'wrong', 100)),
      ['55', '55', '75', '75'],
    );
  });

  it('resets the count on the right PIN, and a tap checks no PIN', () => {
    const model = newModel(FACTS);
    hostAnswer(model, 'alice', 'wrong', 100);
    assert.equal(hostAnswer(model, 'alice', 'right', 100), '00');
    assert.equal(model.pinTries.get('alice'), 0);
    model.pinTries.set('alice', 3);
    assert.equal(hostAnswer(model, 'alice', undefined, 100), '00');
  });

  it('answers 14 for a lost card, 54 for an expired one, 51 when funds are short', () => {
    const model = newModel(FACTS);
    assert.equal(hostAnswer(model, 'dave', 'wrong', 100), '14');
    assert.equal(hostAnswer(model, 'carol', 'right', 100), '54');
    assert.equal(hostAnswer(model, 'alice', 'right', 50_001), '51');
  });
});

describe('a planned sale', () => {
  it('approved: shown, said, both copies, the card debited', () => {
    const model = newModel(FACTS);
    const steps = planSale(model, sale('alice', 1_200));
    assert.deepEqual(kinds(steps), [
      'holds',
      'startSale',
      'present',
      'pin',
      'shows',
      'says',
      'outcome',
      'receipt',
      'receipt',
      'balance',
    ]);
    assert.equal(model.balances.get('alice'), 48_800);
    assert.equal(model.lastReceipt, 1_200);
  });

  it('response lost: times out, nothing printed, reversed with 98, no money moved', () => {
    const model = newModel(FACTS);
    model.saleFault = 'lose-response';
    const steps = planSale(model, sale('alice', 1_200));
    assert.deepEqual(steps.slice(4), [
      { kind: 'outcome', outcome: 'timeout' },
      { kind: 'doesNotShow', text: '交易成功' },
      { kind: 'noReceipt' },
      { kind: 'reverses', reason: '98' },
      { kind: 'balance', card: 'alice', amount: { minor: 50_000, currency: 'CNY' } },
    ]);
    assert.equal(model.saleFault, undefined);
  });

  it('while no reversal gets through: the reversal is owed, and the next sale fails without its request', () => {
    const model = newModel(FACTS);
    model.reversalsBlocked = true;
    model.saleFault = 'garble-response';
    assert.ok(!kinds(planSale(model, sale('alice', 1_200))).includes('reverses'));
    assert.equal(model.owed, true);
    const next = planSale(model, sale('alice', 100));
    assert.deepEqual(kinds(next).slice(-4), ['outcome', 'noRequest', 'doesNotShow', 'noReceipt']);
  });

  it("a lost reversal answer: the reversal is owed, delivered before the next sale's request", () => {
    const model = newModel(FACTS);
    model.reversalFault = 'lose-reversal-answer';
    model.saleFault = 'lose-response';
    assert.ok(!kinds(planSale(model, sale('alice', 1_200))).includes('reverses'));
    assert.deepEqual([model.owed, model.reversalFault], [true, undefined]);
    assert.deepEqual(kinds(planSale(model, sale('alice', 100))).slice(-5), [
      'says',
      'outcome',
      'receipt',
      'receipt',
      'balance',
    ]);
    assert.equal(model.owed, false);
  });

  it('three wrong PINs: asked again twice, then declined 75 without a fourth PIN', () => {
    const model = newModel(FACTS);
    const steps = planSale(model, sale('alice', 1_200, 3));
    assert.equal(steps.filter((s) => s.kind === 'pin').length, 3);
    assert.ok(steps.some((s) => s.kind === 'outcome' && s.outcome === 'declined' && s.code === '75'));
  });

  it('paper out from the start: no copy, both come out marked once paper is loaded', () => {
    const model = newModel(FACTS);
    model.paper = 'out';
    assert.ok(!kinds(planSale(model, sale('alice', 1_200))).includes('receipt'));
    assert.deepEqual(
      model.unprinted.map((u) => u.copy),
      ['merchant', 'cardholder'],
    );
  });

  it('power cut while online: the power comes back and the transaction is reversed with 06; no last receipt', () => {
    const model = newModel(FACTS);
    model.lastReceipt = 100;
    model.saleFault = 'cut-power-online';
    const steps = planSale(model, sale('alice', 1_200));
    assert.ok(kinds(steps).includes('powerBack'));
    assert.ok(steps.some((s) => s.kind === 'reverses' && s.reason === '06'));
    assert.equal(model.lastReceipt, undefined);
  });
});

describe('a power cut while the reversal is out', () => {
  for (const [cause, reason] of [
    ['lose-response', '98'],
    ['garble-response', '96'],
  ] as const) {
    it(`after a ${cause}: armed as its two steps; the sale is cut, then reversed with ${reason} after power-up`, () => {
      const model = newModel(FACTS);
      const command = new ReversalPathCommand(cause, 'cut-power-reversing');
      assert.equal(command.check(model), true);
      assert.deepEqual(command.plan(model), [
        { kind: 'fault', fault: cause },
        { kind: 'fault', fault: 'cut-power-reversing' },
      ]);
      assert.equal(new ReprintCommand().check(model), false, 'only the sale may come next');
      const steps = planSale(model, sale('alice', 1_200));
      assert.deepEqual(steps.slice(4), [
        { kind: 'powerBack' },
        { kind: 'doesNotShow', text: '交易成功' },
        { kind: 'noReceipt' },
        { kind: 'reverses', reason },
        { kind: 'balance', card: 'alice', amount: { minor: 50_000, currency: 'CNY' } },
      ]);
      assert.deepEqual([model.saleFault, model.owed], [undefined, false]);
    });
  }

  it('needs the power relay and the fault proxy, and nothing left over a cut could meet', () => {
    assert.equal(
      new ReversalPathCommand('lose-response', 'cut-power-reversing').check(newModel({ ...FACTS, power: false })),
      false,
    );
    assert.equal(
      new ReversalPathCommand('lose-response', 'cut-power-reversing').check(newModel({ ...FACTS, faults: false })),
      false,
    );
    const owing = newModel(FACTS);
    owing.owed = true;
    assert.equal(new ReversalPathCommand('lose-response', 'cut-power-reversing').check(owing), false);
    const armed = newModel(FACTS);
    new FaultCommand('garble-response').plan(armed);
    assert.equal(new ReversalPathCommand('lose-response', 'cut-power-reversing').check(armed), false);
    assert.equal(new FaultCommand('cut-power-reversing').check(armed), true, 'a garbled answer may be cut too');
  });
});

describe('a serial-link fault', () => {
  it('is offered only where the terminal is on a serial link, one at a time', () => {
    assert.equal(new LinkFaultCommand('corrupt').check(newModel({ ...FACTS, serialLink: false })), false);
    const model = newModel(FACTS);
    assert.deepEqual(new LinkFaultCommand('corrupt').plan(model), [{ kind: 'linkFault', fault: 'corrupt' }]);
    assert.equal(model.linkFault, 'corrupt');
    assert.equal(new LinkFaultCommand('duplicate').check(model), false);
  });

  it('changes nothing the terminal must do: the sale after it plans the same steps', () => {
    const model = newModel(FACTS);
    new LinkFaultCommand('truncate').plan(model);
    const withFault = new SaleCommand(sale('alice', 1_200), 'CNY').plan(model);
    assert.deepEqual(withFault, planSale(newModel(FACTS), sale('alice', 1_200)));
  });

  it('is met by the next command sent to the terminal, not by a balance set at the bank', () => {
    const model = newModel(FACTS);
    new LinkFaultCommand('noise').plan(model);
    new TopUpCommand('alice', 10_000, 'CNY').plan(model);
    assert.equal(model.linkFault, 'noise');
    new CancelCommand('abort-at-card', 'alice', 'swipe', 100, 'CNY').plan(model);
    assert.equal(model.linkFault, undefined);
  });

  it('keeps power cuts and aborts away until its command is sent (a cut terminal could not answer it)', () => {
    const model = newModel(FACTS);
    new LinkFaultCommand('lose-ack').plan(model);
    for (const fault of ['cut-power-online', 'cut-power-as-request-leaves', 'abort-online'] as const)
      assert.equal(new FaultCommand(fault).check(model), false, fault);
    assert.equal(new ReversalPathCommand('lose-response', 'cut-power-reversing').check(model), false);
    assert.equal(new FaultCommand('lose-response').check(model), true);
  });
});

describe('what a command may follow', () => {
  it('after an armed power cut or abort, only a sale', () => {
    const model = newModel(FACTS);
    new FaultCommand('abort-online').plan(model);
    assert.equal(new CancelCommand('abort-at-card', 'alice', 'swipe', 100, 'CNY').check(model), false);
    assert.equal(new FaultCommand('lose-response').check(model), false);
    assert.equal(new SaleCommand(sale('alice', 100), 'CNY').check(model), true);
  });

  it('a reprint only once a receipt was printed, with paper in', () => {
    const model = newModel(FACTS);
    assert.equal(new ReprintCommand().check(model), false);
    planSale(model, sale('alice', 100));
    assert.equal(new ReprintCommand().check(model), true);
  });

  it('generates every serial-link fault and both power cuts while reversing, each met by a command before a cut', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.commands(exploreCommands(FACTS), { maxCommands: 12, size: 'max' }), (commands) => {
        const steps = stepsOf(commands as Iterable<ExploreCommand>, newModel(FACTS));
        let pending = false;
        for (const [i, step] of steps.entries()) {
          if (step.kind === 'linkFault') {
            seen.add(step.fault);
            pending = true;
          }
          if (
            ['startSale', 'present', 'pin', 'cancel', 'abort', 'loadPaper', 'reprint', 'paperOut'].includes(step.kind)
          )
            pending = false;
          const cut = step.kind === 'fault' && (step.fault.startsWith('cut-power') || step.fault === 'abort-online');
          assert.ok(
            !(cut && pending),
            `a cut armed with a link fault waiting: ${JSON.stringify(steps.slice(0, i + 1))}`,
          );
          if (step.kind === 'fault' && step.fault === 'cut-power-reversing') {
            const cause = steps
              .slice(0, i)
              .reverse()
              .find((s) => s.kind === 'fault');
            seen.add(`cut after ${cause?.kind === 'fault' ? cause.fault : 'nothing'}`);
          }
        }
      }),
      { seed: 3, numRuns: 300 },
    );
    assert.deepEqual([...seen].sort(), [...LINK_FAULTS, 'cut after garble-response', 'cut after lose-response'].sort());
  });

  it('generates no serial-link fault for a terminal on no serial link', () => {
    const facts = { ...FACTS, serialLink: false };
    fc.assert(
      fc.property(fc.commands(exploreCommands(facts), { maxCommands: 12, size: 'max' }), (commands) => {
        const steps = stepsOf(commands as Iterable<ExploreCommand>, newModel(facts));
        assert.ok(!steps.some((s) => s.kind === 'linkFault'));
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  it('plans, for any sequence, a power back only after a cut and a reversal only after a fault', () => {
    fc.assert(
      fc.property(fc.commands(exploreCommands(FACTS), { maxCommands: 12, size: 'max' }), (commands) => {
        const steps = stepsOf(commands as Iterable<ExploreCommand>, newModel(FACTS));
        steps.forEach((step, i) => {
          const before = steps.slice(0, i);
          if (step.kind === 'powerBack')
            assert.ok(before.some((s) => s.kind === 'fault' && s.fault.startsWith('cut-power')));
          if (step.kind === 'reverses') assert.ok(before.some((s) => s.kind === 'fault'));
        });
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('keeps, for any sequence, each balance checked equal to the set one less the approved sales since', () => {
    fc.assert(
      fc.property(fc.commands(exploreCommands(FACTS), { maxCommands: 12, size: 'max' }), (commands) => {
        const model: ExploreModel = newModel(FACTS);
        const steps = stepsOf(commands as Iterable<ExploreCommand>, model);
        const held = new Map<string, number>();
        let current = { card: '', amount: 0 };
        for (const s of steps) {
          if (s.kind === 'holds') held.set(s.card, s.amount.minor);
          if (s.kind === 'startSale') current = { card: '', amount: s.amount.minor };
          if (s.kind === 'present') current.card = s.card;
          if (s.kind === 'outcome' && s.outcome === 'approved')
            held.set(current.card, (held.get(current.card) ?? 0) - current.amount);
          if (s.kind === 'balance') assert.equal(s.amount.minor, held.get(s.card), JSON.stringify(steps));
        }
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
