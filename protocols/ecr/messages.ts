// ECR test link messages: the JSON payloads of frames (and of MQTT publishes), validated with zod on both sides.
//   parseEcrMessage('{"type":"sale","id":"c1","amount":10000,"currency":"CNY"}') → { type: 'sale', id: 'c1', ... }
//   parseEcrMessage('{"type":"sale","id":"c1","amount":-1,"currency":"CNY"}')    → throws EcrMessageError (sale.amount)
// Unknown fields are kept (forward compatibility); known fields are validated. Spec: docs/protocol.md.

import { z } from 'zod';

export type CardMethod = 'swipe' | 'chip' | 'tap' | 'qr';

export type HarnessCommand =
  | { type: 'hello'; id: string; protocol: '1' }
  | { type: 'sale'; id: string; amount: number; currency: string }
  | { type: 'refund'; id: string; amount: number; currency: string; originalRrn?: string }
  | { type: 'void'; id: string; stan: string }
  | { type: 'reprint'; id: string }
  | { type: 'settle'; id: string }
  | { type: 'lastResult'; id: string }
  | { type: 'abort'; id: string }
  | { type: 'input.card'; id: string; method: CardMethod; pan: string; expiry: string; track2?: string; qr?: string }
  | { type: 'input.keys'; id: string; keys: string[] }
  | { type: 'printer.set'; id: string; state: 'ok' | 'paper-out' | 'jam'; after?: 'now' | 'first-copy' };

export type Outcome = 'approved' | 'declined' | 'failed' | 'timeout' | 'cancelled';

export type ReversalStatus = 'stored' | 'sent' | 'confirmed';

export type TerminalEvent =
  | {
      type: 'info';
      id: string;
      model: string;
      serial: string;
      firmware: string;
      protocol: string;
      capabilities: string[];
      language: string;
      tid: string;
      ref?: string;
    }
  | { type: 'display'; id: string; lines: string[] }
  | { type: 'voice'; id: string; text: string }
  | { type: 'print'; id: string; lines: string[]; copy: 'merchant' | 'cardholder'; reprint: boolean }
  | {
      type: 'result';
      id: string;
      command: string;
      outcome: Outcome;
      /** id of the command this result concludes (optional, recommended) */
      ref?: string;
      responseCode?: string;
      amount?: number;
      currency?: string;
      stan?: string;
      rrn?: string;
      authCode?: string;
      /** masked: first 6 and last 4 digits at most */
      pan?: string;
      message?: string;
    }
  | { type: 'state'; id: string; state: string }
  | { type: 'error'; id: string; code: string; message: string; ref?: string }
  | {
      type: 'reversal';
      id: string;
      /** STAN (DE11) of the original request being reversed */
      stan: string;
      /** stored: a reversal became due; sent: a 0400 went out; confirmed: the 0410 arrived */
      status: ReversalStatus;
      /** DE39 of the 0410 (with status confirmed) */
      responseCode?: string;
    };

export type EcrMessage = HarnessCommand | TerminalEvent;

/** A payload that is not a valid ECR message; names the message type (when known) and the field path. */
export class EcrMessageError extends Error {
  override name = 'EcrMessageError';
  /** Key path of the bad field, e.g. 'amount', 'lines[2]'; '' when the payload as a whole is bad. */
  readonly path: string;
  readonly messageType?: string;
  /** The message is well formed but of a type this side does not know (a newer peer's, section 13). */
  readonly unknownType: boolean;
  /** The frame's payload as received, set by the link: for the receiver's own checks (a clear card number in an
   * invalid event), never to be logged as is. */
  payload?: string;

  constructor(message: string, path: string, messageType?: string, unknownType = false) {
    super(message);
    this.path = path;
    if (messageType !== undefined) this.messageType = messageType;
    this.unknownType = unknownType;
  }
}

// Field types shared by the tables below.
const text = z.string();
const word = z.string().min(1);
const minorUnits = z.number().int().positive().max(Number.MAX_SAFE_INTEGER); // amount in minor units, never a float
const currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 alphabetic code, e.g. CNY');
const stan = z.string().regex(/^\d{6}$/, '6 digits');
const rrn = z.string().regex(/^[0-9A-Za-z ]{1,12}$/, 'up to 12 alphanumerics');
const authCode = z.string().regex(/^[0-9A-Za-z ]{1,6}$/, 'up to 6 alphanumerics');
const responseCode = z.string().regex(/^[0-9A-Z]{2}$/, '2 characters, e.g. 00');
const clearPan = z.string().regex(/^\d{12,19}$/, '12 to 19 digits');
const maskedPan = z.string().regex(/^\d{0,6}[*Xx]+\d{0,4}$/, 'masked PAN: at most first 6 and last 4 digits');
const track2 = z.string().regex(/^\d{12,19}[=D]\d{4}\d*$/, 'PAN=YYMM followed by digits');
const expiry = z.string().regex(/^\d{2}(0[1-9]|1[0-2])$/, 'YYMM');
const key = z.enum(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'ENTER', 'CANCEL', 'CLEAR']);
const lines = z.array(text);

/** Harness → terminal: the fields of each command besides `type` and `id`. */
const COMMAND_FIELDS = {
  hello: { protocol: z.literal('1') },
  sale: { amount: minorUnits, currency },
  refund: { amount: minorUnits, currency, originalRrn: rrn.optional() },
  void: { stan },
  reprint: {},
  settle: {},
  lastResult: {},
  abort: {},
  'input.card': {
    method: z.enum(['swipe', 'chip', 'tap', 'qr']),
    pan: clearPan,
    expiry,
    track2: track2.optional(),
    qr: word.optional(),
  },
  'input.keys': { keys: z.array(key).min(1) },
  'printer.set': { state: z.enum(['ok', 'paper-out', 'jam']), after: z.enum(['now', 'first-copy']).optional() },
} satisfies Record<HarnessCommand['type'], z.ZodRawShape>;

/** Terminal → harness: the fields of each event besides `type` and `id`. */
const EVENT_FIELDS = {
  info: {
    model: text,
    serial: text,
    firmware: text,
    protocol: word,
    capabilities: z.array(word),
    language: word,
    tid: text,
    ref: word.optional(),
  },
  display: { lines },
  voice: { text },
  print: { lines, copy: z.enum(['merchant', 'cardholder']), reprint: z.boolean() },
  result: {
    command: word,
    outcome: z.enum(['approved', 'declined', 'failed', 'timeout', 'cancelled']),
    ref: word.optional(),
    responseCode: responseCode.optional(),
    amount: minorUnits.optional(),
    currency: currency.optional(),
    stan: stan.optional(),
    rrn: rrn.optional(),
    authCode: authCode.optional(),
    pan: maskedPan.optional(),
    message: text.optional(),
  },
  state: { state: word },
  error: { code: word, message: text, ref: word.optional() },
  reversal: { stan, status: z.enum(['stored', 'sent', 'confirmed']), responseCode: responseCode.optional() },
} satisfies Record<TerminalEvent['type'], z.ZodRawShape>;

const messageId = z.string().min(1).max(64);

function schemaTable(table: Record<string, z.ZodRawShape>): Map<string, z.ZodType> {
  const schemas = new Map<string, z.ZodType>();
  for (const [type, fields] of Object.entries(table)) {
    // loose: unknown fields are kept, so a newer peer's additions pass through (forward compatibility)
    schemas.set(type, z.looseObject({ type: z.literal(type), id: messageId, ...fields }));
  }
  return schemas;
}

const COMMAND_SCHEMAS = schemaTable(COMMAND_FIELDS);
const EVENT_SCHEMAS = schemaTable(EVENT_FIELDS);

/** Every harness → terminal command type. */
export const HARNESS_COMMAND_TYPES: readonly HarnessCommand['type'][] = Object.keys(
  COMMAND_FIELDS,
) as HarnessCommand['type'][];
/** Every terminal → harness event type. */
export const TERMINAL_EVENT_TYPES: readonly TerminalEvent['type'][] = Object.keys(
  EVENT_FIELDS,
) as TerminalEvent['type'][];

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Validates a decoded JSON value as an ECR message; throws EcrMessageError naming type and field path. */
export function validateEcrMessage(value: unknown): EcrMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EcrMessageError('ECR message: payload must be a JSON object', '');
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') throw new EcrMessageError('ECR message: field "type" must be a string', 'type');
  const schema = COMMAND_SCHEMAS.get(type) ?? EVENT_SCHEMAS.get(type);
  if (!schema) throw new EcrMessageError(`ECR message: unknown type "${type}"`, 'type', type, true);
  const result = schema.safeParse(value);
  if (result.success) return result.data as EcrMessage;
  const issue = result.error.issues[0];
  const path = issue ? pathOf(issue.path) : '';
  const why = issue?.message ?? 'invalid';
  throw new EcrMessageError(`ECR message "${type}": field "${path}" is invalid: ${why}`, path, type);
}

/** Parses a UTF-8 JSON payload into a validated ECR message; throws EcrMessageError naming type and field path. */
export function parseEcrMessage(payload: Uint8Array | string): EcrMessage {
  const json = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // The parser's own message may quote the payload (a PIN in input.keys): say only where it broke.
    throw new EcrMessageError(`ECR message: payload of ${json.length} characters is not JSON`, '');
  }
  return validateEcrMessage(value);
}

/** Validates a message and encodes it as compact UTF-8 JSON (the frame payload). */
export function encodeEcrMessage(message: EcrMessage): Buffer {
  return Buffer.from(JSON.stringify(validateEcrMessage(message)), 'utf8');
}

/** True for messages the harness sends to the terminal. */
export function isHarnessCommand(m: EcrMessage): m is HarnessCommand {
  return COMMAND_SCHEMAS.has(m.type);
}
