// The acquirer and a broken length header in the same TCP chunk as a good 0200: the 0200 is answered (and posted) as if
// it had come in a chunk of its own, then the connection closes with a fault naming the header's offset, as always.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { frameForTcp, packIso } from '../../protocols/iso8583/index.ts';
import type { AcquirerFault } from '../../simulators/acquirer/index.ts';
import { ALICE, cny, startBank } from '../support/bankFixture.ts';
import { saleRequest } from '../support/isoMessages.ts';

describe('acquirer host: a good 0200 and a broken length header in one TCP write', () => {
  test('the 0200 is answered and posted, then the connection closes with a fault', async () => {
    const { ledger, host, client, close } = await startBank();
    const faults: AcquirerFault[] = [];
    host.on('fault', (f: AcquirerFault) => faults.push(f));
    try {
      const before = ledger.cardBalance('alice');
      const request = saleRequest(ALICE, 10000, { stan: '000321' });
      const good = frameForTcp(packIso(request));
      client.sendRaw(Buffer.concat([good, Buffer.from([0xff, 0xff, 0x00, 0x01])]));
      const reply = await client.receive();
      assert.deepEqual([reply.mti, reply.fields[11], reply.fields[39]], ['0210', '000321', '00']);
      await client.closed;
      assert.deepEqual(
        faults.map((f) => f.message),
        [
          `IsoError: Length header at offset ${good.length}: declared length 65535 exceeds max 8192; closing the connection`,
        ],
      );
      assert.deepEqual(ledger.cardBalance('alice'), cny(before.minor - 10000));
    } finally {
      await close();
    }
  });
});
