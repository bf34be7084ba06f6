// One simulated terminal as the tests configure it: its config (zh-CN) and the same terminal as `posrig sim terminal`
// flags (en, as commander hands them over: all strings).
//   checkTerminalConfig({ ...TERMINAL_CONFIG, hostPackaging: 'binary' });  simTerminalSettings({ ...SIM_TERMINAL_FLAGS })

import type { TerminalConfig } from '../../simulators/terminal/index.ts';

export const TERMINAL_CONFIG: TerminalConfig = {
  tid: 'T0000001',
  mid: '898310048160001',
  merchantName: 'Demo',
  language: 'zh-CN',
  currency: 'CNY',
  host: { host: '127.0.0.1', port: 5000 },
  responseTimeoutMs: 1500,
};

export const SIM_TERMINAL_FLAGS = {
  port: '/tmp/pty.device',
  host: '127.0.0.1:5000',
  tid: 'T0000001',
  mid: '898310048160001',
  merchantName: 'Demo',
  language: 'en',
  currency: 'CNY',
  responseTimeoutMs: '1500',
  baudRate: '115200',
};
