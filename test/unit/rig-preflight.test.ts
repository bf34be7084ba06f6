import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
    `name: bench\nterminal:\n  id: LAB00007\n  link: { kind: serial, path: "${device}" }\nhost: { simulate: {} }\nbank: { probe: simulator }\ncards: fixtures/cards.yaml\n`,
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

  it('accepts a character device', { skip: process.platform === 'win32' }, () => {
    assert.deepEqual(deviceProblems(realRig('/dev/null')), []);
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
