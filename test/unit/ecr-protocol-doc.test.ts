// Keeps docs/protocol.md honest: every example frame in the spec must be what the encoder produces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  encodeEcrMessage,
  encodeFrame,
  frameCrc,
  HARNESS_COMMAND_TYPES,
  parseEcrMessage,
  TERMINAL_EVENT_TYPES,
} from '../../protocols/ecr/index.ts';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
/** `{json}   (SEQ n)` followed by lines of hex bytes. */
const EXAMPLE = /^(\{.*\}) {3}\(SEQ (\d+)\)\n((?:[0-9A-F]{2}(?: [0-9A-F]{2})*\n)+)/gm;
const bytesOf = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

describe('docs/protocol.md examples', () => {
  const examples = [...doc.matchAll(EXAMPLE)];

  it('shows one example frame for every message type', () => {
    const types = examples.map((m) => parseEcrMessage(m[1] as string).type);
    assert.deepEqual([...new Set(types)].sort(), [...HARNESS_COMMAND_TYPES, ...TERMINAL_EVENT_TYPES].sort());
  });

  for (const [, json, seq, hex] of examples) {
    const message = parseEcrMessage(json as string);
    it(`${message.type} example is a valid message and the encoder's exact bytes`, () => {
      const expected = encodeFrame(Number(seq), encodeEcrMessage(message));
      assert.deepEqual(bytesOf(hex as string), expected);
    });
  }

  it('has correct CRC worked examples', () => {
    assert.match(doc, /covers `00 02 00 7B 7D 03` and is `0x2C0C`/);
    assert.equal(frameCrc(bytesOf('00 02 00 7B 7D 03')), 0x2c0c);
    assert.deepEqual(encodeFrame(0, Buffer.from('{}')), bytesOf('02 00 02 00 7B 7D 03 2C 0C'));
    assert.match(doc, /equals\n`0xCFA6`/);
    assert.equal(encodeFrame(7, Buffer.from('{"type":"abort","id":"c-0008"}')).readUInt16BE(35), 0xcfa6);
  });
});
