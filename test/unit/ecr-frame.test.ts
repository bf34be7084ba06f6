import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACK,
  ETX,
  encodeAck,
  encodeFrame,
  encodeNak,
  FrameDecoder,
  FrameError,
  frameCrc,
  type LinkUnit,
  MAX_PAYLOAD,
  NAK,
  STX,
} from '../../protocols/ecr/index.ts';

const payload = (text: string): Buffer => Buffer.from(text, 'utf8');
const HELLO = payload('{"type":"hello","id":"h1","protocol":"1"}');
const SALE = payload('{"type":"sale","id":"c2","amount":10000,"currency":"CNY"}');

function decodeAll(chunks: Uint8Array[], flush = true): LinkUnit[] {
  const decoder = new FrameDecoder();
  const units = chunks.flatMap((c) => decoder.push(c));
  if (flush) units.push(...decoder.flush());
  return units;
}

/** A compact, comparable view of units: 'frame:3:{...}', 'ack:3', 'fault:bad-crc@12#3'. */
function summary(units: LinkUnit[]): string[] {
  return units.map((u) => {
    if (u.kind === 'frame') return `frame:${u.seq}:${u.payload.toString('utf8')}`;
    if (u.kind === 'fault')
      return `fault:${u.error.code}@${u.error.offset}${u.error.seq === undefined ? '' : `#${u.error.seq}`}`;
    return `${u.kind}:${u.seq}`;
  });
}

describe('ECR frame encoding', () => {
  it('uses CRC-16/CCITT-FALSE (check value 0x29B1 for "123456789")', () => {
    assert.equal(frameCrc(Buffer.from('123456789', 'ascii')), 0x29b1);
  });

  it('lays out STX | LEN | SEQ | payload | ETX | CRC over LEN..ETX', () => {
    const frame = encodeFrame(7, payload('{}'));
    assert.deepEqual([...frame.subarray(0, 7)], [STX, 0x00, 0x02, 0x07, 0x7b, 0x7d, ETX]);
    assert.equal(frame.length, 9);
    assert.equal(frame.readUInt16BE(7), frameCrc(frame.subarray(1, 7)));
  });

  it('encodes ACK and NAK as two bytes outside frames', () => {
    assert.deepEqual([...encodeAck(5)], [ACK, 5]);
    assert.deepEqual([...encodeNak(255)], [NAK, 255]);
  });

  it('refuses a SEQ outside 0..255 and a payload above MAX_PAYLOAD', () => {
    assert.throws(() => encodeFrame(256, HELLO), RangeError);
    assert.throws(() => encodeAck(-1), RangeError);
    assert.equal(encodeFrame(0, Buffer.alloc(MAX_PAYLOAD, 0x20)).length, MAX_PAYLOAD + 7);
    assert.throws(
      () => encodeFrame(1, Buffer.alloc(MAX_PAYLOAD + 1)),
      (e: unknown) => e instanceof FrameError && e.code === 'oversize' && /4097/.test(e.message),
    );
  });
});

describe('ECR frame decoding', () => {
  it('round-trips a frame', () => {
    assert.deepEqual(summary(decodeAll([encodeFrame(42, SALE)])), [`frame:42:${SALE}`]);
  });

  it('decodes the same units whatever offset the stream is split at', () => {
    const stream = Buffer.concat([encodeFrame(0, HELLO), encodeAck(9), encodeFrame(1, SALE), encodeNak(3)]);
    const expected = [`frame:0:${HELLO}`, 'ack:9', `frame:1:${SALE}`, 'nak:3'];
    for (let cut = 0; cut <= stream.length; cut++) {
      const units = decodeAll([stream.subarray(0, cut), stream.subarray(cut)]);
      assert.deepEqual(summary(units), expected, `split at offset ${cut}`);
    }
    const byteByByte = decodeAll([...stream].map((b) => Buffer.from([b])));
    assert.deepEqual(summary(byteByByte), expected);
  });

  it('decodes several frames merged in one chunk', () => {
    const chunk = Buffer.concat([encodeFrame(1, HELLO), encodeFrame(2, SALE), encodeAck(1), encodeFrame(3, HELLO)]);
    assert.deepEqual(summary(decodeAll([chunk])), [`frame:1:${HELLO}`, `frame:2:${SALE}`, 'ack:1', `frame:3:${HELLO}`]);
  });

  it('skips noise before STX with one fault per run, at its stream offset', () => {
    const noise = Buffer.from('garbage!', 'ascii');
    const frame = encodeFrame(4, HELLO);
    assert.deepEqual(summary(decodeAll([noise, frame])), ['fault:noise@0', `frame:4:${HELLO}`]);
    // a run split across chunks is still one run; a second run after a frame is a second fault
    const units = decodeAll([noise.subarray(0, 3), noise.subarray(3), frame, Buffer.from('xy'), frame]);
    const second = noise.length + frame.length;
    assert.deepEqual(summary(units), [
      'fault:noise@0',
      `frame:4:${HELLO}`,
      `fault:noise@${second}`,
      `frame:4:${HELLO}`,
    ]);
  });

  it('finds a real frame after noise that contains an STX (oversize LEN from the noise)', () => {
    const noise = Buffer.from([0x41, STX, 0x7b, 0x22, 0x41]); // STX followed by '{"' → LEN 0x7B22
    const units = decodeAll([noise, encodeFrame(8, SALE)]);
    assert.deepEqual(summary(units), ['fault:noise@0', 'fault:oversize@1#65', `frame:8:${SALE}`]);
  });

  it('finds a real frame swallowed by a false STX with a small LEN (bad ETX, then rescan)', () => {
    const noise = Buffer.from([STX, 0x00, 0x05, 0x01]); // claims a 5-byte payload made of the next frame's bytes
    const units = decodeAll([Buffer.concat([noise, encodeFrame(9, HELLO)])]);
    assert.deepEqual(summary(units), ['fault:bad-etx@0#1', `frame:9:${HELLO}`]);
  });

  it('reports a bad CRC with the SEQ, then resynchronises on the next frame', () => {
    const bad = encodeFrame(12, HELLO);
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff;
    const corruptPayload = encodeFrame(13, SALE);
    corruptPayload[10] = 0x5a;
    const units = decodeAll([bad, corruptPayload, encodeFrame(14, SALE)]);
    assert.deepEqual(summary(units), ['fault:bad-crc@0#12', `fault:bad-crc@${bad.length}#13`, `frame:14:${SALE}`]);
    const error = (units[0] as { error: FrameError }).error;
    assert.match(error.message, /bad CRC in frame SEQ 12 at stream offset 0: computed 0x[0-9A-F]{4}, received/);
  });

  it('finds a real frame hidden inside a bad-CRC frame, and reports nothing else from its bytes', () => {
    // rescanning from the byte after STX finds the inner frame; the outer frame's tail is part of the same fault
    const inner = encodeFrame(3, HELLO);
    const outer = Buffer.concat([
      Buffer.from([STX, 0x00, inner.length + 1, 0x07]),
      inner,
      Buffer.from([0x20, ETX, 0, 0]),
    ]);
    const units = decodeAll([outer]);
    assert.deepEqual(summary(units), ['fault:bad-crc@0#7', `frame:3:${HELLO}`]);
  });

  it('refuses an oversize LEN and resynchronises', () => {
    const oversize = Buffer.from([STX, 0x10, 0x01, 0x05]); // LEN 4097
    const units = decodeAll([oversize, encodeFrame(6, HELLO)]);
    assert.deepEqual(summary(units), ['fault:oversize@0#5', `frame:6:${HELLO}`]);
    assert.match((units[0] as { error: FrameError }).error.message, /LEN 4097 > 4096/);
  });

  it('reports a wrong byte where ETX should be', () => {
    const frame = encodeFrame(2, HELLO);
    frame[frame.length - 3] = 0x04;
    const units = decodeAll([frame, encodeFrame(3, SALE)]);
    assert.deepEqual(summary(units), ['fault:bad-etx@0#2', `frame:3:${SALE}`]);
  });

  it('holds a partial frame as pending, and flush reports it truncated', () => {
    const decoder = new FrameDecoder();
    const frame = encodeFrame(21, SALE);
    assert.deepEqual(decoder.push(Buffer.concat([encodeFrame(20, HELLO), frame.subarray(0, 10)])).length, 1);
    assert.equal(decoder.pending, true);
    const units = decoder.flush();
    assert.deepEqual(summary(units), [`fault:truncated@${encodeFrame(20, HELLO).length}#21`]);
    assert.equal(decoder.pending, false);
    assert.deepEqual(decoder.flush(), []);
  });

  it('reports a frame cut inside its header as truncated without a SEQ', () => {
    assert.deepEqual(summary(decodeAll([Buffer.from([STX, 0x00])])), ['fault:truncated@0']);
  });

  it('on flush, rescans the bytes after a truncated false STX and finds the real frame', () => {
    const falseStart = Buffer.from([STX, 0x01, 0x00, 0x09]); // LEN 256: longer than what follows
    const units = decodeAll([falseStart, encodeFrame(5, HELLO)]);
    assert.deepEqual(summary(units), ['fault:truncated@0#9', `frame:5:${HELLO}`]);
  });

  it('keeps offsets counting across pushes', () => {
    const decoder = new FrameDecoder();
    const first = encodeFrame(0, HELLO);
    decoder.push(first);
    const units = decoder.push(Buffer.from([0xff, 0xfe]));
    assert.deepEqual(summary(units), [`fault:noise@${first.length}`]);
  });

  it('never throws and never holds more than one frame on random input', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const decoder = new FrameDecoder();
    let units = 0;
    for (let i = 0; i < 2000; i++) {
      const chunk = Buffer.alloc(random() % 64);
      for (let j = 0; j < chunk.length; j++) chunk[j] = random() % 8 === 0 ? STX : random() & 0xff;
      units += decoder.push(chunk).length;
    }
    units += decoder.flush().length;
    assert.ok(units > 0);
    assert.equal(decoder.pending, false);
    // after all that, a clean frame still decodes
    assert.deepEqual(summary(decoder.push(encodeFrame(1, HELLO))), [`frame:1:${HELLO}`]);
  });

  it('drops a megabyte of noise without holding it', () => {
    const decoder = new FrameDecoder();
    const units = decoder.push(Buffer.alloc(1 << 20, 0x55));
    assert.deepEqual(summary(units), ['fault:noise@0']);
    assert.equal(decoder.pending, false);
  });
});
