// The rig file: what is wired to what. Real and simulated parts use the same keys (see docs/architecture.md "Rig files").
//   const rig = loadRigFile('rigs/sim-serial.yaml');  // throws ConfigFileError: "rigs/x.yaml:5: terminal.link.baudRate: ..."

import path from 'node:path';
import { z } from 'zod';
import { DEFECTS, type Defect } from '../../simulators/terminal/index.ts';
import { rigContentProblems } from './rigChecks.ts';
import { loadYamlFile, strictObject } from './yamlFile.ts';

/** A rig name: it becomes part of folder names under .posrig/ and of report names. */
const RigNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/,
    'a rig name is used in folder and report names: 1 to 64 letters, digits, ".", "_" or "-", not starting with "." or "-"',
  );

/** A fixed-length ISO 8583 "ans" field the terminal sends (DE41, DE42): exactly `length` printable ASCII characters. */
function fixedAnsField(label: string, length: number) {
  return z.string().superRefine((value, ctx) => {
    const problem = fixedAnsProblem(value, length);
    if (problem)
      ctx.addIssue({ code: 'custom', message: `${label} is ${length} printable ASCII characters: ${problem}` });
  });
}

function fixedAnsProblem(value: string, length: number): string | undefined {
  const chars = [...value];
  const bad = chars.findIndex((c) => !/^[\x20-\x7e]$/.test(c));
  if (bad >= 0) {
    const code = (chars[bad]?.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `character ${bad + 1} is ${JSON.stringify(chars[bad])} (U+${code})`;
  }
  if (chars.length !== length) return `got ${chars.length} (${JSON.stringify(value)})`;
  if (value.startsWith(' ')) return `${JSON.stringify(value)} starts with a space`;
  return undefined;
}

const HOST_PORT = /^[^:\s]+:(\d{1,5})$/;

/**
 * A "host:port" address. Its port is 1 to 65535: the parts that dial it (the terminal, the fault proxy, a probe) need
 * a real port. Only an address to listen on (`listening`: host.faults.listen) may give port 0, "any free port",
 * which the rig then tells the simulated terminal, as with `faults: true`; a real terminal needs a fixed port there.
 * `alternative` names what else the key allows, for the message ('"direct"').
 */
function hostPort(options: { listening?: boolean; alternative?: string } = {}) {
  const expected = `${options.alternative ? `${options.alternative} or ` : ''}"host:port"`;
  const lowest = options.listening ? 0 : 1;
  return z
    .string({ error: (issue) => (issue.code === 'invalid_type' ? '"host:port"' : undefined) })
    .superRefine((value, ctx) => {
      const port = HOST_PORT.exec(value)?.[1];
      if (port === undefined) {
        const message = `expected ${expected}, e.g. "acquirer-test.example:5000", got ${JSON.stringify(value)}`;
        ctx.addIssue({ code: 'custom', message });
      } else if (Number(port) < lowest || Number(port) > 65535) {
        const range = options.listening ? '0 to 65535; 0 is any free port' : '1 to 65535';
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)}: port ${Number(port)} is out of range (${range})`,
        });
      }
    });
}

const SerialLinkSchema = strictObject({
  kind: z.literal('serial'),
  /** "mock:NAME" in-process mock port, "pty:NAME" a socat PTY pair with the simulator on the far end, else a device path. */
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(115200),
});

const TerminalSimulationSchema = strictObject({
  language: z.enum(['zh-CN', 'en']).default('zh-CN'),
  responseTimeoutMs: z.number().int().positive().default(1500),
  /** How often an undelivered reversal is sent again; the response timeout by default. */
  reversalRetryMs: z.number().int().positive().optional(),
  model: z.string().optional(),
  /** Seeded firmware defects (`npm run selfcheck` proves the suite catches each). */
  defects: z.array(z.enum(DEFECTS as [Defect, ...Defect[]])).default([]),
});

const MerchantSchema = strictObject({
  id: fixedAnsField('a merchant ID (DE42)', 15),
  name: z.string().min(1),
});

/** A real terminal's own timings, as its firmware is configured: every wait of posrig derives from them. */
const TerminalTimingSchema = strictObject({
  /** How long the terminal waits for the host's answer before it gives up and reverses. */
  responseTimeoutMs: z.number().int().positive().optional(),
  /** How long it tries to connect to a host; the response timeout by default. */
  connectTimeoutMs: z.number().int().positive().optional(),
  /** How long between two attempts to deliver a reversal; the response timeout by default. */
  reversalRetryMs: z.number().int().positive().optional(),
  /** From power on to its unsolicited `info`. */
  bootMs: z.number().int().positive().optional(),
});

const TerminalSchema = strictObject({
  id: fixedAnsField('a terminal ID (DE41)', 8),
  merchant: MerchantSchema.default({ id: '898310048160001', name: 'POSRIG 测试商户' }),
  link: SerialLinkSchema,
  simulate: TerminalSimulationSchema.optional(),
  timing: TerminalTimingSchema.optional(),
});

/** true: the fault proxy listens on a free port of this machine; `listen`: where a real terminal dials it. */
const FaultsSchema = z.union([z.boolean(), strictObject({ listen: hostPort({ listening: true }) })]);

const HostSimulationSchema = strictObject({
  ledger: z.string().min(1).default(':memory:'),
  /** A repeated 0200 (same TID, STAN, DE7): answer with the first response, or decline 94. Never posted twice. */
  duplicatePolicy: z.enum(['replay', 'decline-94']).default('replay'),
  /** Seeded host defects: only for proving the payment-truth check catches a broken bank. */
  defects: z.array(z.enum(['double-post-reversal', 'post-declined', 'double-post-duplicate'])).default([]),
});

const HostSchema = strictObject({
  simulate: HostSimulationSchema.optional(),
  address: hostPort().optional(),
  faults: FaultsSchema.default(false),
  /** The terminal's backup host: "direct" = the host itself, bypassing the fault proxy. */
  backup: z.union([z.literal('direct'), hostPort({ alternative: '"direct"' })]).optional(),
});

const BankSchema = strictObject({
  probe: z.union([z.literal('simulator'), strictObject({ iso8583: strictObject({ address: hostPort() }) })]),
});

/** The shape of a power switch; no kind is supported by this version (rigChecks.ts refuses every `power:`). */
const PowerSchema = strictObject({
  kind: z.string().min(1),
  broker: z.string().optional(),
  topic: z.string().optional(),
});

export const RigFileSchema = strictObject({
  name: RigNameSchema,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected a three-letter ISO 4217 currency code in capitals, e.g. "CNY"')
    .default('CNY'),
  terminal: TerminalSchema,
  host: HostSchema,
  bank: BankSchema,
  power: PowerSchema.optional(),
  cards: z.string().min(1),
});

export type RigFile = z.output<typeof RigFileSchema> & { readonly file: string };

/**
 * Loads and validates a rig file: its keys and values, one key against another (rigChecks.ts), and the files it names.
 * Relative paths (`cards`, `host.simulate.ledger`) are resolved against the working directory, not the rig file's
 * folder. Every problem is one line of the ConfigFileError. The terminal's device is checked by checkRigDevices.
 */
export function loadRigFile(file: string): RigFile {
  return { ...loadYamlFile(file, RigFileSchema, rigContentProblems), file: path.normalize(file) };
}
