// The terminal's non-volatile store: the STAN counter and the pending reversals in one JSON file of the state folder,
// written atomically (temp file, rename) before the 0200 goes out, so a power cut loses nothing: a simulated power
// cut drops the firmware's RAM or kills its process, and what the process wrote stays with the operating system.
// (No fsync: it guards against this machine losing power, which no rig simulates, and it was most of the time of a
// run on simulated time.) A corrupt file is a TerminalStateError naming the file and the bad key, never a crash.
// A pending reversal holds the PAN: the state file is owner-only (0600) from creation, a folder created for it 0700.
//   const store = NonVolatileStore.open('/var/posrig/T0000001');  store.next() → '000001'  (file written)
//   store.arm({ stan, transmission, request, armedAt });  store.markDue(stan, '98');  store.pending

import { closeSync, fchmodSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createPrivateDir, PRIVATE_FILE_MODE } from '../storage/privateFolder.ts';
import { type PendingReversal, type ReversalStore, reversalRecord } from './reversalStore.ts';
import { formatStan, nextStanValue, STAN_MAX, type StanCounter } from './stan.ts';

/** The file name inside the state folder. */
export const STATE_FILE = 'terminal-state.json';

/** The state file cannot be read, parsed or written; names the file (and the bad key when it is corrupt). */
export class TerminalStateError extends Error {
  override name = 'TerminalStateError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`terminal state ${file}: ${message}`);
  }
}

export interface NonVolatileOptions {
  /** false: reversals live in RAM only (the 'reversal-not-persisted' defect); default true */
  persistReversals?: boolean;
}

const STORED_REVERSAL = z.object({
  stan: z.string().regex(/^\d{6}$/, '6 digits'),
  transmission: z.string(),
  request: z.object({ mti: z.string().regex(/^\d{4}$/), fields: z.record(z.string().regex(/^\d+$/), z.string()) }),
  armedAt: z.iso.datetime(),
  due: z.boolean(),
  reason: z
    .string()
    .regex(/^[0-9A-Z]{2}$/)
    .optional(),
});
const STATE = z.object({
  version: z.literal(1),
  stan: z.number().int().min(0).max(STAN_MAX),
  reversals: z.array(STORED_REVERSAL),
});

/** STAN counter and reversal store backed by one JSON file; implements both StanCounter and ReversalStore. */
export class NonVolatileStore implements StanCounter, ReversalStore {
  readonly file: string;
  readonly #persistReversals: boolean;
  #stan: number;
  #reversals: Map<string, PendingReversal>;
  #closed = false;

  private constructor(file: string, stan: number, reversals: PendingReversal[], persistReversals: boolean) {
    this.file = file;
    this.#stan = stan;
    this.#reversals = new Map(reversals.map((r) => [r.stan, r]));
    this.#persistReversals = persistReversals;
  }

  /** Opens (creating the folder if needed) and reads the store; TerminalStateError when the file is corrupt. */
  static open(dir: string, options: NonVolatileOptions = {}): NonVolatileStore {
    const file = path.join(dir, STATE_FILE);
    const persistReversals = options.persistReversals ?? true;
    try {
      createPrivateDir(dir);
    } catch (error) {
      throw new TerminalStateError(file, `cannot create the state folder: ${(error as Error).message}`);
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return new NonVolatileStore(file, 0, [], persistReversals);
      throw new TerminalStateError(file, `cannot be read: ${(error as Error).message}`);
    }
    const state = parseState(file, text);
    const reversals = persistReversals ? state.reversals : [];
    return new NonVolatileStore(file, state.stan, reversals, persistReversals);
  }

  next(): string {
    this.#stan = nextStanValue(this.#stan);
    this.#save();
    return formatStan(this.#stan);
  }

  get current(): string | null {
    return this.#stan === 0 ? null : formatStan(this.#stan);
  }

  arm(entry: Omit<PendingReversal, 'due' | 'reason'>): void {
    this.#reversals.set(entry.stan, reversalRecord(entry));
    this.#save();
  }

  clear(stan: string): void {
    if (this.#reversals.delete(stan)) this.#save();
  }

  markDue(stan: string, reason: string): void {
    const entry = this.#reversals.get(stan);
    if (!entry) return;
    this.#reversals.set(stan, { ...entry, due: true, reason });
    this.#save();
  }

  get pending(): readonly PendingReversal[] {
    return [...this.#reversals.values()];
  }

  /** The power went off: this copy of the store is RAM that no longer exists, later calls write nothing. */
  close(): void {
    this.#closed = true;
  }

  #save(): void {
    if (this.#closed) return;
    const reversals = this.#persistReversals
      ? this.pending.map((r) => ({ ...r, armedAt: r.armedAt.toISOString() }))
      : [];
    writeAtomically(this.file, `${JSON.stringify({ version: 1, stan: this.#stan, reversals }, null, 2)}\n`);
  }
}

function parseState(file: string, text: string): { stan: number; reversals: PendingReversal[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TerminalStateError(file, `is corrupt: not JSON (${(error as Error).message})`);
  }
  const parsed = STATE.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') ?? '';
    throw new TerminalStateError(file, `is corrupt: key "${key.replace(/^\./, '')}" ${issue?.message ?? 'is invalid'}`);
  }
  const reversals = parsed.data.reversals.map(({ reason, ...r }) => ({
    ...r,
    armedAt: new Date(r.armedAt),
    ...(reason ? { reason } : {}),
  }));
  return { stan: parsed.data.stan, reversals };
}

/** Writes a 0600 temp file beside the target and renames it over the target. */
function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w', PRIVATE_FILE_MODE);
    try {
      fchmodSync(fd, PRIVATE_FILE_MODE); // before the first byte: the umask, or a stale temp file, may have left more
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    throw new TerminalStateError(file, `cannot be written: ${(error as Error).message}`);
  }
}
