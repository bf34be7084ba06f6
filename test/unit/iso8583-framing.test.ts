import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameForTcp, IsoError, packIso, TcpDeframer, unpackIso } from '../../protocols/iso8583/index.ts';

const bodies = [
  packIso({ mti: '0800', fields: { 7: '0315103000', 11: '000001', 41: 'T0000001', 70: '301' } }),
  packIso({ mti: '0200', fields: { 2: '4111111111111111', 3: '000000', 4: '000000010000', 11: '000002' } }),
  packIso({ mti: '0810', fields: { 7: '0315103000', 11: '000001', 39: '00', 41: 'T0000001', 70: '301' } }),
];
const stream = Buffer.concat(bodies.map((b) => frameForTcp(b)));

describe('frameForTcp', () => {
  it('prefixes a 2-byte big-endian length', () => {
    const framed = frameForTcp(Buffer.from('0800abc'));
    assert.deepEqual([...framed.subarray(0, 2)], [0x00, 0x07]);
    assert.equal(framed.subarray(2).toString('latin1'), '0800abc');
  });

  it('counts a TPDU inside the length and puts it before the body', () => {
    const tpdu = Buffer.from([0x60, 0x00, 0x03, 0x00, 0x00]);
    const framed = frameForTcp(Buffer.from('0800'), { tpdu });
    assert.deepEqual([...framed], [0x00, 0x09, 0x60, 0x00, 0x03, 0x00, 0x00, 0x30, 0x38, 0x30, 0x30]);
  });

  it('refuses a body too long for the header', () => {
    assert.throws(
      () => frameForTcp(Buffer.alloc(70000)),
      (e: unknown) => e instanceof IsoError && /70000/.test(e.message),
    );
  });
});

describe('TcpDeframer', () => {
  it('returns merged messages from one chunk, in order', () => {
    const out = new TcpDeframer().push(stream);
    assert.deepEqual(out, bodies);
    assert.equal(unpackIso(out[1] as Buffer).fields[4], '000000010000');
  });

  it('gives the same messages whatever offset the stream is split at', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const deframer = new TcpDeframer();
      const out = [...deframer.push(stream.subarray(0, cut)), ...deframer.push(stream.subarray(cut))];
      assert.deepEqual(out, bodies, `split at ${cut}`);
      assert.equal(deframer.pending, 0);
    }
  });

  it('gives the same messages when fed one byte at a time', () => {
    const deframer = new TcpDeframer();
    const out: Buffer[] = [];
    for (const byte of stream) out.push(...deframer.push(Uint8Array.of(byte)));
    assert.deepEqual(out, bodies);
  });

  it('keeps a partial message pending until it completes', () => {
    const deframer = new TcpDeframer();
    const first = frameForTcp(bodies[0] as Buffer);
    assert.deepEqual(deframer.push(first.subarray(0, 10)), []);
    assert.equal(deframer.pending, 10);
    assert.deepEqual(deframer.push(first.subarray(10)), [bodies[0]]);
  });

  it('strips a 5-byte TPDU', () => {
    const tpdu = Buffer.from('6000030000', 'hex');
    const framed = Buffer.concat(bodies.map((b) => frameForTcp(b, { tpdu })));
    const deframer = new TcpDeframer({ tpduLength: 5 });
    const out: Buffer[] = [];
    for (let i = 0; i < framed.length; i += 7) out.push(...deframer.push(framed.subarray(i, i + 7)));
    assert.deepEqual(out, bodies);
  });

  it('returned bodies are copies, not views into later data', () => {
    const chunk = Buffer.from(stream);
    const [first] = new TcpDeframer().push(chunk);
    chunk.fill(0);
    assert.deepEqual(first, bodies[0]);
  });

  it('an oversize declared length is an IsoError naming it, and the deframer stays failed', () => {
    const deframer = new TcpDeframer({ maxLength: 8192 });
    const good = frameForTcp(bodies[0] as Buffer);
    const bad = Buffer.from([0x23, 0x28, 0x30]); // 9000
    assert.deepEqual(deframer.push(good), [bodies[0]]);
    assert.throws(
      () => deframer.push(bad),
      (e: unknown) =>
        e instanceof IsoError &&
        e.offset === good.length &&
        e.message === `Length header at offset ${good.length}: declared length 9000 exceeds max 8192`,
    );
    assert.throws(() => deframer.push(good), /declared length 9000/);
  });

  it('a good frame and a bad length header in one chunk: the frame comes back, then the error', () => {
    const deframer = new TcpDeframer({ maxLength: 8192 });
    const good = frameForTcp(bodies[1] as Buffer);
    const chunk = Buffer.concat([frameForTcp(bodies[0] as Buffer), good, Buffer.from([0xff, 0xff, 0x01])]);
    const at = chunk.length - 3;
    assert.deepEqual(deframer.push(chunk), [bodies[0], bodies[1]]);
    const failure = deframer.failure;
    assert.ok(failure instanceof IsoError);
    assert.equal(failure.offset, at);
    assert.equal(failure.message, `Length header at offset ${at}: declared length 65535 exceeds max 8192`);
    assert.equal(deframer.pending, 0, 'nothing after a bad header is kept');
    assert.throws(
      () => deframer.push(good),
      (e: unknown) => e === failure,
      'the next push throws the same error',
    );
    assert.equal(deframer.failure, failure);
  });

  it('the same stream split anyhow gives the same frames and the same error', () => {
    const tpdu = Buffer.from('6000030000', 'hex');
    const good = Buffer.concat(bodies.map((b) => frameForTcp(b, { tpdu })));
    const stream = Buffer.concat([good, Buffer.from([0x00, 0x03, 0x60, 0x00, 0x03])]); // 3 < the 5-byte TPDU
    for (let cut = 0; cut <= stream.length; cut++) {
      const deframer = new TcpDeframer({ tpduLength: 5 });
      const frames: Array<{ body: Buffer; offset: number }> = [];
      let thrown: unknown;
      for (const chunk of [stream.subarray(0, cut), stream.subarray(cut)]) {
        try {
          frames.push(...deframer.pushFrames(chunk));
        } catch (error) {
          thrown = error;
        }
      }
      assert.deepEqual(
        frames.map((f) => f.body),
        bodies,
        `split at ${cut}`,
      );
      assert.equal(
        deframer.failure?.message,
        `Length header at offset ${good.length}: declared length 3 is shorter than the 5-byte TPDU`,
      );
      assert.ok(thrown === undefined || thrown === deframer.failure, `split at ${cut}: threw ${String(thrown)}`);
    }
  });

  it('a push whose first header is bad throws at once, and sets failure', () => {
    const deframer = new TcpDeframer();
    assert.throws(() => deframer.push(Buffer.from([0x20, 0x01])), /Length header at offset 0: declared length 8193/);
    assert.equal(deframer.failure?.offset, 0);
  });

  it('a declared length shorter than the TPDU is an IsoError', () => {
    assert.throws(
      () => new TcpDeframer({ tpduLength: 5 }).push(Buffer.from([0, 3, 1, 2, 3])),
      /shorter than the 5-byte TPDU/,
    );
  });

  it('the default max is 8192', () => {
    const deframer = new TcpDeframer();
    assert.deepEqual(deframer.push(Buffer.from([0x20, 0x00])), []);
    assert.throws(() => new TcpDeframer().push(Buffer.from([0x20, 0x01])), /declared length 8193 exceeds max 8192/);
  });
});
