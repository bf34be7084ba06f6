// The scenario's merged timeline and the wire trace it shows: in time order whatever the source, card numbers masked,
// PIN digits never shown (neither decoded nor in the frames' hex), and a frame's hex the bytes that crossed the wire.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EcrLink, encodeFrame } from '../../protocols/ecr/index.ts';
import { mergedTimeline } from '../../reporting/timeline.ts';
import { frameHex, safePayload, WireTrace } from '../../rigs/terminal/wireTrace.ts';
import { duplexPair } from '../support/duplexPair.ts';

const at = (ms: number) => new Date(2026, 11, 2, 3, 4, 5, ms);

describe('the merged timeline', () => {
  it('orders entries of every source by time, keeps equal times in the order given, indents details', () => {
    const text = mergedTimeline([
      { at: at(30), source: 'iso', text: '→ host 0200', detail: ['DE002 Primary account number: 622848******0018'] },
      { at: at(10), source: 'ecr', text: '→ sale        {"amount":10000}' },
      { at: at(30), source: 'network', text: '→ host    0200 STAN 000001' },
      { at: at(20), source: 'power', text: 'power cut' },
    ]);
    const lines = text.split('\n');
    assert.equal(lines[0], '03:04:05.010  ecr      → sale        {"amount":10000}');
    assert.equal(lines[1], '03:04:05.020  power    power cut');
    assert.equal(lines[2], '03:04:05.030  iso      → host 0200');
    assert.equal(lines[3], `${' '.repeat(24)}DE002 Primary account number: 622848******0018`);
    assert.equal(lines[4], '03:04:05.030  network  → host    0200 STAN 000001');
    assert.match(text, /wire {5}the same link on the wire/, 'a legend says what each source is');
  });

  it('masks a card number in any entry, whatever its form', () => {
    const text = mergedTimeline([
      { at: at(1), source: 'ecr', text: '← print       SHOP 4111 1111 1111 1111' },
      { at: at(2), source: 'iso', text: '→ host 0200', detail: ['DE048: 4111111111111111'] },
    ]);
    assert.match(text, /SHOP 4111 11\*\* \*\*\*\* 1111/);
    assert.match(text, /DE048: 411111\*{6}1111/);
  });

  it('says so when nothing happened', () => {
    assert.equal(mergedTimeline([]), 'nothing happened on the rig during this scenario');
  });
});

describe('the wire trace', () => {
  it('hides PIN digits and masks card numbers inside a payload, byte for byte the same length', () => {
    const keys = '{"type":"input.keys","id":"k1","keys":["1","2","3","4","ENTER"]}';
    assert.equal(safePayload(keys), '{"type":"input.keys","id":"k1","keys":["*","*","*","*","ENTER"]}');
    const card = '{"type":"input.card","pan":"6228480402564890018","expiry":"3012"}';
    assert.equal(safePayload(card), '{"type":"input.card","pan":"622848*********0018","expiry":"3012"}');
    assert.equal(
      Buffer.byteLength(safePayload('{"lines":["卡号 4111111111111111"]}')),
      Buffer.byteLength('{"lines":["卡号 4111111111111111"]}'),
    );
  });

  it("shows a frame's header and CRC as sent, and its payload masked", () => {
    const payload = Buffer.from('{"type":"hello","id":"h1","protocol":"1"}');
    const sent = encodeFrame(7, payload);
    assert.equal(frameHex(7, payload), [...sent].map((b) => b.toString(16).padStart(2, '0')).join(' '));
    const pin = Buffer.from('{"type":"input.keys","id":"k","keys":["9","ENTER"]}');
    const hex = frameHex(1, pin);
    assert.doesNotMatch(hex, / 39 /, 'the digit 9 (0x39) never appears');
    assert.equal(hex.split(' ').length, encodeFrame(1, pin).length);
  });

  it('records the frames and ACKs of a real link, each way, with their SEQ', async () => {
    const [harness, terminal] = duplexPair();
    const link = new EcrLink(harness);
    const trace = new WireTrace(link);
    const since = new Date(Date.now() - 1);
    const received = new Promise((resolve, reject) => {
      link.once('message', resolve);
      link.once('fault', reject);
    });
    const acked = new Promise((resolve) => terminal.once('data', resolve));
    terminal.write(encodeFrame(5, Buffer.from('{"type":"state","id":"s1","state":"idle"}')));
    await Promise.all([received, acked]);
    const units = trace.since(since);
    assert.deepEqual(
      units.map((u) => [u.dir, u.unit, u.seq]),
      [
        ['in', 'frame', 5],
        ['out', 'ack', 5],
      ],
    );
    assert.equal(units[1]?.hex, '06 05');
    link.close();
  });
});
