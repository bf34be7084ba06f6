import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostPort, SimOptionError, simTerminalSettings } from '../../cli/sim.ts';
import {
  checkTerminalConfig,
  DEFECTS,
  type TerminalConfig,
  TerminalConfigError,
} from '../../simulators/terminal/index.ts';
import { SIM_TERMINAL_FLAGS, TERMINAL_CONFIG } from '../support/terminalConfig.ts';

describe('terminal configuration', () => {
  it('fills in defaults', () => {
    const resolved = checkTerminalConfig(TERMINAL_CONFIG);
    assert.equal(resolved.tapNoPinLimit, 100_000);
    assert.equal(resolved.serial, 'SIM-T0000001');
    assert.equal(resolved.model, 'posrig-sim');
  });

  it('names the key that is wrong', () => {
    const cases: [Partial<TerminalConfig>, string][] = [
      [{ tid: 'T00000012' }, 'tid'],
      [{ tid: '' }, 'tid'],
      [{ mid: '8983100481600012' }, 'mid'],
      [{ language: 'fr' as 'en' }, 'language'],
      [{ currency: 'XXX' }, 'currency'],
      [{ host: { host: '127.0.0.1', port: 0 } }, 'host'],
      [{ responseTimeoutMs: 0 }, 'responseTimeoutMs'],
      [{ pinKey: 'abc' }, 'pinKey'],
      [{ tapNoPinLimit: -1 }, 'tapNoPinLimit'],
    ];
    for (const [override, key] of cases) {
      assert.throws(
        () => checkTerminalConfig({ ...TERMINAL_CONFIG, ...override }),
        (e: unknown) => e instanceof TerminalConfigError && e.key === key && e.message.includes(`"${key}"`),
        key,
      );
    }
  });
});

describe('posrig sim terminal options', () => {
  it('turns flags into port, baud rate and terminal config', () => {
    const settings = simTerminalSettings(SIM_TERMINAL_FLAGS);
    assert.equal(settings.port, '/tmp/pty.device');
    assert.equal(settings.baudRate, 115200);
    assert.deepEqual(settings.config.host, { host: '127.0.0.1', port: 5000 });
    assert.equal(settings.config.language, 'en');
    assert.equal(settings.config.responseTimeoutMs, 1500);
  });

  it('parses host:port, including bracketed IPv6', () => {
    assert.deepEqual(parseHostPort('acquirer.example:6000'), { host: 'acquirer.example', port: 6000 });
    assert.deepEqual(parseHostPort('[::1]:5000'), { host: '::1', port: 5000 });
  });

  it('refuses bad values with an error naming the option', () => {
    const cases: [Partial<typeof SIM_TERMINAL_FLAGS>, string][] = [
      [{ host: '127.0.0.1' }, '--host'],
      [{ host: '127.0.0.1:70000' }, '--host'],
      [{ language: 'fr' }, '--language'],
      [{ responseTimeoutMs: 'soon' }, '--response-timeout-ms'],
      [{ baudRate: '0' }, '--baud-rate'],
      [{ port: '' }, '--port'],
    ];
    for (const [override, option] of cases) {
      assert.throws(
        () => simTerminalSettings({ ...SIM_TERMINAL_FLAGS, ...override }),
        (e: unknown) => e instanceof SimOptionError && e.option === option && e.message.startsWith(option),
        option,
      );
    }
  });
});

describe('posrig sim terminal: state folder, backup host, seeded defects', () => {
  it('parses --state-dir, --backup-host, --reversal-retry-ms and repeated --defect', () => {
    const { config } = simTerminalSettings({
      ...SIM_TERMINAL_FLAGS,
      stateDir: '/tmp/t1',
      backupHost: '127.0.0.1:5001',
      reversalRetryMs: '250',
      defect: ['double-print', 'stan-reused'],
    });
    assert.equal(config.stateDir, '/tmp/t1');
    assert.deepEqual(config.backupHost, { host: '127.0.0.1', port: 5001 });
    assert.equal(config.reversalRetryMs, 250);
    assert.deepEqual(config.defects, ['double-print', 'stan-reused']);
    const plain = simTerminalSettings(SIM_TERMINAL_FLAGS).config;
    assert.deepEqual([plain.stateDir, plain.backupHost, plain.defects], [undefined, undefined, undefined]);
  });

  it('refuses an unknown defect with an error naming --defect and every allowed name', () => {
    assert.throws(
      () => simTerminalSettings({ ...SIM_TERMINAL_FLAGS, defect: ['double-print', 'flaky-wifi'] }),
      (e: unknown) => {
        assert.ok(e instanceof SimOptionError);
        assert.equal(e.option, '--defect');
        assert.match(e.message, /"flaky-wifi"/);
        for (const name of DEFECTS) assert.ok(e.message.includes(name), `${name} listed`);
        return true;
      },
    );
  });

  it('refuses a bad --backup-host or --reversal-retry-ms naming the option', () => {
    for (const [override, option] of [
      [{ backupHost: 'nowhere' }, '--backup-host'],
      [{ reversalRetryMs: '0' }, '--reversal-retry-ms'],
    ] as const) {
      assert.throws(
        () => simTerminalSettings({ ...SIM_TERMINAL_FLAGS, ...override }),
        (e: unknown) => e instanceof SimOptionError && e.option === option,
        option,
      );
    }
  });

  it('checks defects, backupHost and reversalRetryMs in the config, defaulting the retry to the response timeout', () => {
    const resolved = checkTerminalConfig({ ...TERMINAL_CONFIG, defects: ['double-print', 'double-print'] });
    assert.equal(resolved.reversalRetryMs, 1500);
    assert.deepEqual(resolved.defects, ['double-print']);
    assert.deepEqual(checkTerminalConfig(TERMINAL_CONFIG).defects, []);
    const bad: [Partial<TerminalConfig>, string][] = [
      [{ defects: ['nope' as never] }, 'defects[0]'],
      [{ backupHost: { host: '', port: 1 } }, 'backupHost'],
      [{ reversalRetryMs: -5 }, 'reversalRetryMs'],
      [{ stateDir: '' }, 'stateDir'],
    ];
    for (const [override, key] of bad) {
      assert.throws(
        () => checkTerminalConfig({ ...TERMINAL_CONFIG, ...override }),
        (e: unknown) => e instanceof TerminalConfigError && e.key === key,
        key,
      );
    }
  });
});
