// `posrig sim terminal`: runs the simulated POS terminal on a serial device (a PTY end or a USB-serial adapter).
//   npx posrig sim terminal --port /tmp/pty.device --host 127.0.0.1:5000 --tid T0000001 --language en
// Prints one line 'posrig sim terminal: listening on <port> ...' to stderr once attached, then boots like a terminal
// switched on (unsolicited info + state idle, 0800 sign-on, stored reversals from --state-dir); SIGTERM/SIGINT stop it
// cleanly; SIGKILL is a power cut (start it again with the same --state-dir).

import type { Command } from 'commander';
import { isPackaging, type Packaging } from '../protocols/iso8583/index.ts';
import { ConfigFileError } from '../rigs/file/yamlFile.ts';
import { loadTextProfile } from '../rigs/text/textProfile.ts';
import {
  DEFECTS,
  isDefect,
  isLanguage,
  type Language,
  runTerminalSimulator,
  type TerminalConfig,
  TerminalConfigError,
  TerminalStateError,
  type TextOverrides,
} from '../simulators/terminal/index.ts';
import { collect, OptionError, positiveInteger, stopOnSignal } from './commandLine.ts';
import { type LiveTerminalFlags, runLiveTerminal } from './liveTerminal/command.ts';
import { registerSimHost } from './simHost.ts';

/** A `sim` option with a value the simulator cannot use (the commands' OptionError, under its earlier name). */
export { OptionError as SimOptionError };

/** The options of `sim terminal` as commander hands them over (all strings). */
export interface SimTerminalFlags {
  port?: string;
  host?: string;
  tid: string;
  mid: string;
  merchantName: string;
  language: string;
  currency: string;
  responseTimeoutMs: string;
  baudRate: string;
  stateDir?: string;
  backupHost?: string;
  reversalRetryMs?: string;
  defect?: string[];
  /** a text profile (YAML): what this terminal words differently from the reference texts of its language */
  texts?: string;
  /** ISO 8583 packaging on the host link: ascii (default) or binary */
  packaging?: string;
  connectTimeoutMs?: string;
  /** minor units: a tap at or under it needs no PIN */
  noPinLimit?: string;
  pinKey?: string;
  cardReadMs?: string;
}

/** Splits 'host:port' (or '[::1]:port') into its parts; an address to listen on may give port 0 (lowestPort 0). */
export function parseHostPort(text: string, option = '--host', lowestPort = 1): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d+)$|^([^:[\]]+):(\d+)$/.exec(text.trim());
  const host = match?.[1] ?? match?.[3];
  const port = Number(match?.[2] ?? match?.[4]);
  if (!host || !Number.isInteger(port) || port < lowestPort || port > 65535) {
    const range = `${lowestPort}..65535`;
    throw new OptionError(option, `expected host:port with a port ${range}, e.g. 127.0.0.1:5000, got "${text}"`);
  }
  return { host, port };
}

function wholeNumber(text: string, option: string): number {
  if (!/^\d+$/.test(text)) throw new OptionError(option, `expected a whole number, got "${text}"`);
  return Number(text);
}

/** Turns the command-line flags into the serial port, baud rate and terminal configuration; errors name the option. */
export function simTerminalSettings(flags: SimTerminalFlags): {
  port: string;
  baudRate: number;
  config: TerminalConfig;
} {
  if (!flags.port) throw new OptionError('--port', 'required: the serial device path, e.g. /dev/ttyUSB0');
  if (!flags.host) throw new OptionError('--host', 'required: the acquirer address host:port');
  if (!isLanguage(flags.language)) throw new OptionError('--language', `expected zh-CN or en, got "${flags.language}"`);
  const config: TerminalConfig = {
    tid: flags.tid,
    mid: flags.mid,
    merchantName: flags.merchantName,
    language: flags.language,
    currency: flags.currency,
    host: parseHostPort(flags.host),
    responseTimeoutMs: positiveInteger(flags.responseTimeoutMs, '--response-timeout-ms'),
  };
  if (flags.stateDir !== undefined) {
    if (flags.stateDir === '') throw new OptionError('--state-dir', 'expected a folder path');
    config.stateDir = flags.stateDir;
  }
  if (flags.backupHost !== undefined) config.backupHost = parseHostPort(flags.backupHost, '--backup-host');
  if (flags.reversalRetryMs !== undefined) {
    config.reversalRetryMs = positiveInteger(flags.reversalRetryMs, '--reversal-retry-ms');
  }
  const defects = flags.defect ?? [];
  for (const defect of defects) {
    if (!isDefect(defect)) {
      throw new OptionError('--defect', `unknown defect "${defect}"; allowed: ${DEFECTS.join(', ')}`);
    }
  }
  if (defects.length > 0) config.defects = defects.filter(isDefect);
  if (flags.packaging !== undefined) config.hostPackaging = packagingFlag(flags.packaging);
  if (flags.texts !== undefined) config.texts = textOverrides(flags.texts, flags.language);
  if (flags.connectTimeoutMs !== undefined)
    config.connectTimeoutMs = positiveInteger(flags.connectTimeoutMs, '--connect-timeout-ms');
  if (flags.noPinLimit !== undefined) config.tapNoPinLimit = wholeNumber(flags.noPinLimit, '--no-pin-limit');
  if (flags.cardReadMs !== undefined) config.cardReadMs = wholeNumber(flags.cardReadMs, '--card-read-ms');
  if (flags.pinKey !== undefined) config.pinKey = flags.pinKey;
  return { port: flags.port, baudRate: positiveInteger(flags.baudRate, '--baud-rate'), config };
}

const OPTION_FOR_KEY: Readonly<Record<string, string>> = {
  tid: '--tid',
  mid: '--mid',
  language: '--language',
  currency: '--currency',
  host: '--host',
  responseTimeoutMs: '--response-timeout-ms',
  stateDir: '--state-dir',
  backupHost: '--backup-host',
  reversalRetryMs: '--reversal-retry-ms',
  connectTimeoutMs: '--connect-timeout-ms',
  tapNoPinLimit: '--no-pin-limit',
  cardReadMs: '--card-read-ms',
  pinKey: '--pin-key',
};

/** The overrides of a text profile file, for the simulated terminal of a language; its problems name file and line. */
function textOverrides(file: string, language: Language): TextOverrides {
  try {
    return loadTextProfile(file, language).overrides;
  } catch (error) {
    if (error instanceof ConfigFileError) throw new OptionError('--texts', error.message);
    throw error;
  }
}

/** The --packaging value: ascii or binary. */
function packagingFlag(text: string): Packaging {
  if (!isPackaging(text)) throw new OptionError('--packaging', `expected ascii or binary, got "${text}"`);
  return text;
}

/** Adds `sim terminal`, `sim host` and `sim --ui` (the live virtual terminal) to the posrig program. */
export function registerSim(program: Command): void {
  // `sim --port` (the page's) and `sim terminal --port` (the serial device) share a name: each command's options are
  // read only before its subcommand (the program enables positional options: cli/main.ts).
  const sim = program
    .command('sim')
    .description('run a simulated part of the rig on its own, or (--ui) a whole rig behind a web page')
    .enablePositionalOptions()
    .option('--ui', 'start a rig and the live virtual terminal: a local web page to run a sale by hand and watch it')
    .option('--rig <file>', 'with --ui: the rig file to start', 'rigs/sim-serial.yaml')
    .option('--port <port>', 'with --ui: the port of the page (0: any free port)', '8080')
    .option('--open-on <address>', 'with --ui: the address the page listens on', '127.0.0.1')
    .action(async (flags: LiveTerminalFlags & { ui?: boolean }, command: Command) => {
      if (!flags.ui) command.help({ error: true }); // `posrig sim` alone: its help, as a usage error
      await runLiveTerminal(flags);
    });
  registerSimHost(sim);
  sim
    .command('terminal')
    .description('run the simulated POS terminal on a serial device (PTY end or /dev/tty*)')
    .requiredOption('--port <path>', 'serial device the terminal listens on')
    .requiredOption('--host <host:port>', 'acquirer host the terminal dials (ISO 8583 over TCP)')
    .option('--tid <tid>', 'terminal ID (DE41, up to 8 characters)', 'T0000001')
    .option('--mid <mid>', 'merchant ID (DE42, up to 15 characters)', '898310048160001')
    .option('--merchant-name <name>', 'merchant name printed on receipts', 'POSRIG TEST MERCHANT')
    .option('--language <language>', 'display, voice and receipt language: zh-CN or en', 'zh-CN')
    .option('--currency <code>', 'ISO 4217 currency of the terminal', 'CNY')
    .option('--response-timeout-ms <ms>', 'how long to wait for the 0210', '1500')
    .option('--baud-rate <baud>', 'serial line speed', '115200')
    .option('--state-dir <folder>', 'non-volatile store (STAN counter, pending reversals); RAM only when absent')
    .option('--backup-host <host:port>', 'acquirer address dialled when the primary refuses or cannot be reached')
    .option('--packaging <packaging>', 'ISO 8583 on the host link: ascii (ASCII-87) or binary (ISO87B + TPDU)')
    .option('--reversal-retry-ms <ms>', 'time between two attempts to deliver a reversal (default: response timeout)')
    .option('--defect <name>', `seeded firmware defect, repeatable: ${DEFECTS.join(', ')}`, collect)
    .option('--texts <file>', 'text profile (YAML): the texts this terminal words differently (docs/steps.md)')
    .option('--connect-timeout-ms <ms>', 'how long to try to reach a host (default: response timeout)')
    .option('--no-pin-limit <minor>', 'a tap at or under this many minor units needs no PIN (default 100000)')
    .option('--pin-key <hex>', 'the 3DES PIN key, 32 or 48 hex digits (default: the test key of docs/host.md)')
    .option('--card-read-ms <ms>', 'how long reading a presented card takes (default 0)')
    .action(async (flags: SimTerminalFlags) => {
      await runUntilSignal(simTerminalSettings(flags));
    });
}

async function runUntilSignal(settings: ReturnType<typeof simTerminalSettings>): Promise<void> {
  let terminal: Awaited<ReturnType<typeof runTerminalSimulator>>;
  try {
    terminal = await runTerminalSimulator({ ...settings, parts: { poweredOff: true } });
  } catch (error) {
    if (error instanceof TerminalConfigError) {
      const key = error.key.replace(/\[\d+\]$/, '');
      throw new OptionError(OPTION_FOR_KEY[key] ?? (key === 'defects' ? '--defect' : error.key), error.message);
    }
    if (error instanceof TerminalStateError) throw new OptionError('--state-dir', error.message);
    throw error;
  }
  const { config, port, baudRate } = settings;
  const where = `${config.host.host}:${config.host.port}`;
  // The handlers first: whoever reads the ready line may signal at once.
  const stopped = stopOnSignal('posrig sim terminal', () => terminal.stop());
  process.stderr.write(
    `posrig sim terminal: listening on ${port} (${baudRate} baud), TID ${config.tid}, host ${where}, ${config.language}\n`,
  );
  try {
    await terminal.powerOn(); // a process start is a power-up (the signal handlers are already in place)
  } catch (error) {
    await terminal.stop();
    if (error instanceof TerminalStateError) throw new OptionError('--state-dir', error.message);
    throw error;
  }
  await stopped;
}
