import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { IsoMessage } from '../../protocols/iso8583/index.ts';
import { AcquirerHost, type AcquirerOptions, HostPolicyError, Ledger } from '../../simulators/acquirer/index.ts';
import { ALICE, cny, startBank } from '../support/bankFixture.ts';
import { DE7, saleRequest } from '../support/isoMessages.ts';

const sale = (stan: string, amountMinor: number, pin = ALICE.pin, de7 = DE7): IsoMessage =>
  saleRequest(ALICE, amountMinor, { stan, pin, de7 });

describe('acquirer host: duplicate policy and seeded host defects', () => {
  const open: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of open) await close();
  });
  async function bank(options: Omit<AcquirerOptions, 'ledger'> = {}) {
    const opened = await startBank(options);
    open.push(opened.close);
    return opened;
  }

  test("'replay' (the default): a repeated 0200 gets the first 0210 again and is posted once", async () => {
    const { ledger, client } = await bank();
    const first = await client.request(sale('000001', 10000));
    const again = await client.request(sale('000001', 10000));
    assert.equal(first.fields[39], '00');
    assert.deepEqual(again, first);
    assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
    assert.equal(ledger.journal().length, 1);
  });

  test("'decline-94': a repeated 0200 is answered 94 and never posted twice", async () => {
    const { ledger, client } = await bank({ duplicatePolicy: 'decline-94' });
    const first = await client.request(sale('000001', 10000));
    const again = await client.request(sale('000001', 10000));
    assert.equal(first.fields[39], '00');
    assert.equal(again.mti, '0210');
    assert.equal(again.fields[39], '94');
    assert.equal(again.fields[11], '000001');
    assert.equal(again.fields[38], undefined);
    assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
    assert.equal(ledger.journal().length, 1);
    // the same STAN with a new DE7 is a different request, not a duplicate
    const other = await client.request(sale('000001', 500, ALICE.pin, '0504100200'));
    assert.equal(other.fields[39], '00');
  });

  test("'double-post-duplicate': the first 0210 is replayed but the repeat is posted again", async () => {
    const { ledger, client } = await bank({ defects: ['double-post-duplicate'] });
    const first = await client.request(sale('000001', 10000));
    const again = await client.request(sale('000001', 10000));
    assert.deepEqual(again, first);
    assert.deepEqual(ledger.cardBalance('alice'), cny(30000));
    assert.deepEqual(
      ledger.journal().map((e) => [e.kind, e.stan, e.transmission, e.posted]),
      [
        ['purchase', '000001', '0504100000', true],
        ['purchase', '000001', '0504100000', true],
      ],
    );
  });

  test("'post-declined' over TCP: the terminal is told 55 but the card is charged", async () => {
    const { ledger, client } = await bank({ defects: ['post-declined'] });
    const reply = await client.request(sale('000001', 10000, '999999'));
    assert.equal(reply.fields[39], '55');
    assert.deepEqual(ledger.cardBalance('alice'), cny(40000));
  });

  test('an unknown policy or defect is refused, naming the option and the known values', () => {
    const ledger = Ledger.open(':memory:');
    try {
      assert.throws(
        () => new AcquirerHost({ ledger, duplicatePolicy: 'ignore' as never }),
        (e: Error) =>
          e instanceof HostPolicyError &&
          /duplicatePolicy: "ignore" is not a policy \(known: replay, decline-94\)/.test(e.message),
      );
      assert.throws(
        () => new AcquirerHost({ ledger, defects: ['double-post-reversal', 'lose-money' as never] }),
        (e: Error) => e instanceof HostPolicyError && /defects\[1\]: "lose-money" is not a host defect/.test(e.message),
      );
    } finally {
      ledger.close();
    }
  });
});
