// Simulated time (rigs/clock/virtualClock.ts): timers fire in the order of their times without the wall clock's
// waits, only while a wait is pending and the process is quiet; a socket's message in flight is never overtaken.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, test } from 'node:test';
import { clock, useTimeSource } from '../../protocols/domain/clock.ts';
import { virtualClockProblem } from '../../rigs/clock/clockChoice.ts';
import { VirtualClock } from '../../rigs/clock/virtualClock.ts';

let restore: (() => void) | undefined;
let simulated: VirtualClock | undefined;

function simulate(start = Date.UTC(2026, 11, 2, 8, 0, 0)): VirtualClock {
  simulated = new VirtualClock(start);
  restore = useTimeSource(simulated);
  return simulated;
}

afterEach(() => {
  restore?.();
  simulated?.stop();
  restore = undefined;
  simulated = undefined;
});

/** Resolves after `ms` of the process's clock: a wait, so simulated time may run. */
const waitFor = (ms: number) => new Promise<number>((resolve) => clock.deadline(() => resolve(clock.now()), ms));

test('an hour of timers passes in a moment, in the order of their times', async () => {
  const start = simulate().now();
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('reversal retry'), 30_000);
  clock.setTimeout(() => fired.push('response timeout'), 1_500);
  clock.setTimeout(() => fired.push('boot'), 800);
  const wall = Date.now();
  const at = await waitFor(3_600_000);
  assert.deepEqual(fired, ['boot', 'response timeout', 'reversal retry']);
  assert.ok(at >= start + 3_600_000 && at < start + 3_600_100, `the wait ended at its time (+${at - start} ms)`);
  assert.ok(Date.now() - wall < 3_600_000);
});

test('a cleared timer never fires; time stands still while nobody waits', async () => {
  const clockNow = simulate();
  const fired: string[] = [];
  const timer = clock.setTimeout(() => fired.push('cleared'), 100);
  clock.setTimeout(() => fired.push('later'), 200);
  clock.clearTimeout(timer);
  const before = clockNow.now();
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(fired, [], 'no wait pending: the 200 ms timer has not fired');
  assert.ok(clockNow.now() - before < 100);
  await waitFor(500);
  assert.deepEqual(fired, ['later']);
  assert.equal(clockNow.pending, 0);
});

test('a message in flight over a loopback socket arrives before a timer that falls due later', async () => {
  simulate();
  const server = createServer((socket: Socket) => socket.on('data', (data) => socket.write(`echo ${data}`)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    const events: string[] = [];
    // As the terminal does: send, then wait for the answer with a response timeout.
    const answered = new Promise<void>((resolve) => {
      const client = connect(port, '127.0.0.1', () => client.write('0200'));
      const timeout = clock.deadline(() => {
        events.push('timeout');
        client.destroy();
        resolve();
      }, 1_500);
      client.on('data', (data) => {
        events.push(String(data));
        clock.clearTimeout(timeout);
        client.destroy();
        resolve();
      });
    });
    await answered;
    assert.deepEqual(events, ['echo 0200']);
  } finally {
    server.close();
  }
});

test('a wait armed earlier does not expire while work outside the simulation holds time (a picture being drawn)', async () => {
  simulate();
  const fired: string[] = [];
  const armed = waitFor(8_000).then(() => fired.push('wait expired'));
  await clock.hold(async () => {
    // real milliseconds of a browser drawing, with the process idle meanwhile
    await new Promise((resolve) => setTimeout(resolve, 30));
    fired.push('picture drawn');
  });
  await armed;
  assert.deepEqual(fired, ['picture drawn', 'wait expired']);
});

test('readings after work are a millisecond apart; readings in one callback are equal', async () => {
  simulate();
  const a = clock.now();
  const b = clock.now();
  await new Promise((resolve) => setImmediate(resolve));
  const c = clock.now();
  assert.equal(a, b);
  assert.ok(c > b, 'something ran in between: later');
});

test('only a rig simulated wholly in the process may run on simulated time', () => {
  const rig = (link: object, extra: object = {}) => ({
    terminal: { simulate: {}, link },
    host: { simulate: {} },
    bank: { probe: 'simulator' },
    ...extra,
  });
  assert.equal(virtualClockProblem(rig({ kind: 'serial', path: 'mock:/dev/ttyPOS0' })), undefined);
  assert.match(virtualClockProblem(rig({ kind: 'serial', path: 'pty:ttyPOS0' })) ?? '', /"pty:ttyPOS0" \(socat/);
  assert.match(virtualClockProblem(rig({ kind: 'mqtt' })) ?? '', /over MQTT/);
  assert.match(
    virtualClockProblem({ terminal: { link: { kind: 'serial', path: '/dev/ttyUSB0' } }, host: {} }) ?? '',
    /a real one \(no terminal.simulate\)/,
  );
  assert.match(
    virtualClockProblem({ ...rig({ kind: 'serial', path: 'mock:x' }), host: { address: '10.0.0.1:5000' } }) ?? '',
    /the host is a real one/,
  );
  assert.match(
    virtualClockProblem(rig({ kind: 'serial', path: 'mock:x' }, { power: { kind: 'manual' } })) ?? '',
    /power relay/,
  );
});
