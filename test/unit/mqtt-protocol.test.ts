// The pure parts of the MQTT mapping (docs/protocol.md section 12): the topic map, QoS 1 deduplication, the lease book
// of `posrig agent`, and the role table — checked against the Mosquitto ACL shipped for rigs/mosquitto.yaml.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { mayPublish, maySubscribe, roleOf } from '../../protocols/mqtt/acl.ts';
import { busyText, LeaseBook, LeaseRequestError, parseLeaseRequest } from '../../protocols/mqtt/lease.ts';
import { RecentIds } from '../../protocols/mqtt/recentIds.ts';
import { controllerTopic, ecrTopics, relayTopics, topicLevelProblem } from '../../protocols/mqtt/topics.ts';

describe('MQTT topic map', () => {
  it('names the topics of section 12 by TID', () => {
    assert.deepEqual(ecrTopics('T0000001'), {
      cmd: 'posrig/v1/T0000001/cmd',
      evt: 'posrig/v1/T0000001/evt',
      status: 'posrig/v1/T0000001/status',
      leaseRequest: 'posrig/v1/T0000001/lease/request',
      leaseReply: 'posrig/v1/T0000001/lease/reply',
      lease: 'posrig/v1/T0000001/lease',
    });
    assert.equal(controllerTopic('c-1'), 'posrig/v1/controllers/c-1');
    assert.deepEqual(relayTopics('plug7'), { command: 'cmnd/plug7/POWER', state: 'stat/plug7/POWER' });
    assert.equal(topicLevelProblem('LAB 07-#'), '"#" cannot be part of an MQTT topic level');
    assert.equal(topicLevelProblem('T0000001'), undefined);
  });
});

describe('QoS 1 deduplication', () => {
  it('drops an id seen among the last 256, and forgets the 257th oldest', () => {
    const seen = new RecentIds();
    assert.equal(seen.isRepeat('a'), false);
    assert.equal(seen.isRepeat('a'), true);
    for (let i = 0; i < 255; i++) seen.isRepeat(`id-${i}`);
    assert.equal(seen.isRepeat('a'), true, '256 remembered: a is still among them');
    seen.isRepeat('one-more');
    seen.isRepeat('and-another');
    assert.equal(seen.isRepeat('id-0'), false, 'id-0 was the oldest and is forgotten');
    seen.clear();
    assert.equal(seen.isRepeat('one-more'), false);
  });
});

describe('the lease book', () => {
  let now = Date.parse('2026-12-01T10:00:00.000Z');
  const clock = () => now;
  const acquire = (session: string, holder = session, client = `c-${session}`) =>
    ({ op: 'acquire', session, holder, client, timeoutMs: 1000 }) as const;

  it('grants one session of two racing, and tells the other who has it since when', () => {
    const book = new LeaseBook(clock);
    assert.deepEqual(book.acquire(acquire('s1', 'ci-1')), {
      session: 's1',
      granted: true,
      since: '2026-12-01T10:00:00.000Z',
    });
    assert.deepEqual(book.acquire(acquire('s2', 'ci-2')), {
      session: 's2',
      granted: false,
      busy: 'leased by ci-1 since 2026-12-01T10:00:00.000Z',
    });
    assert.deepEqual(book.acquire(acquire('s1', 'ci-1')).granted, true, 'the holder asking again keeps it');
    assert.deepEqual(book.state(), {
      state: 'leased',
      holder: 'ci-1',
      since: '2026-12-01T10:00:00.000Z',
      timeoutMs: 1000,
    });
  });

  it('ends a lease on release, on the holder controller gone, and after the heartbeat timeout only', () => {
    const book = new LeaseBook(clock);
    book.acquire(acquire('s1'));
    assert.equal(book.release('other'), false);
    assert.equal(book.release('s1'), true);
    assert.deepEqual(book.state(), { state: 'free' });
    book.acquire(acquire('s2'));
    assert.equal(book.controllerGone('c-s1'), false, 'not the holder');
    assert.equal(book.controllerGone('c-s2'), true);
    book.acquire(acquire('s3'));
    now += 1000;
    assert.equal(book.heartbeat('s3'), true, 'at the timeout exactly it still holds');
    now += 1000;
    assert.equal(book.expire(), undefined);
    now += 1;
    assert.equal(book.expire()?.session, 's3');
    assert.equal(book.heartbeat('s3'), false);
    assert.equal(book.acquire(acquire('s4')).granted, true);
  });

  it('parses lease requests and names the field that is wrong', () => {
    assert.deepEqual(parseLeaseRequest('{"op":"heartbeat","session":"s"}'), { op: 'heartbeat', session: 's' });
    assert.throws(
      () => parseLeaseRequest('{"op":"steal","session":"s"}'),
      /"op" is "acquire", "heartbeat" or "release", got "steal"/,
    );
    assert.throws(
      () => parseLeaseRequest('{"op":"acquire","session":"s","holder":"h","client":"c","timeoutMs":5}'),
      /"timeoutMs" is an integer from 100 to 3600000/,
    );
    assert.throws(
      () => parseLeaseRequest('{"op":"acquire","session":"s","client":"c","timeoutMs":500}'),
      /"holder" is a string/,
    );
    assert.throws(() => parseLeaseRequest('not json'), LeaseRequestError);
    assert.equal(busyText({ holder: 'x', since: 0 }), 'leased by x since 1970-01-01T00:00:00.000Z');
  });
});

describe('who may publish and subscribe (section 12.4)', () => {
  it('gives each user name its role', () => {
    assert.deepEqual(roleOf('controller-ci7'), { kind: 'controller' });
    assert.deepEqual(roleOf('terminal-T0000001'), { kind: 'terminal', terminalId: 'T0000001' });
    assert.deepEqual(roleOf('relay-plug7'), { kind: 'relay', relay: 'plug7' });
    assert.equal(roleOf('admin'), undefined);
    assert.equal(roleOf(undefined), undefined);
  });

  it('lets a terminal publish only its own events, status and lease answers', () => {
    const t = 'terminal-T0000001';
    for (const topic of ['evt', 'status', 'lease', 'lease/reply'])
      assert.equal(mayPublish(t, `posrig/v1/T0000001/${topic}`, 'c'), true, topic);
    for (const topic of ['posrig/v1/T0000001/cmd', 'posrig/v1/T0000002/evt', 'stat/r/POWER', 'posrig/v1/+/evt'])
      assert.equal(mayPublish(t, topic, 'c'), false, topic);
    assert.equal(maySubscribe(t, 'posrig/v1/T0000001/cmd'), true);
    assert.equal(maySubscribe(t, 'posrig/v1/controllers/+'), true);
    assert.equal(maySubscribe(t, 'posrig/v1/+/cmd'), false);
    assert.equal(maySubscribe(t, 'posrig/v1/#'), false);
  });

  it('lets a controller command any terminal and relay, and will only on its own topic', () => {
    assert.equal(mayPublish('controller', 'posrig/v1/LAB00007/cmd', 'c1'), true);
    assert.equal(mayPublish('controller', 'posrig/v1/controllers/c1', 'c1'), true);
    assert.equal(mayPublish('controller', 'posrig/v1/controllers/c2', 'c1'), false);
    assert.equal(mayPublish('controller', 'posrig/v1/LAB00007/evt', 'c1'), false);
    assert.equal(mayPublish('controller', 'cmnd/plug7/POWER', 'c1'), true);
    assert.equal(maySubscribe('controller', 'posrig/v1/+/lease'), true);
    assert.equal(maySubscribe('controller', 'posrig/v1/LAB00007/cmd'), false);
    assert.equal(mayPublish('relay-plug7', 'stat/plug7/POWER', 'r'), true);
    assert.equal(mayPublish('relay-plug7', 'stat/plug8/POWER', 'r'), false);
  });

  it('agrees with the Mosquitto ACL of rigs/mosquitto/acl for its users', () => {
    const acl = mosquittoAcl(readFileSync('rigs/mosquitto/acl', 'utf8'));
    const topics = [
      ...Object.values(ecrTopics('T0000005')),
      ...Object.values(ecrTopics('T0000006')),
      ...Object.values(ecrTopics('+')),
      'posrig/v1/controllers/c1',
      'posrig/v1/controllers/c2',
      'posrig/v1/controllers/+',
      'cmnd/r/POWER',
      'stat/r/POWER',
    ];
    for (const user of ['controller', 'terminal-T0000005'])
      for (const topic of topics) {
        if (!topic.includes('+'))
          assert.equal(acl.may(user, 'write', topic, 'c1'), mayPublish(user, topic, 'c1'), `${user} publish ${topic}`);
        assert.equal(acl.may(user, 'read', topic, 'c1'), maySubscribe(user, topic), `${user} subscribe ${topic}`);
      }
  });
});

/** Mosquitto's ACL file, read the way Mosquitto reads it: `user` blocks of `topic read|write`, `pattern` for all. */
function mosquittoAcl(text: string) {
  const rules: Array<{ user: string | undefined; access: string; topic: string }> = [];
  let user: string | undefined;
  for (const line of text.split('\n').map((l) => l.trim())) {
    const [word, ...rest] = line.split(/\s+/);
    if (word === 'user') user = rest[0];
    if (word === 'topic') rules.push({ user, access: rest[0] as string, topic: rest[1] as string });
    if (word === 'pattern') rules.push({ user: '*', access: rest[0] as string, topic: rest[1] as string });
  }
  const matches = (pattern: string, topic: string) => {
    const want = pattern.split('/');
    const got = topic.split('/');
    return want.length === got.length && want.every((level, i) => level === '+' || level === got[i]);
  };
  return {
    may(who: string, access: 'read' | 'write', topic: string, client: string): boolean {
      return rules.some(
        (rule) =>
          (rule.user === who || rule.user === '*') &&
          (rule.access === access || rule.access === 'readwrite') &&
          matches(rule.topic.replace('%c', client).replace('%u', who), topic),
      );
    },
  };
}
