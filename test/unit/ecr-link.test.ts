import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Duplex, PassThrough } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import {
  EcrLink,
  type EcrMessage,
  EcrMessageError,
  encodeAck,
  encodeEcrMessage,
  encodeFrame,
  encodeNak,
  FrameDecoder,
  type FrameError,
  LinkError,
  type LinkTrace,
  type LinkUnit,
} from '../../protocols/ecr/index.ts';

type Keep = (unit: LinkUnit) => boolean;

/** What crossed the wire in one direction, as decoded units. */
class Direction {
  readonly units: LinkUnit[] = [];
  private readonly decoder = new FrameDecoder();
  keep: Keep = () => true;

  /** Decodes what was written, records it, and forwards the units `keep` allows (re-encoded). */
  carry(chunk: Buffer, to: PassThrough): void {
    for (const unit of this.decoder.push(chunk)) {
      this.units.push(unit);
      if (!this.keep(unit)) continue;
      if (unit.kind === 'frame') to.write(encodeFrame(unit.seq, unit.payload));
      else if (unit.kind === 'ack') to.write(encodeAck(unit.seq));
      else if (unit.kind === 'nak') to.write(encodeNak(unit.seq));
    }
  }

  count(kind: LinkUnit['kind']): number {
    return this.units.filter((u) => u.kind === kind).length;
  }

  seqs(kind: 'frame' | 'ack' | 'nak'): number[] {
    return this.units.flatMap((u) => (u.kind === kind ? [u.seq] : []));
  }
}

/** Test-only duplex pair built from PassThroughs, with a tap in each direction to observe and drop units. */
function duplexPair() {
  const aOut = new PassThrough();
  const bOut = new PassThrough();
  const aIn = new PassThrough();
  const bIn = new PassThrough();
  const aToB = new Direction();
  const bToA = new Direction();
  aOut.on('data', (chunk: Buffer) => aToB.carry(chunk, bIn));
  bOut.on('data', (chunk: Buffer) => bToA.carry(chunk, aIn));
  const a = Duplex.from({ writable: aOut, readable: aIn });
  const b = Duplex.from({ writable: bOut, readable: bIn });
  return { a, b, aToB, bToA, injectToA: (bytes: Uint8Array) => aIn.write(bytes) };
}

const links: EcrLink[] = [];
/** A link under test; the ACK timeout is long unless a test exercises it, so a slow machine cannot add retries. */
function link(stream: Duplex, name: string, ackTimeoutMs = 2000): EcrLink {
  const l = new EcrLink(stream, { ackTimeoutMs, interByteTimeoutMs: 20, name });
  links.push(l);
  return l;
}
afterEach(() => {
  for (const l of links.splice(0)) l.close();
});

/** A fresh 2 s deadline for one wait. */
const within = () => ({ signal: AbortSignal.timeout(2000) });
const SALE: EcrMessage = { type: 'sale', id: 'c1', amount: 10000, currency: 'CNY' };
const HELLO: EcrMessage = { type: 'hello', id: 'h1', protocol: '1' };

describe('EcrLink', () => {
  it('delivers a message and resolves the send on ACK', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness');
    const terminal = link(wire.b, 'terminal');
    const received = once(terminal, 'message', within());
    await harness.send(SALE);
    assert.deepEqual(await received, [SALE]);
    assert.deepEqual(wire.aToB.seqs('frame'), [0]);
    assert.deepEqual(wire.bToA.seqs('ack'), [0]);
  });

  it('numbers frames per sender, 0..255 then wrapping, one in flight at a time', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness');
    const terminal = link(wire.b, 'terminal');
    const got: string[] = [];
    terminal.on('message', (m: EcrMessage) => got.push(m.id));
    const sends = Array.from({ length: 258 }, (_, i) => harness.send({ type: 'settle', id: `s${i}` }));
    await Promise.all(sends);
    const expected = [...Array.from({ length: 256 }, (_, i) => i), 0, 1];
    assert.deepEqual(wire.aToB.seqs('frame'), expected);
    assert.deepEqual(wire.bToA.seqs('ack'), expected);
    assert.equal(got.length, 258);
    assert.equal(got[257], 's257');
    // the other direction has its own counter
    await terminal.send({ type: 'state', id: 'e1', state: 'idle' });
    assert.deepEqual(wire.bToA.seqs('frame'), [0]);
  });

  it('retransmits on NAK and resolves on the ACK that follows', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness');
    let naks = 0;
    wire.b.on('data', (chunk: Buffer) => {
      for (const unit of new FrameDecoder().push(chunk)) {
        if (unit.kind !== 'frame') continue;
        wire.b.write(naks++ === 0 ? encodeNak(unit.seq) : encodeAck(unit.seq));
      }
    });
    await harness.send(SALE);
    assert.deepEqual(wire.aToB.seqs('frame'), [0, 0]);
    assert.deepEqual(wire.bToA.seqs('nak'), [0]);
  });

  it('ignores a NAK for a SEQ that is not in flight', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness');
    wire.b.on('data', (chunk: Buffer) => {
      for (const unit of new FrameDecoder().push(chunk)) {
        if (unit.kind === 'frame') wire.b.write(Buffer.concat([encodeNak(unit.seq + 1), encodeAck(unit.seq)]));
      }
    });
    await harness.send(SALE);
    assert.equal(wire.aToB.count('frame'), 1);
  });

  it('retransmits when the ACK is lost; the receiver re-ACKs and does not deliver twice', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness', 30);
    const terminal = link(wire.b, 'terminal');
    let dropped = 0;
    wire.bToA.keep = (unit) => !(unit.kind === 'ack' && dropped++ === 0);
    const got: EcrMessage[] = [];
    terminal.on('message', (m: EcrMessage) => got.push(m));
    await harness.send(SALE);
    assert.deepEqual(wire.aToB.seqs('frame'), [0, 0]);
    assert.deepEqual(wire.bToA.seqs('ack'), [0, 0]);
    assert.deepEqual(got, [SALE]);
    // the next message is new and delivered
    await harness.send(HELLO);
    assert.deepEqual(got, [SALE, HELLO]);
  });

  it('delivers a new message that reuses the last SEQ after the peer restarted', async () => {
    const wire = duplexPair();
    const terminal = link(wire.b, 'terminal');
    const got: string[] = [];
    terminal.on('message', (m: EcrMessage) => got.push(m.id));
    const first = link(wire.a, 'harness-1');
    await first.send(HELLO);
    first.close();
    await link(wire.a, 'harness-2').send({ type: 'hello', id: 'h2', protocol: '1' });
    assert.deepEqual(wire.aToB.seqs('frame'), [0, 0]);
    assert.deepEqual(got, ['h1', 'h2']);
  });

  it('gives up with LinkError no-ack after 3 retransmissions (4 frames sent)', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness', 20);
    await assert.rejects(harness.send(SALE), (e: unknown) => {
      assert.ok(e instanceof LinkError);
      assert.equal(e.code, 'no-ack');
      assert.equal(e.seq, 0);
      assert.match(e.message, /harness: "sale" SEQ 0 not ACKed after 4 transmissions/);
      return true;
    });
    assert.deepEqual(wire.aToB.seqs('frame'), [0, 0, 0, 0]);
    // the queue moves on with the next SEQ
    const next = harness.send(HELLO);
    await assert.rejects(next, LinkError);
    assert.deepEqual(wire.aToB.seqs('frame').slice(4), [1, 1, 1, 1]);
  });

  it('survives garbage on the wire, NAKs a bad frame with its SEQ, and keeps working', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness');
    const terminal = link(wire.b, 'terminal');
    const faults: FrameError[] = [];
    harness.on('fault', (e) => faults.push(e as FrameError));
    const bad = encodeFrame(77, encodeEcrMessage({ type: 'voice', id: 'e1', text: 'hi' }));
    bad[6] = 0x21;
    wire.injectToA(Buffer.from([0xff, 0x00, 0x13, 0x37]));
    wire.injectToA(bad);
    const nak = new Promise<void>((resolve) => {
      harness.on('trace', (t: LinkTrace) => {
        if (t.dir === 'out' && t.bytes.equals(encodeNak(77))) resolve();
      });
    });
    await nak;
    assert.deepEqual(
      faults.map((f) => f.code),
      ['noise', 'bad-crc'],
    );
    const received = once(harness, 'message', within());
    await terminal.send({ type: 'voice', id: 'e2', text: 'ok' });
    assert.deepEqual(await received, [{ type: 'voice', id: 'e2', text: 'ok' }]);
  });

  it('NAKs a frame left incomplete past the inter-byte timeout', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness');
    const frame = encodeFrame(5, encodeEcrMessage(SALE));
    wire.injectToA(frame.subarray(0, 12));
    const [fault] = (await once(harness, 'fault', within())) as [FrameError];
    assert.equal(fault.code, 'truncated');
    assert.equal(fault.seq, 5);
    assert.deepEqual(wire.aToB.seqs('nak'), [5]);
  });

  it('ACKs a valid frame whose JSON is not a valid message, and reports it as a fault', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness');
    let delivered = 0;
    harness.on('message', () => delivered++);
    wire.injectToA(encodeFrame(3, Buffer.from('{"type":"display","id":"e1","lines":"oops"}')));
    const [fault] = (await once(harness, 'fault', within())) as [EcrMessageError];
    assert.ok(fault instanceof EcrMessageError);
    assert.equal(fault.path, 'lines');
    assert.deepEqual(wire.aToB.seqs('ack'), [3]);
    assert.equal(delivered, 0);
  });

  it('traces every chunk in and out', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness');
    const terminal = link(wire.b, 'terminal');
    const traces: LinkTrace[] = [];
    harness.on('trace', (t: LinkTrace) => traces.push(t));
    await harness.send(SALE);
    assert.deepEqual(
      traces.map((t) => t.dir),
      ['out', 'in'],
    );
    assert.ok(traces[0]?.bytes.equals(encodeFrame(0, encodeEcrMessage(SALE))));
    assert.ok(traces[1]?.bytes.equals(encodeAck(0)));
    assert.ok(traces.every((t) => t.at instanceof Date));
    assert.ok(terminal);
  });

  it('close() rejects the send in flight and the queued ones, and refuses new sends', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness');
    const inFlight = harness.send(SALE);
    const queued = harness.send(HELLO);
    harness.close();
    const closed = (e: unknown) => e instanceof LinkError && e.code === 'closed';
    await assert.rejects(inFlight, closed);
    await assert.rejects(queued, closed);
    await assert.rejects(harness.send(HELLO), closed);
    assert.equal(wire.a.listenerCount('data'), 0);
    assert.equal(wire.aToB.count('frame'), 1);
  });

  it('rejects an invalid message without sending anything', async () => {
    const wire = duplexPair();
    const harness = link(wire.a, 'harness');
    await assert.rejects(harness.send({ type: 'void', id: 'v1', stan: '12' }), EcrMessageError);
    assert.equal(wire.aToB.units.length, 0);
  });
});
