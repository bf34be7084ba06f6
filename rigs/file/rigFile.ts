// The rig file: what is wired to what. Real and simulated parts use the same keys (see ARCHITECTURE.md "Rig files").
//   const rig = loadRigFile('rigs/sim-serial.yaml');  // throws ConfigFileError: "rigs/x.yaml:5: terminal.link.baudRate: ..."

import path from 'node:path';
import { z } from 'zod';
import { loadYamlFile, strictObject } from './yamlFile.ts';

const hostPort = z.string().regex(/^[^:\s]+:\d{1,5}$/, 'expected "host:port", e.g. "acquirer-test.example:5000"');

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
  defects: z.array(z.string()).default([]),
});

const MerchantSchema = strictObject({
  id: z.string().regex(/^.{15}$/, 'a merchant ID (DE42) is 15 characters'),
  name: z.string().min(1),
});

const TerminalSchema = strictObject({
  id: z.string().regex(/^.{8}$/, 'a terminal ID (DE41) is 8 characters'),
  merchant: MerchantSchema.default({ id: '898310048160001', name: 'POSRIG 测试商户' }),
  link: SerialLinkSchema,
  simulate: TerminalSimulationSchema.optional(),
});

const FaultsSchema = z.union([z.boolean(), strictObject({ listen: hostPort })]);

const HostSimulationSchema = strictObject({
  ledger: z.string().min(1).default(':memory:'),
  /** A repeated 0200 (same TID, STAN, DE7): answer with the first response, or decline 94. Never posted twice. */
  duplicatePolicy: z.enum(['replay', 'decline-94']).default('replay'),
  /** Seeded host defects: only for proving the payment-truth check catches a broken bank. */
  defects: z.array(z.enum(['double-post-reversal', 'post-declined', 'double-post-duplicate'])).default([]),
});

const HostSchema = strictObject({
  simulate: HostSimulationSchema.optional(),
  address: hostPort.optional(),
  faults: FaultsSchema.default(false),
  /** The terminal's backup host: "direct" = the host itself, bypassing the fault proxy. */
  backup: z.union([z.literal('direct'), hostPort]).optional(),
});

const BankSchema = strictObject({
  probe: z.union([z.literal('simulator'), strictObject({ iso8583: strictObject({ address: hostPort }) })]),
});

const PowerSchema = strictObject({
  kind: z.enum(['mqtt-relay', 'simulated']),
  broker: z.string().optional(),
  topic: z.string().optional(),
});

export const RigFileSchema = strictObject({
  name: z.string().min(1),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('CNY'),
  terminal: TerminalSchema,
  host: HostSchema,
  bank: BankSchema,
  power: PowerSchema.optional(),
  cards: z.string().min(1),
});

export type RigFile = z.output<typeof RigFileSchema> & { readonly file: string };

/** Loads and validates a rig file; `cards` is resolved against the working directory like every other path. */
export function loadRigFile(file: string): RigFile {
  return { ...loadYamlFile(file, RigFileSchema), file: path.normalize(file) };
}
