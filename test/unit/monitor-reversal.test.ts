// The behaviour monitor's rules on reversals and power-up (rigs/monitor/reversalRules.ts, docs/protocol.md §9
// reversal, §15.2.3, §15.2.4, §15.3): each both ways — a correct terminal (a power cut while online, a reversal
// delivered between the events of the next sale, a sale held back by a reversal still owed …) gives no finding; each
// break gives exactly its rule, naming the STAN, the times and what happened.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { NetworkMessage } from '../../rigs/monitor/evidence.ts';
import {
  answer0210,
  answer0410,
  approvalAndReceipts,
  at,
  cardAndPin,
  display,
  evidence,
  failure,
  info,
  messagesOf,
  type Piece,
  power,
  request0200,
  result,
  reversal,
  reversal0400,
  rulesOf,
  signOn,
  state,
  voice,
} from '../support/monitorEvidence.ts';

const time = (ms: number) => localTimeOfDay(at(ms));

/** Sale c-1's 0200 (STAN 000001) at 210, then the power cut at 400 with no answer delivered; back on at 2000. */
function powerCutWhileOnline(o: { boot?: (request: NetworkMessage) => Piece[] } = {}) {
  const request = request0200({ stan: '000001' }, 210);
  const boot =
    o.boot ??
    ((original: NetworkMessage) => {
      const r = reversal0400(original, '06', 3130, { connection: 2 });
      return [
        info(3000),
        state('idle', 3001),
        ...signOn('000002', 3100, { connection: 2 }),
        reversal('000001', 'stored', 3120),
        r,
        reversal('000001', 'sent', 3131),
        answer0410(r, 3138, 3140),
        reversal('000001', 'confirmed', 3150, '00'),
      ];
    });
  return [
    ...cardAndPin('c-1', 0),
    request,
    // the host's answer is written to a connection whose terminal is off (well past the cut's margin)
    answer0210(request, '00', 700, 700),
    power(false, 400),
    power(true, 2000),
    ...boot(request),
  ];
}

/** Sale c-1 times out (0210 swallowed): failure at 1710, reversal stored, a first 0400 98 whose 0410 is lost. */
function timedOutWithLostReversalAnswer() {
  const request = request0200({ stan: '000001' }, 210);
  const first = reversal0400(request, '98', 1716, { connection: 2 });
  const pieces: Piece[] = [
    ...cardAndPin('c-1', 0),
    request,
    answer0210(request, '00', 258, undefined, { fault: 'swallow' }),
    reversal('000001', 'stored', 1708),
    ...failure('c-1', 'timeout', 1710, { stan: '000001' }),
    first,
    reversal('000001', 'sent', 1717),
    answer0410(first, 1728, undefined, { fault: 'swallow' }),
  ];
  return { request, pieces };
}

describe('a correct terminal gives no finding (reversal rules)', () => {
  it('power cut while online: no result; at power-up info and idle, the 0800 sign-on, then the 0400 06', () => {
    assert.deepEqual(rulesOf(evidence(powerCutWhileOnline())), []);
  });

  it('power cut while the reversal is out: after power-up the sign-on, then the reversal again (98)', () => {
    const { request, pieces } = timedOutWithLostReversalAnswer();
    const again = reversal0400(request, '98', 3710, { connection: 3 });
    const e = evidence([
      ...pieces,
      power(false, 1800),
      power(true, 3000),
      info(3500),
      state('idle', 3501),
      ...signOn('000002', 3600, { connection: 3 }),
      reversal('000001', 'stored', 3700),
      again,
      reversal('000001', 'sent', 3711),
      answer0410(again, 3718, 3720),
      reversal('000001', 'confirmed', 3725, '00'),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('a reversal still owed goes out between the events of the next sale, before its 0200 (§9 reversal)', () => {
    const { request, pieces } = timedOutWithLostReversalAnswer();
    const retry = reversal0400(request, '98', 2710, { connection: 3 });
    const next = request0200({ stan: '000002' }, 2730, { connection: 3 });
    const e = evidence([
      ...pieces,
      ...cardAndPin('c-2', 2500),
      retry,
      reversal('000001', 'sent', 2712),
      answer0410(retry, 2718, 2720),
      reversal('000001', 'confirmed', 2725, '00'),
      next,
      answer0210(next, '00', 2778, 2780),
      ...approvalAndReceipts('c-2', 2790, '000002'),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('the serial link slower than the network: sent/confirmed events arrive after the 0410 and the next 0200', () => {
    const { request, pieces } = timedOutWithLostReversalAnswer();
    const retry = reversal0400(request, '98', 2710, { connection: 3 });
    const next = request0200({ stan: '000002' }, 2722, { connection: 3 });
    const e = evidence([
      ...pieces,
      ...cardAndPin('c-2', 2500),
      retry,
      answer0410(retry, 2718, 2720),
      next,
      reversal('000001', 'sent', 2730),
      reversal('000001', 'confirmed', 2740, '00'),
      answer0210(next, '00', 2778, 2780),
      ...approvalAndReceipts('c-2', 2790, '000002'),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('the `stored` event reaching posrig a little after its 0400 reached the proxy (sent in that order)', () => {
    const request = request0200({ stan: '000001' }, 210);
    const r = reversal0400(request, '98', 1712, { connection: 2 });
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, undefined, { fault: 'swallow' }),
      r,
      reversal('000001', 'stored', 1725),
      reversal('000001', 'sent', 1740),
      answer0410(r, 1718, 1720),
      ...failure('c-1', 'timeout', 1750, { stan: '000001' }),
      reversal('000001', 'confirmed', 1760, '00'),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('a reversal the host never gets holds the next sale back: failed, 冲正未完成, no 0200', () => {
    const { pieces } = timedOutWithLostReversalAnswer();
    const e = evidence([
      ...pieces,
      ...cardAndPin('c-2', 2500),
      state('result', 2750),
      display(['交易失败', '冲正未完成'], 2751),
      voice('交易失败', 2752),
      result('c-2', 'failed', 2760, { message: '冲正未完成' }),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });
});

describe('stan-new: every request carries a STAN not used before (§15.1, §15.3)', () => {
  it('a second 0200 with the STAN of the first, seconds apart (and so with another DE7)', () => {
    const first = request0200({ stan: '000001' }, 210);
    const second = request0200({ stan: '000001' }, 2210, { connection: 2 });
    const e = evidence([
      ...cardAndPin('c-1', 0),
      first,
      answer0210(first, '00', 258, 260),
      ...approvalAndReceipts('c-1', 270, '000001'),
      ...cardAndPin('c-2', 2000),
      second,
      answer0210(second, '00', 2258, 2260),
      ...approvalAndReceipts('c-2', 2270, '000001'),
    ]);
    assert.deepEqual(rulesOf(e), ['stan-new']);
    assert.match(
      messagesOf(e),
      new RegExp(
        `sent 0200 STAN 000001 at ${time(2210)} with the STAN of its earlier 0200 STAN 000001 at ${time(210)}`,
      ),
    );
  });

  it('a sign-on and a sale, each with its own STAN, and a copy the network made: no finding', () => {
    const request = request0200({ stan: '000002' }, 210, { fault: 'duplicate' });
    const e = evidence([
      ...signOn('000001', 100),
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, 260),
      ...approvalAndReceipts('c-1', 270, '000002'),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });
});

describe('reversal-fields: the 0400 carries its original (§15.2.3)', () => {
  it("DE90 built from the 0400's own DE7 instead of the original's", () => {
    const request = request0200({ stan: '000001' }, 210);
    const r = reversal0400(request, '98', 65_000, { connection: 2 });
    const wrong90 = `0200000001${r.fields?.[7]}${'0'.repeat(22)}`;
    const e = evidence([
      ...timedOutPieces(request),
      { ...r, fields: { ...r.fields, 90: wrong90 } },
      answer0410(r, 65_008, 65_010),
    ]);
    assert.deepEqual(rulesOf(e), ['reversal-fields']);
    const text = messagesOf(e);
    assert.match(
      text,
      new RegExp(`the 0400 STAN 000001 DE39 98 at ${time(65_000)} reversing 0200 STAN 000001 at ${time(210)}`),
    );
    assert.match(text, new RegExp(`DE90 ${wrong90} is not 0200000001${request.fields?.[7]}0{22}`));
  });

  it('another amount and no DE42', () => {
    const request = request0200({ stan: '000001' }, 210);
    const r = reversal0400(request, '98', 1716, { connection: 2, fields: { 4: '000000020000' } });
    const { 42: _mid, ...without42 } = r.fields ?? {};
    const e = evidence([...timedOutPieces(request), { ...r, fields: without42 }, answer0410(r, 1728, 1730)]);
    assert.deepEqual(rulesOf(e), ['reversal-fields']);
    assert.match(
      messagesOf(e),
      /DE4 000000020000 is not the original's 000000010000; DE42 \(absent\) is not the original's 898310048160001/,
    );
  });
});

/** Sale c-1 timed out, its reversal stored (no 0400 yet: the caller adds it). */
function timedOutPieces(request: NetworkMessage): Piece[] {
  return [
    ...cardAndPin('c-1', 0),
    request,
    answer0210(request, '00', 258, undefined, { fault: 'swallow' }),
    reversal('000001', 'stored', 1708),
    ...failure('c-1', 'timeout', 1710, { stan: '000001' }),
  ];
}

describe('reversal-before-next-request: no 0200 while a reversal is due (§15.2.4)', () => {
  it("the next sale's 0200 leaves while the reversal's 0410 never came", () => {
    const { pieces } = timedOutWithLostReversalAnswer();
    const next = request0200({ stan: '000002' }, 2730, { connection: 3 });
    const e = evidence([
      ...pieces,
      ...cardAndPin('c-2', 2500),
      next,
      answer0210(next, '00', 2778, 2780),
      ...approvalAndReceipts('c-2', 2790, '000002'),
    ]);
    assert.deepEqual(rulesOf(e), ['reversal-before-next-request']);
    assert.match(
      messagesOf(e),
      new RegExp(
        `sent 0200 STAN 000002 at ${time(2730)} while the reversal of STAN 000001 \\(due since ${time(1708)}\\) was still due`,
      ),
    );
  });
});

describe('power-cut-reversal: a request outstanding at a power cut is reversed with 06 after power-up (§15.3)', () => {
  it('the pending reversal lost with the power: nothing reversed after power-up', () => {
    const e = evidence(
      powerCutWhileOnline({
        boot: () => [info(3000), state('idle', 3001), ...signOn('000002', 3100, { connection: 2 })],
      }),
    );
    assert.deepEqual(rulesOf(e), ['power-cut-reversal']);
    assert.match(
      messagesOf(e),
      new RegExp(
        `0200 STAN 000001 at ${time(210)} had no answer when the power was cut at ${time(400)}; after power-up \\(${time(2000)}\\) no 0400 with DE39 06 followed`,
      ),
    );
  });

  it('an answer written within the margin after the cut may have beaten the relay: not judged', () => {
    const request = request0200({ stan: '000001' }, 210);
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 450, 450),
      power(false, 400),
      power(true, 2000),
      info(3000),
      ...signOn('000002', 3100, { connection: 2 }),
    ]);
    assert.deepEqual(rulesOf(e), []);
  });

  it('reversed with 98 instead of 06', () => {
    const e = evidence(
      powerCutWhileOnline({
        boot: (original) => {
          const r = reversal0400(original, '98', 3130, { connection: 2 });
          return [
            info(3000),
            ...signOn('000002', 3100, { connection: 2 }),
            reversal('000001', 'stored', 3120),
            r,
            answer0410(r, 3138, 3140),
          ];
        },
      }),
    );
    assert.deepEqual(rulesOf(e), ['power-cut-reversal']);
  });
});

describe('power-up-order: info and idle, then the 0800 sign-on, then the stored reversals (§15.3)', () => {
  it('the 0400 before the sign-on', () => {
    const e = evidence(
      powerCutWhileOnline({
        boot: (original) => {
          const r = reversal0400(original, '06', 3050, { connection: 2 });
          return [
            info(3000),
            state('idle', 3001),
            reversal('000001', 'stored', 3040),
            r,
            answer0410(r, 3058, 3060),
            ...signOn('000002', 3100, { connection: 2 }),
          ];
        },
      }),
    );
    assert.deepEqual(rulesOf(e), ['power-up-order']);
    assert.match(
      messagesOf(e),
      new RegExp(
        `after power-up at ${time(2000)} the terminal sent 0400 STAN 000001 DE39 06 at ${time(3050)} before its 0800 sign-on \\(0800 STAN 000002 at ${time(3100)}\\)`,
      ),
    );
  });

  it('the reversal reported before the unsolicited info', () => {
    const e = evidence(
      powerCutWhileOnline({
        boot: (original) => {
          const r = reversal0400(original, '06', 3130, { connection: 2 });
          return [
            reversal('000001', 'stored', 2900),
            info(3000),
            ...signOn('000002', 3100, { connection: 2 }),
            r,
            answer0410(r, 3138, 3140),
          ];
        },
      }),
    );
    assert.deepEqual(rulesOf(e), ['power-up-order']);
    assert.match(messagesOf(e), new RegExp(`reported a reversal at ${time(2900)} before its unsolicited info`));
  });
});

describe('reversal-reported: `stored` before the first `sent` and the first 0400 (§9 reversal)', () => {
  it('a reversal sent and confirmed but never reported stored', () => {
    const request = request0200({ stan: '000001' }, 210);
    const r = reversal0400(request, '98', 1716, { connection: 2 });
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, undefined, { fault: 'swallow' }),
      ...failure('c-1', 'timeout', 1710, { stan: '000001' }),
      r,
      reversal('000001', 'sent', 1717),
      answer0410(r, 1728, 1730),
      reversal('000001', 'confirmed', 1735, '00'),
    ]);
    assert.deepEqual(rulesOf(e), ['reversal-reported']);
    assert.match(messagesOf(e), /STAN 000001/);
  });

  it('a 0400 with no reversal event at all', () => {
    const request = request0200({ stan: '000001' }, 210);
    const r = reversal0400(request, '98', 1716, { connection: 2 });
    const e = evidence([
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, undefined, { fault: 'swallow' }),
      ...failure('c-1', 'timeout', 1710, { stan: '000001' }),
      r,
      answer0410(r, 1728, 1730),
    ]);
    assert.deepEqual(rulesOf(e), ['reversal-reported']);
    assert.match(
      messagesOf(e),
      new RegExp(`sent 0400 STAN 000001 DE39 98 at ${time(1716)} without reporting the reversal "stored"`),
    );
  });

  it('a retry of a reversal stored before the scenario (its original not in it) is no finding', () => {
    const e = evidence([reversal('000007', 'sent', 100), reversal('000007', 'confirmed', 150, '00')]);
    assert.deepEqual(rulesOf(e), []);
  });
});

describe('without the network trace only the event rules are judged', () => {
  it('a power cut with no view of the network: nothing judged of the reversal, and the report says so', () => {
    const e = evidence(powerCutWhileOnline({ boot: () => [info(3000)] }), { network: false });
    assert.deepEqual(rulesOf(e), []);
  });
});
