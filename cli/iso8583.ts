// `posrig iso8583 decode <hex>` and `posrig iso8583 encode <json>`: look inside ISO 8583 messages by hand, ASCII-87
// (default) or binary ISO87B (`--packaging binary`, with the 5-byte TPDU when framed).
//   posrig iso8583 encode '{"mti":"0800","fields":{"11":"000001","70":"301"}}'   → 3038303038303230...3031333031
//   posrig iso8583 decode 303830303830323030303030303030303030303030343030303030303030303030303030303030303031333031
//     MTI 0800 / DE011 System trace audit number: 000001 / DE070 Network management information code: 301
//   posrig iso8583 encode --packaging binary --frame '{"mti":"0800","fields":{"11":"000001","70":"301"}}'
//     → 001C 6000030000 0800 8020000000000000 0400000000000000 000001 0301 (without the spaces)

import type { Command } from 'commander';
import {
  DEFAULT_TPDU,
  describeIso,
  frameForTcp,
  type IsoFields,
  isPackaging,
  type Packaging,
  packagerFor,
  packMessage,
  TPDU_ID,
  TPDU_LENGTH,
  tpduProblem,
  unpackMessage,
} from '../protocols/iso8583/index.ts';

/** Input the iso8583 command cannot use (bad hex, bad JSON, wrong shape); the CLI prints it and exits 2. */
export class Iso8583InputError extends Error {
  override name = 'Iso8583InputError';
}

/** The packaging named by --packaging; Iso8583InputError for anything but ascii or binary. */
export function packagingOption(value: string | undefined): Packaging {
  if (value === undefined) return 'ascii';
  if (!isPackaging(value)) throw new Iso8583InputError(`--packaging: expected ascii or binary, got "${value}"`);
  return value;
}

/** Decodes hex (whitespace allowed, optional 2-byte length header; binary: optional TPDU) into masked lines: MTI, then
 * fields by number and name. */
export function decodeHexToText(hex: string, opts: { packaging?: Packaging } = {}): string {
  const packaging = opts.packaging ?? 'ascii';
  const compact = hex.replace(/\s+/g, '');
  const bad = compact.search(/[^0-9A-Fa-f]/);
  if (bad >= 0) throw new Iso8583InputError(`hex: character ${bad + 1} ("${compact.charAt(bad)}") is not a hex digit`);
  if (compact.length === 0) throw new Iso8583InputError('hex: nothing to decode');
  if (compact.length % 2 !== 0) throw new Iso8583InputError(`hex: odd number of hex digits (${compact.length})`);
  let bytes = Buffer.from(compact, 'hex');
  const lines: string[] = [];
  if (bytes.length > 2 && bytes.readUInt16BE(0) === bytes.length - 2) {
    lines.push(`Length header ${bytes.length - 2}`);
    bytes = bytes.subarray(2);
  }
  // ISO87B: 0x60 opens a TPDU (no 1987 MTI starts with BCD 6)
  if (packaging === 'binary' && bytes.length > TPDU_LENGTH && bytes[0] === TPDU_ID) {
    const t = bytes.subarray(0, TPDU_LENGTH).toString('hex').toUpperCase();
    lines.push(
      `TPDU ${t.slice(0, 2)} ${t.slice(2, 6)} ${t.slice(6)} (destination ${t.slice(2, 6)}, source ${t.slice(6)})`,
    );
    bytes = bytes.subarray(TPDU_LENGTH);
  }
  return [...lines, ...describeIso(unpackMessage(bytes, packaging), packagerFor(packaging))].join('\n');
}

/** The TPDU given by --tpdu (10 hex digits, ID 0x60). */
function tpduOption(text: string): Buffer {
  if (!/^[0-9A-Fa-f]{10}$/.test(text)) {
    throw new Iso8583InputError(`--tpdu: expected 10 hex digits such as 6000030000, got "${text}"`);
  }
  const tpdu = Buffer.from(text, 'hex');
  const problem = tpduProblem(tpdu, 0);
  if (problem) throw new Iso8583InputError(`--tpdu: ${problem}`);
  return tpdu;
}

/** Encodes '{"mti":"0200","fields":{"2":"...",...}}' to uppercase hex; frame adds the 2-byte length header. Binary:
 * a TPDU (tpdu, 10 hex digits) goes before the MTI — when framed always, 6000030000 unless given. */
export function encodeJsonToHex(
  json: string,
  opts: { frame?: boolean; packaging?: Packaging; tpdu?: string } = {},
): string {
  const packaging = opts.packaging ?? 'ascii';
  if (opts.tpdu !== undefined && packaging !== 'binary') {
    throw new Iso8583InputError('--tpdu: only the binary packaging carries a TPDU (add --packaging binary)');
  }
  const tpdu = opts.tpdu !== undefined ? tpduOption(opts.tpdu) : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Iso8583InputError(`json: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Iso8583InputError('json: expected an object like {"mti":"0800","fields":{"11":"000001"}}');
  }
  const { mti, fields } = parsed as { mti?: unknown; fields?: unknown };
  if (typeof mti !== 'string') throw new Iso8583InputError('json: mti must be a string of 4 digits, e.g. "0200"');
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new Iso8583InputError('json: fields must be an object of field number → string value');
  }
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string')
      throw new Iso8583InputError(`json: fields.${key} must be a string, got ${typeof value}`);
  }
  const body = packMessage({ mti, fields: fields as IsoFields }, packaging);
  const head = packaging === 'binary' && (opts.frame || tpdu) ? (tpdu ?? DEFAULT_TPDU) : Buffer.alloc(0);
  const bytes = opts.frame ? frameForTcp(body, { tpdu: head }) : Buffer.concat([head, body]);
  return bytes.toString('hex').toUpperCase();
}

/** Adds the `iso8583 decode` and `iso8583 encode` subcommands to the posrig program. */
export function registerIso8583(program: Command): void {
  const iso = program
    .command('iso8583')
    .description('decode or encode ISO 8583 messages (ASCII-87 as jPOS iso87ascii, or binary as jPOS ISO87BPackager)');
  iso
    .command('decode')
    .description('print the MTI and fields (masked) of a message given as hex; a 2-byte length header is detected')
    .argument('<hex...>', 'message bytes as hex (spaces allowed)')
    .option('--packaging <packaging>', 'ascii (ASCII-87) or binary (ISO87B; a TPDU 60.. is detected)', 'ascii')
    .action((hex: string[], options: { packaging?: string }) => {
      const packaging = packagingOption(options.packaging);
      process.stdout.write(`${decodeHexToText(hex.join(''), { packaging })}\n`);
    });
  iso
    .command('encode')
    .description('pack {"mti":"0200","fields":{"2":"...","3":"000000"}} and print it as hex')
    .argument('<json>', 'the message as JSON')
    .option('--frame', 'prefix the 2-byte big-endian length header (binary: and the TPDU)')
    .option('--packaging <packaging>', 'ascii (ASCII-87) or binary (ISO87B)', 'ascii')
    .option('--tpdu <hex>', 'binary only: the 5-byte TPDU before the MTI (default 6000030000 when framed)')
    .action((json: string, options: { frame?: boolean; packaging?: string; tpdu?: string }) => {
      const packaging = packagingOption(options.packaging);
      const opts = {
        frame: options.frame === true,
        packaging,
        ...(options.tpdu !== undefined && { tpdu: options.tpdu }),
      };
      process.stdout.write(`${encodeJsonToHex(json, opts)}\n`);
    });
}
