// The simulated terminal's configuration (what a terminal management system would download), checked on start.
//   checkTerminalConfig({ tid: 'T0000001', mid: '898310048160001', ... }) → the config with defaults filled in

import { currencyInfo } from '../../protocols/domain/money.ts';
import { textOverridesProblem } from '../../protocols/ecr/referenceTexts.ts';
import { isPackaging, type Packaging } from '../../protocols/iso8583/index.ts';
import { DEFECTS, type Defect, isDefect } from './defects.ts';
import { isLanguage, type Language, type TextOverrides } from './texts.ts';

export interface TerminalConfig {
  tid: string;
  mid: string;
  merchantName: string;
  language: Language;
  currency: string;
  host: { host: string; port: number };
  responseTimeoutMs: number;
  pinKey?: string;
  model?: string;
  serial?: string;
  firmware?: string;
  /** minor units; tap at or under this needs no PIN; default 100000 (1000.00) */
  tapNoPinLimit?: number;
  /** folder of the non-volatile store (STAN counter, pending reversals); in memory when absent */
  stateDir?: string;
  /** dialled when the primary host refuses or cannot be reached at connect time */
  backupHost?: { host: string; port: number };
  /** how long between two attempts to deliver a reversal; default responseTimeoutMs */
  reversalRetryMs?: number;
  /** how long it tries to connect to a host before it gives up (or dials the backup); default responseTimeoutMs */
  connectTimeoutMs?: number;
  /** how long reading a presented card takes, before the PIN prompt or going online; default 0 */
  cardReadMs?: number;
  /** ISO 8583 packaging on the host link: 'ascii' (ASCII-87, default) or 'binary' (ISO87B behind a TPDU) */
  hostPackaging?: Packaging;
  /** seeded firmware defects (defects.ts); none by default */
  defects?: Defect[];
  /** what this terminal words differently from the reference texts of its language (a text profile's `texts:`) */
  texts?: TextOverrides;
}

type OptionalKeys = 'pinKey' | 'stateDir' | 'backupHost' | 'texts';

/** A configuration with every optional value resolved. */
export interface ResolvedTerminalConfig extends Required<Omit<TerminalConfig, OptionalKeys>> {
  pinKey?: string;
  stateDir?: string;
  backupHost?: { host: string; port: number };
  texts?: TextOverrides;
}

export class TerminalConfigError extends Error {
  override name = 'TerminalConfigError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`terminal config "${key}": ${message}`);
  }
}

export const DEFAULT_TAP_NO_PIN_LIMIT = 100_000;

/** Validates a terminal configuration and fills in defaults; errors name the offending key. */
export function checkTerminalConfig(config: TerminalConfig): ResolvedTerminalConfig {
  if (!/^[\x21-\x7e][\x20-\x7e]{0,7}$/.test(config.tid)) {
    throw new TerminalConfigError('tid', `must be 1..8 printable ASCII characters (DE41), got "${config.tid}"`);
  }
  if (!/^[\x21-\x7e][\x20-\x7e]{0,14}$/.test(config.mid)) {
    throw new TerminalConfigError('mid', `must be 1..15 printable ASCII characters (DE42), got "${config.mid}"`);
  }
  if (!isLanguage(config.language)) {
    throw new TerminalConfigError('language', `must be zh-CN or en, got "${config.language}"`);
  }
  try {
    currencyInfo(config.currency);
  } catch (error) {
    throw new TerminalConfigError('currency', (error as Error).message);
  }
  checkAddress('host', config.host);
  if (config.backupHost !== undefined) checkAddress('backupHost', config.backupHost);
  checkPositive('responseTimeoutMs', config.responseTimeoutMs);
  const reversalRetryMs = config.reversalRetryMs ?? config.responseTimeoutMs;
  checkPositive('reversalRetryMs', reversalRetryMs);
  const connectTimeoutMs = config.connectTimeoutMs ?? config.responseTimeoutMs;
  checkPositive('connectTimeoutMs', connectTimeoutMs);
  const cardReadMs = config.cardReadMs ?? 0;
  if (!Number.isInteger(cardReadMs) || cardReadMs < 0) {
    throw new TerminalConfigError('cardReadMs', `must be a whole number of milliseconds >= 0, got ${cardReadMs}`);
  }
  if (config.stateDir !== undefined && (typeof config.stateDir !== 'string' || config.stateDir === '')) {
    throw new TerminalConfigError('stateDir', 'must be a folder path');
  }
  const defects = config.defects ?? [];
  for (const [index, defect] of defects.entries()) {
    if (!isDefect(defect)) {
      throw new TerminalConfigError(`defects[${index}]`, `unknown defect "${defect}"; allowed: ${DEFECTS.join(', ')}`);
    }
  }
  if (config.pinKey !== undefined && !/^[0-9A-Fa-f]{32}$|^[0-9A-Fa-f]{48}$/.test(config.pinKey)) {
    throw new TerminalConfigError('pinKey', 'must be a 3DES key of 32 or 48 hex characters');
  }
  const textProblem = config.texts === undefined ? undefined : textOverridesProblem(config.texts);
  if (textProblem)
    throw new TerminalConfigError(`texts${textProblem.key ? `.${textProblem.key}` : ''}`, textProblem.message);
  if (config.hostPackaging !== undefined && !isPackaging(config.hostPackaging)) {
    throw new TerminalConfigError('hostPackaging', `must be ascii or binary, got "${config.hostPackaging}"`);
  }
  const tapNoPinLimit = config.tapNoPinLimit ?? DEFAULT_TAP_NO_PIN_LIMIT;
  if (!Number.isSafeInteger(tapNoPinLimit) || tapNoPinLimit < 0) {
    throw new TerminalConfigError('tapNoPinLimit', `must be a whole number of minor units >= 0, got ${tapNoPinLimit}`);
  }
  return {
    ...config,
    model: config.model ?? 'posrig-sim',
    serial: config.serial ?? `SIM-${config.tid}`,
    firmware: config.firmware ?? '0.1.0',
    tapNoPinLimit,
    reversalRetryMs,
    connectTimeoutMs,
    cardReadMs,
    defects: [...new Set(defects)],
    hostPackaging: config.hostPackaging ?? 'ascii',
  };
}

function checkAddress(key: string, address: { host: string; port: number } | undefined): void {
  const port = address?.port;
  if (!address?.host || !Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
    throw new TerminalConfigError(key, `needs a host name and a port 1..65535, got ${JSON.stringify(address)}`);
  }
}

function checkPositive(key: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new TerminalConfigError(key, `must be a positive whole number, got ${value}`);
  }
}

/** The TID as carried in DE41: left-justified, space-padded to 8. */
export function tidField(tid: string): string {
  return tid.padEnd(8, ' ');
}

/** The MID as carried in DE42: left-justified, space-padded to 15. */
export function midField(mid: string): string {
  return mid.padEnd(15, ' ');
}
