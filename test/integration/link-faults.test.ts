// Faults on the serial link, injected on the harness side (rigs/serial/linkFaults.ts) the way a rig does it: the
// EcrTerminalDriver over a mock serial port, the simulated terminal on the far side. The clean terminal answers each
// fault as docs/protocol.md says; each seeded link defect (no-nak, duplicate-acted) changes exactly what it names, and
// the step waiting at that moment fails as a firmware defect naming the link rule.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { parseMoney } from '../../protocols/domain/money.ts';
import { EcrLink } from '../../protocols/ecr/index.ts';
import { linkFindings } from '../../rigs/monitor/linkRules.ts';
import { type LinkFaultKind, type LinkObservation, SerialLinkFaults } from '../../rigs/serial/linkFaults.ts';
import { watchLinkRules } from '../../rigs/serial/linkVerdicts.ts';
import { closeSerialPort } from '../../rigs/serial/serialPort.ts';
import { type SimulatedTerminal, startMockTerminal } from '../../rigs/simulated/simulatedTerminal.ts';
import { EcrTerminalDriver } from '../../rigs/terminal/ecrTerminalDriver.ts';
import { culpritOf, FirmwareDefect } from '../../rigs/verdict/culprit.ts';
import type { Defect } from '../../simulators/terminal/index.ts';

const SALE = parseMoney('1.00 CNY');

interface Bench {
  readonly link: SerialLinkFaults;
  readonly terminal: EcrTerminalDriver;
  stop(): Promise<void>;
}

/** A simulated terminal (with these defects) behind a mock serial port, the harness on the link-fault wrapper. */
async function bench(defects: Defect[] = []): Promise<Bench> {
  const simulated: SimulatedTerminal = await startMockTerminal('mock:/dev/ttyLINK', 115200, {
    ...{ tid: 'T0000001', mid: '898310048160001', merchantName: 'SIM SHOP', language: 'en', currency: 'CNY' },
    ...{ host: { host: '127.0.0.1', port: 9 }, responseTimeoutMs: 500, defects },
  });
  const link = new SerialLinkFaults(simulated.port);
  const ecr = new EcrLink(link.stream, { name: 'harness' });
  const terminal = new EcrTerminalDriver('T0000001', ecr);
  watchLinkRules(link, ecr, terminal.history);
  await terminal.connect();
  return {
    link,
    terminal,
    async stop() {
      await terminal.close();
      await simulated.stop();
      await closeSerialPort(simulated.port);
    },
  };
}

/** Arms the fault, starts a sale, lets the observation's window close; the sale's outcome and what was observed. */
async function saleThrough(b: Bench, fault: LinkFaultKind) {
  const from = b.link.mark();
  const mark = b.terminal.history.mark();
  b.link.arm(fault);
  const sale = await b.terminal.startSale(SALE).then(
    () => undefined,
    (error: Error) => error,
  );
  await b.link.settled();
  const observations = b.link.observations(from);
  assert.equal(observations.length, 1, `one observation of ${fault}`);
  const records = b.terminal.history.all(mark);
  const saleId = records.find((r) => r.dir === 'out' && r.message.type === 'sale')?.message.id;
  return {
    sale,
    observation: observations[0] as LinkObservation,
    records,
    saleId,
    findings: linkFindings(observations, records),
  };
}

const count = <T>(items: readonly T[], keep: (item: T) => boolean) => items.filter(keep).length;
const stateCards = (records: { dir: string; message: { type: string; state?: unknown } }[]) =>
  count(records, (r) => r.dir === 'in' && r.message.type === 'state' && r.message.state === 'card');

describe('the clean terminal passes every link fault', () => {
  let b: Bench;
  before(async () => {
    b = await bench();
  });
  after(() => b.stop());
  afterEach(async () => {
    b.link.reset();
    await b.terminal.reset();
  });

  it('damaged: NAKs the frame within 300 ms, then takes the intact copy once', async () => {
    const { sale, observation: o, records, findings } = await saleThrough(b, 'corrupt');
    assert.equal(sale, undefined);
    const nak = o.answers.find((a) => a.kind === 'nak');
    assert.equal(nak?.seq, o.seq, 'NAK names the damaged frame');
    assert.ok(nak && nak.at.getTime() - o.at.getTime() <= 300, 'NAK in time');
    assert.ok(o.harnessResentAt, 'the harness sent it again');
    assert.equal(o.message?.type, 'sale');
    assert.equal(stateCards(records), 1, 'one sale started');
    assert.deepEqual(findings, []);
  });

  it('cut short: NAKs the frame after its inter-byte timeout, then takes the whole copy once', async () => {
    const { sale, observation: o, records, findings } = await saleThrough(b, 'truncate');
    assert.equal(sale, undefined);
    const nak = o.answers.find((a) => a.kind === 'nak');
    assert.ok(nak && (nak.seq === o.seq || nak.seq === 0), 'NAK of the truncated frame');
    const after = nak.at.getTime() - o.at.getTime();
    assert.ok(after >= 190 && after <= 500, `NAK ${after} ms after the partial frame`);
    assert.ok(o.harnessResentAt, 'the harness sent it again');
    assert.equal(stateCards(records), 1, 'one sale started');
    assert.deepEqual(findings, []);
  });

  it('twice: ACKs both copies and acts once', async () => {
    const { sale, observation: o, records, saleId, findings } = await saleThrough(b, 'duplicate');
    assert.equal(sale, undefined);
    assert.equal(
      count(o.answers, (a) => a.kind === 'ack' && a.seq === o.seq),
      2,
      'two ACKs with the same SEQ',
    );
    assert.equal(stateCards(records), 1, 'one sale started');
    assert.equal(
      count(records, (r) => r.message.type === 'error' && r.message.ref === saleId),
      0,
      'no refusal',
    );
    assert.deepEqual(findings, []);
  });

  it('noise: discards it without a NAK and ACKs the command after it', async () => {
    const { sale, observation: o, records, findings } = await saleThrough(b, 'noise');
    assert.equal(sale, undefined);
    assert.equal(
      count(o.answers, (a) => a.kind === 'nak'),
      0,
      'no NAK',
    );
    assert.ok(
      o.answers.some((a) => a.kind === 'ack' && a.seq === o.seq),
      'the command is ACKed',
    );
    assert.equal(stateCards(records), 1, 'one sale started');
    assert.deepEqual(findings, []);
  });

  it("noise: the window closes with the command's ACK, so a damaged command right after it is not the noise's NAK", async () => {
    const from = b.link.mark();
    b.link.arm('noise');
    await b.terminal.startSale(SALE);
    b.link.arm('corrupt');
    await b.terminal.abort();
    await b.link.settled();
    const [noise, corrupt] = b.link.observations(from);
    assert.equal(noise?.fault, 'noise');
    assert.equal(corrupt?.fault, 'corrupt');
    assert.ok(noise.settledAt && noise.settledAt <= corrupt.at, 'the noise window closed before the damaged frame');
    assert.deepEqual(
      noise.answers.map((a) => a.kind),
      ['ack'],
      'the noise saw only the ACK of its command',
    );
    assert.ok(corrupt.answers.some((a) => a.kind === 'nak' && a.seq === corrupt.seq));
    assert.deepEqual(linkFindings([noise, corrupt], []), []);
  });

  it('lost ACK: sends its frame again with the same SEQ and payload, delivered once', async () => {
    const { sale, observation: o, records, findings } = await saleThrough(b, 'lose-ack');
    assert.equal(sale, undefined);
    assert.ok(o.resent, 'the terminal sent a frame after the lost ACK');
    assert.equal(o.resent.seq, o.seq);
    assert.equal(o.resent.samePayload, true);
    const waited = o.resent.at.getTime() - o.at.getTime();
    assert.ok(waited >= 250 && waited <= 500, `resent ${waited} ms after the lost ACK`);
    const id = o.message?.id;
    assert.ok(id);
    assert.equal(
      count(records, (r) => r.message.id === id),
      1,
      'the event is in the history once',
    );
    assert.deepEqual(findings, []);
  });
});

describe('seeded defect no-nak: damaged frames are dropped without a NAK', () => {
  let b: Bench;
  before(async () => {
    b = await bench(['no-nak']);
  });
  after(() => b.stop());
  afterEach(async () => {
    b.link.reset();
    await b.terminal.reset();
  });

  it('a damaged sale gets no NAK: the step fails as a firmware defect [link-nak], the copy still gets through', async () => {
    const { sale, observation: o, records, findings } = await saleThrough(b, 'corrupt');
    assert.ok(sale instanceof FirmwareDefect, `the sale step failed with ${sale}`);
    assert.equal(culpritOf(sale), 'firmware defect');
    assert.match(
      sale.message,
      /^\[link-nak\] docs\/protocol\.md §4\.5, §11: the damaged \(bad CRC\) frame SEQ \d+ \("sale"/,
    );
    assert.equal(
      count(o.answers, (a) => a.kind === 'nak'),
      0,
      'no NAK seen',
    );
    assert.ok(o.harnessResentAt, 'the harness sent it again after its ACK timeout');
    assert.equal(stateCards(records), 1, 'the intact copy was taken, once');
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['link-nak'],
    );
  });

  it('a sale cut short gets no NAK either', async () => {
    const { observation: o, findings } = await saleThrough(b, 'truncate');
    assert.equal(
      count(o.answers, (a) => a.kind === 'nak'),
      0,
      'no NAK seen',
    );
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['link-nak'],
    );
  });

  it('changes nothing else: a sale that arrives twice is ACKed twice and acted on once', async () => {
    const { sale, findings, records } = await saleThrough(b, 'duplicate');
    assert.equal(sale, undefined);
    assert.equal(stateCards(records), 1);
    assert.deepEqual(findings, []);
  });
});

describe('seeded defect duplicate-acted: a command received twice is acted on twice', () => {
  let b: Bench;
  before(async () => {
    b = await bench(['duplicate-acted']);
  });
  after(() => b.stop());
  afterEach(async () => {
    b.link.reset();
    await b.terminal.reset();
  });

  it('a sale that arrives twice is started, then its copy refused as a new sale: firmware defect [link-duplicate]', async () => {
    const { sale, observation: o, records, saleId, findings } = await saleThrough(b, 'duplicate');
    assert.ok(sale instanceof FirmwareDefect, `the sale step failed with ${sale}`);
    assert.match(sale.message, /^\[link-duplicate\] docs\/protocol\.md §5\.3\.2: .* was acted on twice/);
    assert.equal(
      count(o.answers, (a) => a.kind === 'ack' && a.seq === o.seq),
      2,
      'both copies ACKed with their SEQ',
    );
    assert.equal(stateCards(records), 1, 'the first copy started the sale');
    const refusals = records.filter((r) => r.message.type === 'error' && r.message.ref === saleId);
    assert.equal(refusals.length, 1, 'the copy was handled as a second sale and refused');
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['link-duplicate'],
    );
  });

  it('changes nothing else: a damaged sale is NAKed and taken once', async () => {
    const { sale, observation: o, findings } = await saleThrough(b, 'corrupt');
    assert.equal(sale, undefined);
    assert.ok(o.answers.some((a) => a.kind === 'nak' && a.seq === o.seq));
    assert.deepEqual(findings, []);
  });
});
