// `posrig iso8583 decode <hex>` and `posrig iso8583 encode <json>`: look inside ISO 8583 (ASCII-87) messages by hand.
//   posrig iso8583 encode '{"mti":"0800","fields":{"11":"000001","70":"301"}}'   → 3038303038303230...3031333031
//   posrig iso8583 decode 303830303830323030303030303030303030303030343030303030303030303030303030303030303031333031
//     MTI 0800 / DE011 System trace audit number: 000001 / DE070 Network management information code: 301

import type { Command } from 'commander';
import { describeIso, frameForTcp, type IsoFields, packIso, unpackIso } from '../protocols/iso8583/index.ts';

/** Input the iso8583 command cannot use (bad hex, bad JSON, wrong shape); the CLI prints it and exits 2. */
export class Iso8583InputError extends Error {
  override name = 'Iso8583InputError';
}

/** Decodes hex (whitespace allowed, optional 2-byte length header) into masked lines: MTI, then fields by number and name. */
export function decodeHexToText(hex: string): string {
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
  return [...lines, ...describeIso(unpackIso(bytes))].join('\n');
}

/** Encodes '{"mti":"0200","fields":{"2":"...",...}}' to uppercase hex; frame adds the 2-byte length header. */
export function encodeJsonToHex(json: string, opts: { frame?: boolean } = {}): string {
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
  const body = packIso({ mti, fields: fields as IsoFields });
  return (opts.frame ? frameForTcp(body) : body).toString('hex').toUpperCase();
}

/** Adds the `iso8583 decode` and `iso8583 encode` subcommands to the posrig program. */
export function registerIso8583(program: Command): void {
  const iso = program
    .command('iso8583')
    .description('decode or encode ISO 8583 messages (ASCII-87, as jPOS iso87ascii)');
  iso
    .command('decode')
    .description('print the MTI and fields (masked) of a message given as hex; a 2-byte length header is detected')
    .argument('<hex...>', 'message bytes as hex (spaces allowed)')
    .action((hex: string[]) => {
      process.stdout.write(`${decodeHexToText(hex.join(''))}\n`);
    });
  iso
    .command('encode')
    .description('pack {"mti":"0200","fields":{"2":"...","3":"000000"}} and print it as hex')
    .argument('<json>', 'the message as JSON')
    .option('--frame', 'prefix the 2-byte big-endian length header')
    .action((json: string, options: { frame?: boolean }) => {
      process.stdout.write(`${encodeJsonToHex(json, { frame: options.frame === true })}\n`);
    });
}
