// The rig file: what is wired to what. Real and simulated parts use the same keys (see docs/architecture.md "Rig files").
//   const rig = loadRigFile('rigs/sim-serial.yaml');  // throws ConfigFileError: "rigs/x.yaml:5: terminal.link.baudRate: ..."

import path from 'node:path';
import { z } from 'zod';
import { DEFECTS, type Defect } from '../../simulators/terminal/index.ts';
import { PROBE_TID } from '../bank/isoBankProbe.ts';
import { CLOCKS } from '../clock/clockChoice.ts';
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

/** A broker URL: mqtt://host:port or mqtts://host:port. */
const BrokerUrlSchema = z
  .string()
  .regex(
    /^mqtts?:\/\/[^\s:/]+(:\d{1,5})?\/?$/,
    'expected "embedded" or a broker URL "mqtt://host:port" or "mqtts://host:port"',
  );

/** TLS for an mqtts:// broker: files, resolved against the rig file's folder. */
const BrokerTlsSchema = strictObject({
  ca: z.string().min(1).optional(),
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  /** false only for a test broker with a self-signed certificate. */
  rejectUnauthorized: z.boolean().default(true),
});

/** A terminal reached through an MQTT broker (docs/protocol.md section 12). */
const MqttLinkSchema = strictObject({
  kind: z.literal('mqtt'),
  /** "embedded": aedes in this process on a free loopback port; or any broker by URL (user and password from the
   * environment: POSRIG_MQTT_USERNAME, POSRIG_MQTT_PASSWORD). */
  broker: z.union([z.literal('embedded'), BrokerUrlSchema]).default('embedded'),
  /** The remote terminal's TID (its topics): terminal.id when absent. */
  terminal: fixedAnsField('a terminal ID (DE41)', 8).optional(),
  /** A pool of lab terminals behind `posrig agent`: each cucumber worker leases a free one. */
  terminals: z.array(fixedAnsField('a terminal ID (DE41)', 8)).min(1).optional(),
  /** Simulated terminals only: "pty:NAME" puts the simulated terminal on a PTY behind a `posrig agent` process. */
  agent: z.string().min(1).optional(),
  /** Lease the terminal from its agent (section 12.3): the default unless the rig simulates a terminal that speaks
   * MQTT itself (no agent); a lease ends without a heartbeat for timeoutMs (default 30 s). */
  lease: z
    .union([
      z.boolean(),
      strictObject({
        timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
        /** How long a worker waits for a terminal of the pool to free when every one is taken (default 0: fail). */
        waitMs: z.number().int().nonnegative().optional(),
      }),
    ])
    .optional(),
  tls: BrokerTlsSchema.optional(),
});

const LinkSchema = z.discriminatedUnion('kind', [SerialLinkSchema, MqttLinkSchema]);

const TerminalSimulationSchema = strictObject({
  language: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /** Moved to terminal.timing (rigChecks.ts says so): kept here only so that the message can name the new key. */
  responseTimeoutMs: z.unknown().optional(),
  reversalRetryMs: z.unknown().optional(),
  /** How long the simulated terminal takes to read a card before it asks for the PIN or goes online. */
  cardReadMs: z.number().int().nonnegative().optional(),
  model: z.string().optional(),
  /** Seeded firmware defects (`npm run selfcheck` proves the suite catches each). */
  defects: z.array(z.enum(DEFECTS as [Defect, ...Defect[]])).default([]),
});

const MerchantSchema = strictObject({
  id: fixedAnsField('a merchant ID (DE42)', 15),
  name: z.string().min(1),
});

/** An amount in the rig's currency, written in major units: "1000.00". */
const AmountSchema = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^\d{1,12}(\.\d{1,3})?$/, 'expected an amount in the rig currency, e.g. "1000.00"'));

/** The terminal's own timings, as its firmware is configured (a simulated terminal is configured with them): every
 * wait of posrig derives from them. */
const TerminalTimingSchema = strictObject({
  /** How long the terminal waits for the host's answer before it gives up and reverses. */
  responseTimeoutMs: z.number().int().positive().optional(),
  /** How long it tries to connect to a host; the response timeout by default. */
  connectTimeoutMs: z.number().int().positive().optional(),
  /** How long between two attempts to deliver a reversal; the response timeout by default. */
  reversalRetryMs: z.number().int().positive().optional(),
  /** From power on to its unsolicited `info`. */
  bootMs: z.number().int().positive().optional(),
  /** A contactless tap at or under this amount needs no PIN. */
  noPinLimit: AmountSchema.optional(),
});

const TerminalSchema = strictObject({
  /** The TID; an MQTT link may name it instead (link.terminal), or a pool (link.terminals: the leased one's). */
  id: fixedAnsField('a terminal ID (DE41)', 8).optional(),
  merchant: MerchantSchema.default({ id: '898310048160001', name: 'POSRIG 测试商户' }),
  link: LinkSchema,
  simulate: TerminalSimulationSchema.optional(),
  timing: TerminalTimingSchema.optional(),
  /** A text profile: the terminal's own words for the meanings the vocabulary checks (docs/steps.md "Text profiles"). */
  texts: z.string().min(1).optional(),
});

/** true: the fault proxy listens on a free port of this machine; `listen`: where a real terminal dials it. */
const FaultsSchema = z.union([z.boolean(), strictObject({ listen: hostPort({ listening: true }) })]);

/** A 3DES key in hex: the PIN key (DE52 is ISO 9564 format 0 under it). */
const PinKeySchema = z
  .string()
  .regex(/^(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48})$/, 'expected a 3DES key of 32 or 48 hex digits');

const HostSimulationSchema = strictObject({
  ledger: z.string().min(1).default(':memory:'),
  /** A repeated 0200 (same TID, STAN, DE7): answer with the first response, or decline 94. Never posted twice. */
  duplicatePolicy: z.enum(['replay', 'decline-94']).default('replay'),
  /** Seeded host defects: only for proving the payment-truth check catches a broken bank. */
  defects: z.array(z.enum(['double-post-reversal', 'post-declined', 'double-post-duplicate'])).default([]),
  /** Where the simulated host listens; port 0 is any free port (a simulated terminal is told it). */
  listen: hostPort({ listening: true }).default('127.0.0.1:0'),
  /** The PIN key the host decrypts DE52 with; the built-in test key when absent (test only: docs/host.md). */
  pinKey: PinKeySchema.optional(),
});

const HostSchema = strictObject({
  simulate: HostSimulationSchema.optional(),
  address: hostPort().optional(),
  faults: FaultsSchema.default(false),
  /** ISO 8583 on the host link: ASCII-87, or binary ISO87B behind a 5-byte TPDU (docs/host.md). */
  packaging: z.enum(['ascii', 'binary']).default('ascii'),
  /** The terminal's backup host, reached past the fault proxy: "direct" = the host itself; "host:port" = another host
   * a simulated terminal dials; `listen`: where posrig listens for the terminal's backup connection and passes it to
   * the host, recorded. */
  backup: z
    .union([
      z.literal('direct'),
      hostPort({ alternative: '"direct"' }),
      strictObject({ listen: hostPort({ listening: true }) }),
    ])
    .optional(),
});

const IsoProbeSchema = strictObject({
  /** The host that answers the balance inquiries; host.address, or the simulated host, when absent. */
  address: hostPort().optional(),
  /** The probe's own terminal ID (DE41), never the terminal's: its STANs and DE41 stay apart. */
  tid: fixedAnsField('a terminal ID (DE41)', 8).default(PROBE_TID),
  /** Ask the merchant's balance too (posrig's extension of balance inquiry: docs/host.md). */
  merchant: z.boolean().default(false),
  /** Send the card's PIN (DE52) with each inquiry; false for a host that answers without (no PIN-try side effects). */
  pin: z.boolean().default(true),
  /** The host's PIN key for DE52; host.simulate.pinKey, else the built-in test key, when absent. */
  pinKey: PinKeySchema.optional(),
});

const BankSchema = strictObject({
  /** "simulator": the simulated bank's ledger; `ledger`: the ledger file of a `posrig sim host` on this machine;
   * `iso8583`: balance inquiry against any host. One of the two keys (rigChecks.ts). */
  probe: z.union([
    z.literal('simulator'),
    strictObject({ ledger: z.string().min(1).optional(), iso8583: IsoProbeSchema.optional() }),
  ]),
});

/** A Tasmota relay on an MQTT broker: `cmnd/{relay}/POWER` ON | OFF, its state on `stat/{relay}/POWER`. */
const TasmotaPowerSchema = strictObject({
  kind: z.literal('tasmota'),
  /** The relay's topic (Tasmota's %topic%), one topic level. */
  relay: z.string().regex(/^[^+#/\s]+$/, 'a Tasmota topic is one topic level: no "/", "+", "#" or spaces'),
  /** The relay's broker; the terminal's MQTT broker when absent. */
  broker: BrokerUrlSchema.optional(),
  /** How long the relay may take to confirm a switch. */
  timeoutMs: z.number().int().positive().default(5000),
});

const CommandPowerSchema = strictObject({
  kind: z.literal('command'),
  /** Shell commands, run in the rig file's folder: a USB relay board, uhubctl, a PDU's command line. */
  on: z.string().min(1),
  off: z.string().min(1),
  /** Exit 0 when the terminal is powered, 1 when not. */
  status: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** A relay switched by a person at the bench: posrig asks, the operator switches and presses Enter. */
const ManualPowerSchema = strictObject({ kind: z.literal('manual') });

const PowerSchema = z.discriminatedUnion('kind', [CommandPowerSchema, ManualPowerSchema, TasmotaPowerSchema]);

/** What evidence the run keeps: pictures of the screen and the receipt for the failed scenarios only, for all, or
 * none (text evidence only; `posrig run --evidence` wins over it). */
const EvidenceSchema = strictObject({
  pictures: z.enum(['failed', 'all', 'none']).default('failed'),
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
  evidence: EvidenceSchema.default({ pictures: 'failed' }),
  /** The wall clock, or simulated time for a rig simulated wholly in posrig's process (`posrig run --clock` wins). */
  clock: z.enum(CLOCKS).default('real'),
});

type RigFileContent = z.output<typeof RigFileSchema>;

/** A rig file as loaded: terminal.id is always set (from link.terminal, or the pool's first until one is leased). */
export type RigFile = Omit<RigFileContent, 'terminal'> & {
  readonly terminal: RigFileContent['terminal'] & { readonly id: string };
  readonly file: string;
};
export type SerialLink = z.output<typeof SerialLinkSchema>;
export type MqttLink = z.output<typeof MqttLinkSchema>;

/**
 * Loads and validates a rig file: its keys and values, one key against another (rigChecks.ts), and the files it names.
 * Relative paths (`cards`, `host.simulate.ledger`, `bank.probe.ledger`, `terminal.texts`, a device's
 * `terminal.link.path`, the power commands' working folder) are resolved against the rig file's folder, and come back
 * absolute. Every problem is one line of the ConfigFileError. The terminal's device is checked by checkRigDevices.
 */
export function loadRigFile(file: string): RigFile {
  const folder = path.dirname(path.resolve(file));
  const rig = loadYamlFile(file, RigFileSchema, (content) => rigContentProblems(content, folder));
  const resolved = resolvePaths(rig, folder);
  // rigChecks.ts: a rig without terminal.id names its terminal on an MQTT link (terminal or terminals).
  const link = resolved.terminal.link;
  const id = resolved.terminal.id ?? (link.kind === 'mqtt' ? (link.terminal ?? link.terminals?.[0]) : undefined) ?? '';
  return { ...resolved, terminal: { ...resolved.terminal, id }, file: path.normalize(file) };
}

/** The TIDs a rig may lease: a pool's, or its one terminal. */
export function terminalsOf(rig: RigFile): readonly string[] {
  const link = rig.terminal.link;
  return link.kind === 'mqtt' && link.terminals ? link.terminals : [rig.terminal.id];
}

/** The folder a rig file's relative paths are resolved against. */
export function rigFolder(rig: RigFile): string {
  return path.dirname(path.resolve(rig.file));
}

function resolveTls(
  tls: NonNullable<MqttLink['tls']>,
  resolve: (file: string) => string,
): NonNullable<MqttLink['tls']> {
  return {
    ...tls,
    ...(tls.ca ? { ca: resolve(tls.ca) } : {}),
    ...(tls.cert ? { cert: resolve(tls.cert) } : {}),
    ...(tls.key ? { key: resolve(tls.key) } : {}),
  };
}

/** A device path as given when absolute or simulated ("mock:", "pty:"); a relative one against the rig's folder. */
function devicePath(linkPath: string, folder: string): string {
  return path.isAbsolute(linkPath) || /^(mock|pty):/.test(linkPath) ? linkPath : path.resolve(folder, linkPath);
}

function resolvePaths(rig: RigFileContent, folder: string): RigFileContent {
  const resolve = (file: string) => (file === ':memory:' ? file : path.resolve(folder, file));
  const { terminal, host, bank } = rig;
  const link = terminal.link;
  return {
    ...rig,
    cards: resolve(rig.cards),
    terminal: {
      ...terminal,
      link:
        link.kind === 'serial'
          ? { ...link, path: devicePath(link.path, folder) }
          : link.tls
            ? { ...link, tls: resolveTls(link.tls, resolve) }
            : link,
      ...(terminal.texts ? { texts: resolve(terminal.texts) } : {}),
    },
    host: host.simulate ? { ...host, simulate: { ...host.simulate, ledger: resolve(host.simulate.ledger) } } : host,
    bank:
      typeof bank.probe === 'object' && bank.probe.ledger !== undefined
        ? { probe: { ...bank.probe, ledger: resolve(bank.probe.ledger) } }
        : bank,
  };
}
