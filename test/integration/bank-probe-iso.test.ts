import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Money } from '../../protocols/domain/money.ts';
import {
  AdditionalAmountsError,
  availableBalance,
  deframerFor,
  frameMessage,
  type IsoMessage,
  type Packaging,
  parseAdditionalAmounts,
  transmissionDateTime,
  unpackMessage,
} from '../../protocols/iso8583/index.ts';
import { IsoBankProbe, type IsoBankProbeOptions } from '../../rigs/bank/isoBankProbe.ts';
import { CardBook, type TestCard } from '../../rigs/file/cardBook.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';
import { AcquirerHost, type CardAccountSeed, IsoTcpClient, type IsoTrace } from '../../simulators/acquirer/index.ts';
import { ALICE, BOB, CAROL, cny, DAVE, hostClock, MID, seededLedger } from '../support/bankFixture.ts';
import { saleRequest, stanCounter } from '../support/isoMessages.ts';

const SEEDS = [ALICE, BOB, CAROL, DAVE];
const bookOf = (cards: readonly CardAccountSeed[]) =>
  new CardBook('fixtures/test-cards.yaml', new Map(cards.map((c) => [c.alias, c as TestCard])));
const CARDS = bookOf(SEEDS);
const alice = CARDS.get('alice');

/** Rejects with a RigFault whose message contains every part. */
async function rigFault(promise: Promise<unknown>, ...parts: string[]): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RigFault, `expected a RigFault, got ${String(error)}`);
    for (const part of parts) assert.ok(error.message.includes(part), `"${error.message}" names "${part}"`);
    return true;
  });
}

describe('IsoBankProbe against the simulated acquirer', () => {
  const ledger = seededLedger(SEEDS);
  const host = new AcquirerHost({ ledger, now: hostClock });
  const traces: IsoTrace[] = [];
  host.on('trace', (t: IsoTrace) => traces.push(t));
  const stan = stanCounter();
  let address: { host: string; port: number };
  let terminal: IsoTcpClient;
  const probe = (options: Partial<IsoBankProbeOptions> = {}) =>
    new IsoBankProbe({ address, mid: MID, currency: 'CNY', cards: CARDS, now: hostClock, ...options });

  before(async () => {
    address = await host.start();
    terminal = await IsoTcpClient.connect(address);
  });
  beforeEach(() => {
    ledger.reset();
    traces.length = 0;
  });
  after(async () => {
    terminal.close();
    await host.stop();
    ledger.close();
  });

  test("balances by inquiry equal the ledger's (cards the host declines left out), moving nothing", async () => {
    const balances = await probe({ merchant: true }).balances();
    const expected = new Map(ledger.balances());
    expected.delete('card:carol'); // expired: 54
    expected.delete('card:dave'); // lost: 14
    assert.deepEqual(balances, expected);
    assert.deepEqual(ledger.postings(), []);
    assert.deepEqual(
      ledger.journal().map((e) => [e.kind, e.tid, e.responseCode, e.cardAlias]),
      [
        ['balance-inquiry', 'POSRIGPB', '00', 'alice'],
        ['balance-inquiry', 'POSRIGPB', '00', 'bob'],
        ['balance-inquiry', 'POSRIGPB', '54', 'carol'],
        ['balance-inquiry', 'POSRIGPB', '14', 'dave'],
        ['balance-inquiry', 'POSRIGPB', '00', null],
      ],
    );
  });

  test("the inquiry is the probe's own: DE41 POSRIGPB, its STANs one after another, DE7 its clock, no DE4", async () => {
    const bank = probe({ merchant: true });
    await bank.balance(alice);
    await bank.merchantBalance();
    const sent = traces.filter((t) => t.dir === 'in').map((t) => t.message);
    assert.deepEqual(
      sent.map((m) => [m.mti, m.fields[2], m.fields[3], m.fields[4], m.fields[22], m.fields[41], m.fields[42]]),
      [
        ['0200', '622848*********0018', '310000', undefined, '011', 'POSRIGPB', MID],
        ['0200', undefined, '310000', undefined, undefined, 'POSRIGPB', MID],
      ],
    );
    assert.deepEqual(
      sent.map((m) => m.fields[7]),
      [transmissionDateTime(hostClock()), transmissionDateTime(hostClock())],
    );
    const [first, second] = sent.map((m) => Number(m.fields[11]));
    assert.equal(second, first === 999_999 ? 1 : (first ?? 0) + 1);
  });

  test('a purchase, then an inquiry: the card shows the debit, the merchant (by the extension) the credit', async () => {
    const bank = probe({ merchant: true });
    const before: [Money, Money] = [await bank.balance(alice), await bank.merchantBalance()];
    assert.equal((await terminal.request(saleRequest(ALICE, 12345, { stan: stan() }))).fields[39], '00');
    const after: [Money, Money] = [await bank.balance(alice), await bank.merchantBalance()];
    assert.deepEqual(
      [before, after],
      [
        [cny(50000), cny(0)],
        [cny(37655), cny(12345)],
      ],
    );
    assert.deepEqual(after, [ledger.cardBalance('alice'), ledger.merchantBalance(MID)]);
  });

  test('without the PIN (pin: false) the inquiry carries no DE52 and DE22 012', async () => {
    assert.deepEqual(await probe({ pin: false }).balance(CARDS.get('bob')), cny(5000));
    const [sent] = traces.filter((t) => t.dir === 'in');
    assert.equal(sent?.message.fields[22], '012');
    assert.equal(ledger.findCardByPan(BOB.pan)?.pinTries, 0);
  });

  test('merchant off: merchantBalance is a rig fault naming the key, and balances() leaves the merchant out', async () => {
    const bank = probe();
    await rigFault(
      bank.merchantBalance(),
      `the host at ${address.host}:${address.port} does not report the merchant's balance (bank.probe.iso8583.merchant)`,
    );
    assert.deepEqual([...(await bank.balances()).keys()], ['card:alice', 'card:bob']);
    assert.equal(ledger.journal().filter((e) => e.cardAlias === null).length, 0, 'no merchant inquiry was sent');
  });

  test('a host that refuses the merchant inquiry: a rig fault with its DE39', async () => {
    await rigFault(
      probe({ merchant: true, mid: '999999999999999' }).merchantBalance(),
      "does not report the merchant's balance (bank.probe.iso8583.merchant)",
      'DE39 05 (Do not honor)',
    );
  });

  test('a card the host declines is a rig fault with DE39; a wrong PIN in the card book says where to look', async () => {
    await rigFault(probe().balance(CARDS.get('dave')), 'card "dave" (622202*********2342)', 'DE39 14');
    const wrongPin = bookOf([{ ...ALICE, pin: '000000' }]);
    await rigFault(
      probe({ cards: wrongPin }).balance(wrongPin.get('alice')),
      'DE39 55 (Incorrect PIN)',
      'is the PIN in fixtures/test-cards.yaml',
    );
    assert.deepEqual(ledger.postings(), []);
  });

  test('setBalance: the balance the host already holds is fine; any other is a rig fault naming both', async () => {
    const bank = probe();
    await bank.setBalance(alice, cny(50000));
    await rigFault(
      bank.setBalance(alice, cny(12300)),
      'card "alice" (622848*********0018)',
      'holds 500.00 CNY',
      'wants 123.00 CNY',
      "a real host's test cards are funded by the acquirer",
    );
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.equal(ledger.journal().filter((e) => e.kind === 'adjustment').length, 0);
  });

  test('declineNextPurchase is refused, journal() is unknown, reset() leaves the host as it is', async () => {
    const bank = probe();
    await rigFault(bank.declineNextPurchase('51'), 'cannot tell a real host to decline', 'response code 51');
    assert.equal((await terminal.request(saleRequest(ALICE, 100, { stan: stan() }))).fields[39], '00');
    assert.equal(await bank.journal(), undefined);
    await bank.reset();
    assert.deepEqual(ledger.cardBalance('alice'), cny(49900));
    assert.equal(ledger.journal().length, 1);
  });
});

describe('IsoBankProbe against the simulated acquirer in binary packaging (ISO87B behind a TPDU)', () => {
  test("the card's and the merchant's balances read alike", async () => {
    const ledger = seededLedger(SEEDS);
    const host = new AcquirerHost({ ledger, now: hostClock, packaging: 'binary' });
    try {
      const address = await host.start();
      const bank = new IsoBankProbe({
        ...{ address, mid: MID, currency: 'CNY', cards: CARDS, now: hostClock, merchant: true, packaging: 'binary' },
      });
      ledger.setCardBalance('bob', cny(4321));
      assert.deepEqual([await bank.balance(CARDS.get('bob')), await bank.merchantBalance()], [cny(4321), cny(0)]);
    } finally {
      await host.stop();
      ledger.close();
    }
  });
});

/** A host written for one test: answers each request with what `answer` returns, in the given packaging. */
async function scriptedHost(packaging: Packaging, answer: (request: IsoMessage) => IsoMessage[]) {
  const seen: IsoMessage[] = [];
  const server = net.createServer((socket) => {
    const deframer = deframerFor(packaging);
    socket.on('data', (chunk: Buffer) => {
      for (const body of deframer.push(chunk)) {
        const request = unpackMessage(body, packaging);
        seen.push(request);
        for (const reply of answer(request)) socket.write(frameMessage(reply, packaging));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { address: { host: '127.0.0.1', port }, seen, stop };
}

const balanceReply = (request: IsoMessage, extra: IsoMessage['fields']): IsoMessage => ({
  mti: '0210',
  fields: { 3: request.fields[3], 11: request.fields[11], 41: request.fields[41], 39: '00', ...extra },
});

describe('IsoBankProbe against hosts that answer otherwise', () => {
  test('answers with another STAN or TID are passed over; the one for the request is read', async () => {
    const host = await scriptedHost('ascii', (request) => [
      balanceReply(request, { 11: '000000', 54: '1002156C000000000001' }),
      balanceReply(request, { 41: 'OTHERTID', 54: '1002156C000000000002' }),
      balanceReply(request, { 54: '1001156C000000099999' + '1002156C000000000777' }),
    ]);
    try {
      const bank = new IsoBankProbe({ address: host.address, mid: MID, currency: 'CNY', cards: CARDS });
      assert.deepEqual(await bank.balance(alice), cny(777));
    } finally {
      await host.stop();
    }
  });

  test('binary packaging: the inquiry goes out as ISO87B behind a TPDU and the answer is read alike', async () => {
    const host = await scriptedHost('binary', (request) => [balanceReply(request, { 54: '1002156D000000001500' })]);
    try {
      const bank = new IsoBankProbe({
        ...{ address: host.address, mid: MID, currency: 'CNY', cards: CARDS, packaging: 'binary' },
      });
      assert.deepEqual(await bank.balance(alice), cny(-1500));
      assert.deepEqual(
        host.seen.map((m) => [m.mti, m.fields[2], m.fields[3], m.fields[41]]),
        [['0200', ALICE.pan, '310000', 'POSRIGPB']],
      );
    } finally {
      await host.stop();
    }
  });

  test('a DE54 that is not the standard layout is a rig fault quoting it', async () => {
    const host = await scriptedHost('ascii', (request) => [balanceReply(request, { 54: '1001156C000000050000' })]);
    try {
      const bank = new IsoBankProbe({ address: host.address, mid: MID, currency: 'CNY', cards: CARDS });
      await rigFault(bank.balance(alice), 'DE54 "1001156C000000050000"', 'no available balance (amount type 02)');
    } finally {
      await host.stop();
    }
  });

  test('a host that never answers, or is not there, is a rig fault saying which and where', async () => {
    const silent = await scriptedHost('ascii', () => []);
    try {
      const bank = new IsoBankProbe({
        ...{ address: silent.address, mid: MID, currency: 'CNY', cards: CARDS, timeoutMs: 100 },
      });
      await rigFault(
        bank.balance(alice),
        `cannot ask the host at 127.0.0.1:${silent.address.port}`,
        'no answer within 100 ms',
      );
    } finally {
      await silent.stop();
    }
    const gone = silent.address; // closed above: nothing listens there now
    const bank = new IsoBankProbe({ address: gone, mid: MID, currency: 'CNY', cards: CARDS });
    await rigFault(bank.balance(alice), `cannot ask the host at 127.0.0.1:${gone.port}`, 'cannot connect');
  });
});

describe('DE54 additional amounts', () => {
  test('reads every block, signed, and picks the available balance (amount type 02)', () => {
    const de54 = '1001156C000000060000' + '1002840D000000000042';
    assert.deepEqual(parseAdditionalAmounts(de54), [
      { accountType: '10', amountType: '01', amount: cny(60000) },
      { accountType: '10', amountType: '02', amount: { minor: -42, currency: 'USD' } },
    ]);
    assert.deepEqual(availableBalance(de54), { minor: -42, currency: 'USD' });
  });

  test('a length that is not whole blocks, a bad block or an unknown currency names the offset', () => {
    const problem = (de54: string, part: string) =>
      assert.throws(
        () => parseAdditionalAmounts(de54),
        (e: unknown) => e instanceof AdditionalAmountsError && e.message.includes(part),
      );
    problem('1002156C00000005000', 'DE54 is 19 characters');
    problem('1002156C000000050000' + '1002156X000000050000', 'DE54 at offset 20');
    problem('1002999C000000050000', 'DE54 at offset 4: currency "999"');
  });
});
