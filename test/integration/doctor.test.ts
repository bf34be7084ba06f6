// `posrig doctor` as a user meets it: one line per part, ✔ or ✘ with the fix, exit 0 / 1 / 2.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RigCapabilities, unmetNeed } from '../../rigs/capabilities.ts';
import { formatCheck } from '../../rigs/doctor/check.ts';
import { skippedFeatures } from '../../rigs/doctor/featureNeeds.ts';
import { permissionFix } from '../../rigs/doctor/serialChecks.ts';
import { startPtyPair } from '../../rigs/serial/ptyPair.ts';
import { closeSerialPort, openSerialPort } from '../../rigs/serial/serialPort.ts';
import { type SimulatedTerminal, startPtyTerminal } from '../../rigs/simulated/simulatedTerminal.ts';
import { cliEnvironment } from '../support/cli.ts';
import { writeBenchEnv } from '../support/labBench.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-doctor-'));
const CARDS = path.resolve('fixtures/cards.yaml');

interface DoctorRun {
  readonly code: number | null;
  readonly lines: string[];
  readonly stderr: string;
}

/** `posrig doctor --rig <rig>` in a child process; the test process stays free to serve the PTY it holds. */
function doctor(rig: string, env: NodeJS.ProcessEnv = {}): Promise<DoctorRun> {
  return posrigDoctor(['--rig', rig], env);
}

function posrigDoctor(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<DoctorRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/posrig.js', 'doctor', ...args],
      { env: { ...cliEnvironment(), ...env }, timeout: 90_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, lines: stdout.trim().split('\n'), stderr });
      },
    );
  });
}

/** The line of a part ("✘ terminal ID  …"), or a failure quoting every line. */
function lineOf(run: DoctorRun, part: string): string {
  const line = run.lines.find((l) => /^[✔✘–] /.test(l) && l.slice(2).startsWith(`${part}  `));
  assert.ok(line, `no line for "${part}" in:\n${run.lines.join('\n')}`);
  return line;
}

/** A port nothing listens on now (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A rig file of a terminal on a serial device (no simulate:), with posrig's simulated bank on a fixed port. */
async function deviceRig(name: string, device: string, tid: string): Promise<string> {
  const file = path.join(folder, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'terminal:',
      `  id: ${tid}`,
      `  link: { kind: serial, path: "${device}", baudRate: 115200 }`,
      '  timing: { responseTimeoutMs: 1500, bootMs: 15000 }',
      'host:',
      `  simulate: { ledger: ":memory:", listen: "127.0.0.1:${await freePort()}" }`,
      'bank: { probe: simulator }',
      `cards: ${CARDS}`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('posrig doctor', () => {
  it('every part of rigs/sim-serial.yaml is sound: exit 0', async () => {
    const run = await doctor('rigs/sim-serial.yaml');
    assert.equal(run.code, 0, run.lines.join('\n'));
    assert.match(
      lineOf(run, 'terminal'),
      /^✔ terminal {2}hello answered by info in \d+ ms \(.+ firmware .+, protocol 1\)$/,
    );
    assert.match(lineOf(run, 'terminal ID'), /^✔ terminal ID {2}T0000001/);
    assert.match(lineOf(run, 'power relay'), /^✔ power relay {2}switched off and on; the terminal booted in \d+ ms/);
    assert.match(lineOf(run, 'bank probe'), /^✔ bank probe {2}balance of alice \(622848\*{9}0018\): \d+\.\d\d CNY/);
    assert.ok(
      run.lines.filter((l) => /^[✔✘–] /.test(l)).every((l) => !l.startsWith('✘')),
      run.lines.join('\n'),
    );
  });

  it('every part of rigs/sim-pty.yaml is sound: exit 0', async () => {
    const run = await doctor('rigs/sim-pty.yaml');
    assert.equal(run.code, 0, run.lines.join('\n'));
    assert.match(lineOf(run, 'serial port pty:ttyPOS0'), /^✔ .*simulated terminal started/);
    assert.match(lineOf(run, 'terminal ID'), /^✔ terminal ID {2}T0000002/);
  });

  it('a serial device that does not exist is ✘ with the fix, and what needs the terminal is skipped: exit 1', async () => {
    const run = await doctor(await deviceRig('no-device', '/dev/ttyPOSRIG-NONE', 'T0000001'));
    assert.equal(run.code, 1, run.lines.join('\n'));
    assert.match(
      lineOf(run, 'serial port /dev/ttyPOSRIG-NONE'),
      /^✘ serial port \/dev\/ttyPOSRIG-NONE {2}does not exist — fix: connect and power the terminal, .*set terminal\.link\.path/,
    );
    assert.equal(lineOf(run, 'terminal'), '– terminal  skipped: needs serial port /dev/ttyPOSRIG-NONE');
    assert.equal(lineOf(run, 'bank probe'), '– bank probe  skipped: needs serial port /dev/ttyPOSRIG-NONE');
  });

  it('a host address nothing listens on is ✘: exit 1', async () => {
    const port = await freePort();
    const file = path.join(folder, 'no-host.yaml');
    writeFileSync(
      file,
      [
        'name: no-host',
        'terminal:',
        '  id: T0000001',
        '  link: { kind: serial, path: "mock:/dev/ttyDOCTOR", baudRate: 115200 }',
        '  simulate: { language: en }',
        'host:',
        `  address: "127.0.0.1:${port}"`,
        'bank: { probe: { iso8583: {} } }',
        `cards: ${CARDS}`,
        '',
      ].join('\n'),
    );
    const run = await doctor(file);
    assert.equal(run.code, 1, run.lines.join('\n'));
    assert.match(
      lineOf(run, 'host'),
      new RegExp(
        `^✘ host {2}cannot connect to 127\\.0\\.0\\.1:${port}: nothing listens there \\(ECONNREFUSED\\) — fix: start the host .*host\\.address in ${file.replaceAll('.', '\\.')}:7$`,
      ),
    );
  });

  it('a simulated terminal that cannot start is ✘ on its link, with the fix: exit 1', async () => {
    // No socat on the PATH: the PTY pair of rigs/sim-pty.yaml cannot be made.
    const run = await doctor('rigs/sim-pty.yaml', { PATH: path.join(folder, 'no-such-bin') });
    assert.equal(run.code, 1, run.lines.join('\n'));
    assert.match(
      lineOf(run, 'serial port pty:ttyPOS0'),
      /^✘ serial port pty:ttyPOS0 {2}the simulated terminal did not start: .*socat is not installed.* — fix: install socat/,
    );
    assert.equal(lineOf(run, 'terminal'), '– terminal  skipped: needs serial port pty:ttyPOS0');
  });

  it('a rig file that does not load is one ✘ line per problem, with file:line: exit 1', async () => {
    const file = path.join(folder, 'typo.yaml');
    writeFileSync(
      file,
      [
        'name: typo',
        'terminal:',
        '  id: T0000001',
        '  link: { kind: serial, path: "mock:/dev/ttyTYPO", baudrate: 115200 }',
        '  simulate: { language: en }',
        'host: { simulate: {} }',
        'bank: { probe: simulator }',
        `cards: ${CARDS}`,
        '',
      ].join('\n'),
    );
    const run = await doctor(file);
    assert.equal(run.code, 1, run.lines.join('\n'));
    assert.match(
      lineOf(run, 'rig file'),
      new RegExp(`^✘ rig file {2}${file.replaceAll('.', '\\.')}:4: terminal\\.link: unknown key "baudrate"`),
    );
    assert.equal(lineOf(run, 'terminal'), '– terminal  skipped: needs the rig file');
  });

  it('no --rig, or a rig file that is not there, is a usage error: exit 2', async () => {
    const run = await doctor(path.join(folder, 'absent.yaml'));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /posrig doctor: rig file .*absent\.yaml does not exist/);
    const bare = await posrigDoctor([]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /posrig doctor: required option '--rig <file>' not specified/);
  });

  it('a serial device where no terminal answers hello is ✘ on the terminal, with the fix: exit 1', async () => {
    // A PTY pair with nobody on the far end: the port opens, nothing answers.
    const pair = await startPtyPair(path.join(folder, 'silent'), 'ttySILENT');
    try {
      const run = await doctor(await deviceRig('silent', pair.hostPath, 'T0000001'));
      assert.equal(run.code, 1, run.lines.join('\n'));
      assert.match(lineOf(run, `serial port ${pair.hostPath}`), /^✔ /);
      assert.match(
        lineOf(run, 'terminal'),
        /^✘ terminal {2}no ACK to hello, so no info: .* — fix: run the terminal's test build that speaks the ECR test link \(docs\/protocol\.md\)/,
      );
      assert.equal(lineOf(run, 'terminal ID'), '– terminal ID  skipped: needs the terminal');
    } finally {
      await pair.stop();
    }
  });

  describe('a terminal on a serial device (the simulated terminal as a separate process on a PTY)', () => {
    let terminal: SimulatedTerminal;
    before(async () => {
      terminal = await startPtyTerminal(
        'pty:ttyDOC',
        115200,
        {
          tid: 'OTHER001',
          mid: '898310048160001',
          merchantName: 'DOCTOR',
          language: 'en',
          currency: 'CNY',
          host: { host: '127.0.0.1', port: 9 },
          responseTimeoutMs: 1500,
          stateDir: path.join(folder, 'state'),
        },
        path.join(folder, 'pty'),
      );
    });
    after(async () => {
      await terminal.stop();
    });

    it('another program holding the port is ✘ busy, naming it: exit 1', async () => {
      // startPtyTerminal opened the harness end: this test process holds it.
      const run = await doctor(await deviceRig('busy', terminal.port.path, 'OTHER001'));
      assert.equal(run.code, 1, run.lines.join('\n'));
      assert.match(
        lineOf(run, `serial port ${terminal.port.path}`),
        new RegExp(
          `^✘ serial port .* {2}busy: held by (.*, )?${process.pid} \\(node\\).* — fix: close the program that holds it`,
        ),
      );
    });

    it("a TID that differs from the rig file's is ✘ with the fix: exit 1", async () => {
      await closeSerialPort(terminal.port);
      const file = await deviceRig('other-tid', terminal.port.path, 'T0000009');
      const run = await doctor(file);
      assert.equal(run.code, 1, run.lines.join('\n'));
      assert.match(lineOf(run, `serial port ${terminal.port.path}`), /^✔ .* {2}opens at 115200 baud$/);
      assert.match(lineOf(run, 'terminal'), /^✔ terminal {2}hello answered by info in \d+ ms/);
      assert.match(
        lineOf(run, 'host'),
        /^✔ host {2}simulated acquirer listening on 127\.0\.0\.1:\d+ \(connected in \d+ ms\)$/,
      );
      assert.equal(
        lineOf(run, 'terminal ID'),
        `✘ terminal ID  the terminal says "OTHER001", the rig file says "T0000009" — fix: set terminal.id: OTHER001 in ${file}:3, or configure the terminal's TID as T0000009`,
      );
      assert.equal(
        lineOf(run, 'power relay'),
        '– power relay  no power relay on this rig (power:): the power features are skipped',
      );
      // The port is free again once doctor has stopped its rig.
      const again = await openSerialPort({ path: terminal.port.path, baudRate: 115200 });
      await closeSerialPort(again);
    });
  });
});

describe('posrig doctor on a lab-loopback bench (simulators as foreign equipment: rigs/lab-loopback/)', () => {
  // A bench of its own (folder and ports), apart from the one rigs/lab-loopback.yaml uses.
  const lab = mkdtempSync(path.join(tmpdir(), 'posrig-doctor-lab-'));
  const bench = path.resolve('rigs/lab-loopback/bench.sh');
  const env = { ...process.env, POSRIG_LAB_ENV: path.join(lab, 'bench.env') };
  let rig: string;

  before(async () => {
    const [host, primary, backup] = [await freePort(), await freePort(), await freePort()];
    writeBenchEnv(lab, {
      tid: 'LOOPDOC1',
      merchantName: 'POSRIG DOCTOR',
      hostListen: `127.0.0.1:${host}`,
      primaryHost: `127.0.0.1:${primary}`,
      backupHost: `127.0.0.1:${backup}`,
      cards: CARDS,
    });
    rig = path.join(lab, 'lab.yaml');
    writeFileSync(
      rig,
      [
        'name: lab-doctor',
        'terminal:',
        '  id: LOOPDOC1',
        '  merchant: { id: "898310048160001", name: "POSRIG DOCTOR" }',
        `  link: { kind: serial, path: "${lab}/ttyPOS.harness", baudRate: 115200 }`,
        '  timing: { responseTimeoutMs: 1500, bootMs: 60000 }',
        'host:',
        `  address: "127.0.0.1:${host}"`,
        `  faults: { listen: "127.0.0.1:${primary}" }`,
        `  backup: { listen: "127.0.0.1:${backup}" }`,
        `bank: { probe: { ledger: "${lab}/bank.sqlite" } }`,
        'power:',
        '  kind: command',
        `  on: ${path.resolve('rigs/lab-loopback/terminal.sh')} on`,
        `  off: ${path.resolve('rigs/lab-loopback/terminal.sh')} off`,
        `  status: ${path.resolve('rigs/lab-loopback/terminal.sh')} status`,
        '  timeoutMs: 60000',
        `cards: ${CARDS}`,
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve, reject) =>
      execFile(bench, ['start'], { env, timeout: 120_000 }, (error) => (error ? reject(error) : resolve())),
    );
  });
  after(async () => {
    await new Promise<void>((resolve) => execFile(bench, ['stop'], { env, timeout: 60_000 }, () => resolve()));
  });

  it('every part is sound, each on its address, the relay switching a terminal process: exit 0', async () => {
    const run = await doctor(rig, { POSRIG_LAB_ENV: env.POSRIG_LAB_ENV });
    assert.equal(run.code, 0, run.lines.join('\n'));
    assert.match(lineOf(run, `serial port ${lab}/ttyPOS.harness`), /^✔ .* {2}opens at 115200 baud$/);
    assert.match(lineOf(run, 'terminal ID'), /^✔ terminal ID {2}LOOPDOC1/);
    for (const part of ['host', 'fault proxy', 'backup tap'])
      assert.match(lineOf(run, part), new RegExp(`^✔ ${part} {2}listening on 127\\.0\\.0\\.1:\\d+`));
    assert.match(lineOf(run, 'power relay'), /^✔ power relay {2}switched off and on; the terminal booted in \d+ ms/);
    assert.match(lineOf(run, 'bank probe'), /^✔ bank probe {2}balance of alice/);
  });
});

describe('doctor: what the features need of a rig', () => {
  const offer: RigCapabilities = {
    rig: 'lab-07',
    terminal: ['swipe', 'chip', 'pin'],
    power: false,
    faults: true,
    backupHost: true,
    bankControl: true,
    serialLink: true,
  };

  it('a need is met by a rig part or by a capability the terminal states (contactless is "tap")', () => {
    assert.equal(unmetNeed('@needs-faults', offer), undefined);
    assert.equal(unmetNeed('@needs-chip', offer), undefined);
    assert.equal(unmetNeed('@needs-power', offer), 'rig lab-07 has no power relay');
    assert.equal(
      unmetNeed('@needs-contactless', offer),
      'the terminal of rig lab-07 has no contactless reader (its info lists no "tap": swipe, chip, pin)',
    );
    assert.equal(unmetNeed('@needs-contactless', { ...offer, terminal: ['tap'] }), undefined);
  });

  it('lists each feature file with scenarios the rig skips, how many of how many, and why', () => {
    const lines = skippedFeatures(
      [
        { uri: 'features/power/power-cut.feature', scenario: 'a', needs: ['@needs-power'] },
        { uri: 'features/power/power-cut.feature', scenario: 'b', needs: ['@needs-power', '@needs-chip'] },
        { uri: 'features/purchase/approved.feature', scenario: 'c', needs: ['@needs-chip'] },
        { uri: 'features/purchase/approved.feature', scenario: 'd', needs: ['@needs-contactless'] },
        { uri: 'features/purchase/approved.feature', scenario: 'e', needs: [] },
      ],
      offer,
    );
    assert.deepEqual(lines, [
      'features/power/power-cut.feature: 2 of 2 scenarios skipped (@needs-power: rig lab-07 has no power relay)',
      'features/purchase/approved.feature: 1 of 3 scenarios skipped (@needs-contactless: the terminal of rig lab-07 has no contactless reader (its info lists no "tap": swipe, chip, pin))',
    ]);
  });

  it('a device this user may not open: the fix names the group that owns serial devices', () => {
    // /dev/null belongs to root: the fix names dialout, the group of serial adapters on Debian, Ubuntu and Fedora.
    assert.equal(
      permissionFix('/dev/null'),
      'add your user to the dialout group: sudo usermod -aG dialout $USER, then log in again',
    );
  });

  it('prints ✔, ✘ with the fix, and – for a part not checked', () => {
    assert.equal(formatCheck({ part: 'host', status: 'ok', detail: 'listening' }), '✔ host  listening');
    assert.equal(
      formatCheck({
        part: 'serial port /dev/ttyUSB0',
        status: 'failed',
        detail: 'permission denied',
        fix: 'join dialout',
      }),
      '✘ serial port /dev/ttyUSB0  permission denied — fix: join dialout',
    );
    assert.equal(
      formatCheck({ part: 'capabilities', status: 'ok', detail: 'x', notes: ['a.feature: 1 of 1 scenario skipped'] }),
      '✔ capabilities  x\n    a.feature: 1 of 1 scenario skipped',
    );
  });
});
