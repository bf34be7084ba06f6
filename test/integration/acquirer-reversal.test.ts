import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, beforeEach, describe, test } from 'node:test';
import { frameForTcp, type IsoMessage } from '../../protocols/iso8583/index.ts';
import { type AcquirerFault, AcquirerHost, IsoTcpClient } from '../../simulators/acquirer/index.ts';
import { cny, hostClock, MID, seededLedger, TID, VISA } from '../support/bankFixture.ts';
import { DE7, reversalOf, saleRequest } from '../support/isoMessages.ts';

/** Alice here holds the Visa test card. */
const ALICE = { ...VISA, alias: 'alice' };

const sale = (stan: string, amountMinor: number, de7 = DE7): IsoMessage =>
  saleRequest(ALICE, amountMinor, { stan, de7 });

describe('acquirer host: reversals and robustness', () => {
  const ledger = seededLedger([ALICE]);
  const host = new AcquirerHost({ ledger, now: hostClock });
  const faults: AcquirerFault[] = [];
  host.on('fault', (f: AcquirerFault) => faults.push(f));
  let address: { host: string; port: number };
  let client: IsoTcpClient;

  before(async () => {
    address = await host.start();
    client = await IsoTcpClient.connect(address);
  });
  beforeEach(() => {
    ledger.reset();
    faults.length = 0;
  });
  after(async () => {
    client.close();
    await host.stop();
    ledger.close();
  });

  test('a reversal restores both balances; a second reversal answers 00 and moves nothing', async () => {
    const original = sale('000001', 12000);
    assert.equal((await client.request(original)).fields[39], '00');
    assert.deepEqual(ledger.cardBalance('alice'), cny(38000));
    const first = await client.request(reversalOf(original));
    assert.equal(first.mti, '0410');
    assert.equal(first.fields[39], '00');
    assert.equal(first.fields[11], '000001');
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.deepEqual(ledger.merchantBalance(MID), cny(0));
    const second = await client.request(reversalOf(original, '0504100200'));
    assert.equal(second.fields[39], '00');
    assert.deepEqual(ledger.cardBalance('alice'), cny(50000));
    assert.deepEqual(
      ledger.journal().map((e) => [e.kind, e.responseCode, e.posted]),
      [
        ['purchase', '00', true],
        ['reversal', '00', true],
        ['reversal', '00', false],
      ],
    );
    assert.deepEqual(ledger.audit(), []);
  });

  test('the reversal of an unknown original is journalled and answered 25', async () => {
    const reply = await client.request(reversalOf(sale('000777', 500)));
    assert.equal(reply.fields[39], '25');
    const [entry] = ledger.journal();
    assert.deepEqual([entry?.kind, entry?.responseCode, entry?.posted], ['reversal', '25', false]);
  });

  test('0800 sign-on and echo are answered 0810 with DE39 00, echoing DE7, DE11, DE41, DE70', async () => {
    for (const code of ['001', '301']) {
      const request = { mti: '0800', fields: { 7: '0504100000', 11: '000009', 41: TID, 70: code } };
      const reply = await client.request(request);
      assert.deepEqual(reply, { mti: '0810', fields: { ...request.fields, 39: '00' } });
    }
  });

  test('an unknown request MTI is answered MTI+10 with 96', async () => {
    const reply = await client.request({ mti: '0600', fields: { 7: '0504100000', 11: '000010', 41: TID } });
    assert.equal(reply.mti, '0610');
    assert.equal(reply.fields[39], '96');
  });

  test('a well-framed garbage body is a fault; the same connection keeps serving', async () => {
    const garbage = Buffer.from('HELLO, THIS IS NOT ISO 8583', 'latin1');
    client.sendRaw(frameForTcp(garbage));
    const reply = await client.request(sale('000002', 100));
    assert.equal(reply.fields[39], '00');
    assert.equal(faults.length, 1);
    assert.match(faults[0]?.message ?? '', /unreadable message/);
  });

  test('a broken length header closes only that connection; the server keeps accepting', async () => {
    const victim = await IsoTcpClient.connect(address);
    victim.sendRaw(Buffer.from([0xff, 0xff, 0x00, 0x01, 0x02]));
    await victim.closed;
    assert.match(faults[0]?.message ?? '', /Length header.*closing the connection/);
    const fresh = await IsoTcpClient.connect(address);
    assert.equal((await fresh.request(sale('000003', 100))).fields[39], '00');
    fresh.close();
    assert.equal((await client.request(sale('000004', 100))).fields[39], '00');
  });

  test('a response-class MTI sent to the host closes that connection', async () => {
    const rogue = await IsoTcpClient.connect(address);
    rogue.send({ mti: '0210', fields: { 11: '000001', 39: '00' } });
    await rogue.closed;
    assert.match(faults.at(-1)?.message ?? '', /MTI 0210 is not a request/);
  });

  test('stop() closes open connections and resolves', async () => {
    const other = new AcquirerHost({ ledger });
    const otherAddress = await other.start();
    const lingering = await IsoTcpClient.connect(otherAddress);
    await other.stop();
    await lingering.closed;
    await assert.rejects(IsoTcpClient.connect(otherAddress), /cannot connect/);
    await other.stop(); // a second stop is harmless
  });

  test('a ledger failure answers 96 and the host keeps serving', async () => {
    const broken = seededLedger([ALICE]);
    const other = new AcquirerHost({ ledger: broken });
    const probe = await IsoTcpClient.connect(await other.start());
    const fault = once(other, 'fault');
    broken.close(); // every ledger call now throws
    const reply = await probe.request(sale('000005', 100));
    assert.equal(reply.mti, '0210');
    assert.equal(reply.fields[39], '96');
    assert.match(((await fault)[0] as AcquirerFault).message, /answering 96/);
    probe.close();
    await other.stop();
  });
});
