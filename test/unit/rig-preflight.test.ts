import assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkRigDevices } from '../../rigs/file/rigDevices.ts';
import { loadRigFile } from '../../rigs/file/rigFile.ts';
import { ConfigFileError } from '../../rigs/file/yamlFile.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-preflight-'));

/** A rig file for a real terminal on `device` (terminal.link.path on line 4). */
function realRig(device: string): string {
  const file = path.join(folder, `rig-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `name: bench\nterminal:\n  id: LAB00007\n  link: { kind: serial, path: "${device}" }\nhost: { simulate: { listen: "0.0.0.0:5000" } }\nbank: { probe: simulator }\ncards: ${path.resolve('fixtures/cards.yaml')}\n`,
  );
  return file;
}

function deviceProblems(file: string): string[] {
  try {
    checkRigDevices(loadRigFile(file));
  } catch (error) {
    assert.ok(error instanceof ConfigFileError, String(error));
    return error.problems.map((p) => p.replace(file, 'RIG'));
  }
  return [];
}

describe('checkRigDevices', () => {
  it('passes the simulated rigs, whose links need no device', () => {
    assert.deepEqual(deviceProblems('rigs/sim-serial.yaml'), []);
    assert.deepEqual(deviceProblems('rigs/sim-pty.yaml'), []);
  });

  it('names file, line and key when the terminal device does not exist', () => {
    const device = path.join(folder, 'ttyUSB9');
    assert.deepEqual(deviceProblems(realRig(device)), [
      `RIG:4: terminal.link.path: device ${device} does not exist (is the terminal connected and powered? ls /dev/ttyUSB* /dev/ttyACM* lists serial adapters)`,
    ]);
  });

  it('refuses a link path that is a file or a folder, not a device', () => {
    const file = path.join(folder, 'not-a-tty');
    writeFileSync(file, '');
    assert.deepEqual(deviceProblems(realRig(file)), [
      `RIG:4: terminal.link.path: ${file} is a file, not a serial device`,
    ]);
    assert.deepEqual(deviceProblems(realRig(folder)), [
      `RIG:4: terminal.link.path: ${folder} is a folder, not a serial device`,
    ]);
  });

  it('accepts a character device that may be a terminal', () => {
    assert.deepEqual(deviceProblems(realRig('/dev/tty')), []);
  });

  it('refuses /dev/null and the other memory devices, by name or major number', () => {
    const tail = 'not a terminal (serial adapters are /dev/ttyUSB*, /dev/ttyACM* or /dev/ttyS*)';
    for (const device of ['/dev/null', '/dev/zero', '/dev/urandom']) {
      assert.deepEqual(deviceProblems(realRig(device)), [
        `RIG:4: terminal.link.path: ${device} is not a serial device: it is a memory device, ${tail}`,
      ]);
    }
    const alias = path.join(folder, 'ttyZERO');
    symlinkSync('/dev/zero', alias);
    assert.deepEqual(deviceProblems(realRig(alias)), [
      `RIG:4: terminal.link.path: ${alias} is not a serial device: it is a memory device (major number 1), like /dev/null, ${tail}`,
    ]);
  });

  it('is a ConfigFileError whose message is the one line', () => {
    const file = realRig(path.join(folder, 'ttyACM7'));
    const device = path.join(folder, 'ttyACM7');
    assert.throws(
      () => checkRigDevices(loadRigFile(file)),
      (error: unknown) => {
        assert.ok(error instanceof ConfigFileError);
        assert.equal(
          error.message,
          `${file}:4: terminal.link.path: device ${device} does not exist (is the terminal connected and powered? ls /dev/ttyUSB* /dev/ttyACM* lists serial adapters)`,
        );
        return true;
      },
    );
  });
});
