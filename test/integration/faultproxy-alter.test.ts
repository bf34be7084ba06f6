// The fault proxy's 'alter' action, with the real acquirer host behind it: the next 0210 reaches the terminal with
// another amount (DE4), STAN (DE11) or TID (DE41), every other field untouched; the log names the fields, not values.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import { AcquirerHost, type IsoTrace } from '../../simulators/acquirer/index.ts';
import { otherValue, type ProxyMessage, validateRule } from '../../simulators/faultproxy/index.ts';
import { ALICE, cny, hostClock, seededLedger } from '../support/bankFixture.ts';
import { waitFor } from '../support/events.ts';
import { faultProxyRig } from '../support/faultProxyRig.ts';
import { saleRequest, stanCounter } from '../support/isoMessages.ts';

const nextStan = stanCounter();

describe("fault proxy: 'alter' on the host's answer", () => {
  const ledger = seededLedger();
  const host = new AcquirerHost({ ledger, now: hostClock });
  const answers: IsoMessage[] = [];
  host.on('trace', (t: IsoTrace) => {
    if (t.dir === 'out') answers.push(t.message);
  });
  const rig = faultProxyRig(host, ledger, () => {
    ledger.reset();
    answers.length = 0;
  });

  for (const [field, changed] of [
    [4, (sent: string) => String(Number(sent) + 1).padStart(12, '0')],
    [11, (sent: string) => String(Number(sent) + 1).padStart(6, '0')],
    [41, (sent: string) => `${sent.slice(0, -1)}X`],
  ] as const) {
    test(`alter DE${field} of the next 0210: only DE${field} differs from what the host sent`, async () => {
      rig.proxy.arm({ action: { kind: 'alter', fields: [field] }, direction: 'response', mti: '0210' });
      const client = await rig.connect();
      const request = saleRequest(ALICE, 10000, { stan: nextStan(), pin: null });
      const seen = waitFor<ProxyMessage>(rig.proxy, 'message', (m) => m.mti === '0210');
      client.send(request);
      const reply = await client.receive();
      const message = await seen;
      assert.equal(message.fault, 'alter');
      assert.equal(message.stan, request.fields[11], 'the trace keeps what the host sent');
      const sent = request.fields[field] ?? '';
      assert.equal(reply.fields[field], changed(sent));
      const answered = answers.find((m) => m.mti === '0210');
      assert.ok(answered, 'the host answered');
      const others = (m: IsoMessage) => Object.entries(m.fields).filter(([de]) => de !== String(field) && de !== '2');
      assert.deepEqual(others(reply), others(answered), 'every other field as the host sent it (DE2 is masked there)');
      assert.deepEqual(ledger.cardBalance('alice'), cny(40000), 'the host approved and posted');
      const line = rig.proxy.log.find((e) => e.what.startsWith('altered'))?.what ?? '';
      assert.match(
        line,
        new RegExp(`^altered 0210 STAN ${request.fields[11]} RC 00 \\(host → terminal\\): changed DE${field}$`),
      );
      assert.doesNotMatch(line, /6228|10000/, 'no field value in the log');
    });
  }

  test('alter is used up after one message: the next 0210 passes unchanged', async () => {
    rig.proxy.arm({ action: { kind: 'alter', fields: [4] }, direction: 'response', mti: '0210' });
    const client = await rig.connect();
    client.send(saleRequest(ALICE, 100, { stan: nextStan(), pin: null }));
    const altered = await client.receive();
    const plain = await client.request(saleRequest(ALICE, 200, { stan: nextStan(), pin: null }));
    assert.equal(altered.fields[4], '000000000101');
    assert.equal(plain.fields[4], '000000000200');
  });

  test('otherValue: same length, never the value given', () => {
    assert.equal(otherValue(4, '999999999999'), '000000000000');
    assert.equal(otherValue(11, '999999'), '000001');
    assert.equal(otherValue(41, 'T000000X'), 'T000000Y');
  });

  test('validateRule: alter needs some of DE4, DE11, DE41, each once', () => {
    assert.deepEqual(validateRule({ action: { kind: 'alter', fields: [41, 4] } }).action, {
      kind: 'alter',
      fields: [41, 4],
    });
    for (const fields of [undefined, [], [2], [4, 4], '4']) {
      assert.throws(() => validateRule({ action: { kind: 'alter', fields } }), /rule\.action\.fields must list/);
    }
    assert.throws(
      () => validateRule({ action: { kind: 'swallow', fields: [4] } }),
      /rule\.action\.fields is not a key/,
    );
  });
});
