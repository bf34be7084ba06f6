// The binary packaging as the simulators take it: `sim terminal --packaging`, the terminal config's hostPackaging,
// and the fault proxy reading, corrupting and altering ISO87B bodies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimOptionError, simTerminalSettings } from '../../cli/sim.ts';
import { packMessage, unpackMessage } from '../../protocols/iso8583/index.ts';
import { alterBody, corruptBody, readMessage } from '../../simulators/faultproxy/index.ts';
import { readFields } from '../../simulators/faultproxy/messageInfo.ts';
import { checkTerminalConfig, TerminalConfigError } from '../../simulators/terminal/index.ts';
import { SIM_TERMINAL_FLAGS, TERMINAL_CONFIG } from '../support/terminalConfig.ts';

const answer = {
  mti: '0210',
  fields: { 2: '4111111111111111', 4: '000000002500', 11: '000042', 39: '00', 41: 'T0000001', 52: '0123456789ABCDEF' },
};

describe('the simulated terminal on the binary packaging', () => {
  it('sim terminal --packaging binary sets hostPackaging; absent, the config resolves to ascii', () => {
    assert.equal(simTerminalSettings({ ...SIM_TERMINAL_FLAGS, packaging: 'binary' }).config.hostPackaging, 'binary');
    assert.equal(simTerminalSettings(SIM_TERMINAL_FLAGS).config.hostPackaging, undefined);
    assert.equal(checkTerminalConfig(TERMINAL_CONFIG).hostPackaging, 'ascii');
    assert.equal(checkTerminalConfig({ ...TERMINAL_CONFIG, hostPackaging: 'binary' }).hostPackaging, 'binary');
  });

  it('refuses an unknown packaging naming --packaging or hostPackaging', () => {
    assert.throws(
      () => simTerminalSettings({ ...SIM_TERMINAL_FLAGS, packaging: 'bcd' }),
      (e: unknown) => e instanceof SimOptionError && e.option === '--packaging' && /ascii or binary/.test(e.message),
    );
    assert.throws(
      () => checkTerminalConfig({ ...TERMINAL_CONFIG, hostPackaging: 'ebcdic' as 'ascii' }),
      (e: unknown) => e instanceof TerminalConfigError && e.key === 'hostPackaging',
    );
  });
});

describe('the fault proxy on the binary packaging', () => {
  const body = packMessage(answer, 'binary');

  it('reads MTI, STAN and DE39 and the masked fields of an ISO87B body', () => {
    assert.deepEqual(readMessage(body, 'binary'), { mti: '0210', stan: '000042', responseCode: '00' });
    const fields = readFields(body, 'binary');
    assert.equal(fields?.[2], '411111******1111');
    assert.equal(fields?.[52], undefined, 'no PIN block');
    assert.deepEqual(readMessage(body), { mti: 'garbled' }, 'read as ASCII-87 the same bytes are garbled');
  });

  it('corrupts a binary body so it no longer unpacks, same length', () => {
    const corrupted = corruptBody(body, 'binary');
    assert.equal(corrupted.body.length, body.length);
    assert.equal(corrupted.offset, 0);
    assert.throws(() => unpackMessage(corrupted.body, 'binary'), /^IsoError: MTI at offset 0: must be 4 digits/);
    assert.deepEqual(readMessage(corrupted.body, 'binary'), { mti: 'garbled' });
  });

  it('alters DE4 of a binary body and packs it back in binary', () => {
    const altered = alterBody(body, [4], 'binary');
    assert.deepEqual(altered.altered, [4]);
    const fields = unpackMessage(altered.body, 'binary').fields;
    assert.equal(fields[4], '000000002501');
    assert.equal(fields[11], '000042');
  });
});
