// The link rules of the behaviour monitor (rigs/monitor/linkRules.ts), each both ways: the terminal answering a link
// fault right gives no finding; each wrong answer gives exactly its rule, with SEQ, timestamps and card numbers masked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { EcrMessage } from '../../protocols/ecr/index.ts';
import { type LinkEvent, linkFindings } from '../../rigs/monitor/linkRules.ts';
import type { LinkAnswer, LinkObservation } from '../../rigs/serial/linkFaults.ts';

const T0 = new Date(2025, 0, 2, 11, 32, 1, 120);
const at = (ms: number) => new Date(T0.getTime() + ms);
const ack = (seq: number, ms: number): LinkAnswer => ({ kind: 'ack', seq, at: at(ms) });
const nak = (seq: number, ms: number): LinkAnswer => ({ kind: 'nak', seq, at: at(ms) });
const SALE = { type: 'sale', id: 'c-0002' } as const;

function observed(o: Partial<LinkObservation> & Pick<LinkObservation, 'fault'>): LinkObservation {
  return { at: T0, seq: 7, message: SALE, answers: [], settledAt: at(300), ...o };
}

const event = (ms: number, message: EcrMessage, dir: 'in' | 'out' = 'in'): LinkEvent => ({ at: at(ms), dir, message });
const rules = (o: LinkObservation, events: LinkEvent[] = []) => linkFindings([o], events).map((f) => f.rule);

describe('link-nak: a damaged frame is NAKed in time and nothing of it is delivered (§4.5)', () => {
  it('a NAK of the damaged frame within the answer time is right', () => {
    assert.deepEqual(
      rules(observed({ fault: 'corrupt', answers: [nak(7, 5), ack(7, 12)], harnessResentAt: at(6) })),
      [],
    );
  });

  it('no NAK by the time the window closed is a finding naming SEQ and times', () => {
    const findings = linkFindings(
      [observed({ fault: 'corrupt', answers: [ack(7, 302)], harnessResentAt: at(300) })],
      [],
    );
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['link-nak'],
    );
    const message = findings[0]?.message ?? '';
    assert.match(message, /SEQ 7/);
    assert.match(message, /"sale" c-0002/);
    assert.ok(message.includes(localTimeOfDay(T0)), message);
    assert.ok(message.includes(localTimeOfDay(at(300))), message);
    assert.equal(findings[0]?.at.getTime(), T0.getTime(), 'dated when the frame went unanswered');
    assert.equal(findings[0]?.culprit, 'firmware defect');
  });

  it('an ACK of the damaged frame before it was sent again means it was taken as intact', () => {
    assert.deepEqual(rules(observed({ fault: 'corrupt', answers: [ack(7, 4)] })), ['link-nak']);
  });

  it('a NAK after the answer time and margin is late', () => {
    assert.deepEqual(rules(observed({ fault: 'corrupt', answers: [nak(7, 450)], settledAt: at(500) })), ['link-nak']);
  });

  it('an observation still open is not judged on a NAK that may yet come', () => {
    const { settledAt: _settled, ...open } = observed({ fault: 'corrupt' });
    assert.deepEqual(rules(open), []);
  });

  it('a truncated frame may be NAKed with SEQ 0 after the inter-byte timeout', () => {
    assert.deepEqual(
      rules(observed({ fault: 'truncate', answers: [nak(0, 210), ack(7, 260)], settledAt: at(500) })),
      [],
    );
    assert.deepEqual(rules(observed({ fault: 'truncate', answers: [nak(7, 450)], settledAt: at(500) })), []);
  });

  it('a truncated frame left unanswered is a finding', () => {
    assert.deepEqual(rules(observed({ fault: 'truncate', answers: [], settledAt: at(500) })), ['link-nak']);
  });
});

describe('link-duplicate: a frame received again is ACKed again and not acted on twice (§5.3.2)', () => {
  const transaction = [
    event(1, { type: 'state', id: 'e-1', state: 'card' }),
    event(2, { type: 'display', id: 'e-2', lines: ['请刷卡'] }),
    event(900, { type: 'result', id: 'e-9', command: 'sale', outcome: 'approved', ref: 'c-0002' }),
  ];

  it('two ACKs and one transaction are right', () => {
    assert.deepEqual(rules(observed({ fault: 'duplicate', answers: [ack(7, 1), ack(7, 2)] }), transaction), []);
  });

  it('a copy not ACKed again is a finding', () => {
    assert.deepEqual(rules(observed({ fault: 'duplicate', answers: [ack(7, 1)] }), transaction), ['link-duplicate']);
  });

  it('a sale started and then refused as a new command is acted on twice', () => {
    const refused = event(3, { type: 'error', id: 'e-3', code: 'busy', message: 'busy', ref: 'c-0002' });
    const o = observed({ fault: 'duplicate', answers: [ack(7, 1), ack(7, 2)] });
    const findings = linkFindings([o], [...transaction.slice(0, 2), refused]);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['link-duplicate'],
    );
    assert.match(findings[0]?.message ?? '', /state card at .*error busy at/);
  });

  it('two answers naming the command are acted on twice', () => {
    const again = event(950, { type: 'result', id: 'e-10', command: 'sale', outcome: 'approved', ref: 'c-0002' });
    const o = observed({ fault: 'duplicate', answers: [ack(7, 1), ack(7, 2)] });
    assert.deepEqual(rules(o, [...transaction, again]), ['link-duplicate']);
  });

  it('a refusal of a sale the terminal never started is one answer, not two', () => {
    const refused = event(3, { type: 'error', id: 'e-3', code: 'busy', message: 'busy', ref: 'c-0002' });
    assert.deepEqual(rules(observed({ fault: 'duplicate', answers: [ack(7, 1), ack(7, 2)] }), [refused]), []);
  });

  it('masks a card number in what it quotes', () => {
    const o = observed({ fault: 'duplicate', message: { type: 'sale', id: '4111111111111111' }, answers: [ack(7, 1)] });
    const [finding] = linkFindings([o], []);
    assert.ok(finding && !finding.message.includes('4111111111111111'), finding?.message);
    assert.match(finding?.message ?? '', /411111\*+1111/);
  });
});

describe('link-retransmit: a frame whose ACK was lost is sent again, same SEQ and payload (§5.2)', () => {
  const lost = (resent: LinkObservation['resent'], settledAt = resent?.at ?? at(500)) =>
    observed({
      fault: 'lose-ack',
      seq: 4,
      message: { type: 'state', id: 'e-1' },
      ...(resent ? { resent } : {}),
      settledAt,
    });

  it('the same SEQ and payload after the ACK timeout is right', () => {
    assert.deepEqual(rules(lost({ at: at(305), seq: 4, samePayload: true, type: 'state' })), []);
  });

  it('a new SEQ instead of the retransmission is a finding', () => {
    const findings = linkFindings([lost({ at: at(305), seq: 5, samePayload: false, type: 'display' })], []);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['link-retransmit'],
    );
    assert.match(findings[0]?.message ?? '', /SEQ 4.*SEQ 5/);
  });

  it('the same SEQ with another payload is a finding', () => {
    assert.deepEqual(rules(lost({ at: at(305), seq: 4, samePayload: false, type: 'display' })), ['link-retransmit']);
  });

  it('no retransmission by the time the window closed is a finding', () => {
    assert.deepEqual(rules(lost(undefined)), ['link-retransmit']);
  });

  it('a retransmission after the ACK timeout and margin is late', () => {
    assert.deepEqual(rules(lost({ at: at(800), seq: 4, samePayload: true })), ['link-retransmit']);
  });
});

describe('link-noise: noise is discarded, never NAKed (§4.1)', () => {
  it('only the ACK of the frame after the noise is right', () => {
    assert.deepEqual(rules(observed({ fault: 'noise', answers: [ack(7, 3)] })), []);
  });

  it('a NAK after noise is a finding, even before the window closed', () => {
    const { settledAt: _settled, ...open } = observed({ fault: 'noise', answers: [nak(0, 2), ack(7, 3)] });
    assert.deepEqual(rules(open), ['link-noise']);
  });
});

describe('linkFindings over several observations', () => {
  it('judges each one on its own', () => {
    const good = observed({ fault: 'corrupt', answers: [nak(7, 5)] });
    const noisy = observed({ fault: 'noise', seq: 8, answers: [nak(8, 2)] });
    const retry = observed({ fault: 'lose-ack', seq: 3 });
    assert.deepEqual(
      linkFindings([good, noisy, retry], []).map((f) => f.rule),
      ['link-noise', 'link-retransmit'],
    );
  });
});
