// Leases of a terminal behind `posrig agent` (docs/protocol.md section 12.3): one controller at a time. A lease ends
// on release, when the controller's last will says it is gone, or when its heartbeats stop for longer than the
// timeout it asked for. The book is pure: the agent feeds it requests and the clock.
//   const book = new LeaseBook(Date.now);
//   book.acquire({ op: 'acquire', session: 's1', holder: 'ci-7', client: 'c1', timeoutMs: 30000 })  → { granted: true … }

/** What a controller asks of the agent, on the terminal's lease/request topic. */
export type LeaseRequest =
  | {
      readonly op: 'acquire';
      /** A fresh id of this lease: it names the lease in heartbeats, the release and the reply. */
      readonly session: string;
      /** Who asks, for people: "ci-runner-3 (pid 4242)". */
      readonly holder: string;
      /** The controller's MQTT client id: its last will on controllerTopic(client) ends the lease. */
      readonly client: string;
      /** Without a heartbeat for this long the lease ends. */
      readonly timeoutMs: number;
    }
  | { readonly op: 'heartbeat'; readonly session: string }
  | { readonly op: 'release'; readonly session: string };

/** The agent's answer to an acquire, on the lease/reply topic. */
export type LeaseReply =
  | { readonly session: string; readonly granted: true; readonly since: string }
  | { readonly session: string; readonly granted: false; readonly busy: string };

/** Who holds the terminal, retained on the lease topic. */
export type LeaseState =
  | { readonly state: 'free' }
  | { readonly state: 'leased'; readonly holder: string; readonly since: string; readonly timeoutMs: number };

export interface Lease {
  readonly session: string;
  readonly holder: string;
  readonly client: string;
  readonly timeoutMs: number;
  /** When it was granted (ms since the epoch). */
  readonly since: number;
  /** The last acquire or heartbeat (ms since the epoch). */
  lastBeat: number;
}

/** A lease request that is not one: names what is wrong. */
export class LeaseRequestError extends Error {
  override name = 'LeaseRequestError';
}

const MAX_TEXT = 200;

/** Parses a lease request payload (UTF-8 JSON); LeaseRequestError names the field that is wrong. */
export function parseLeaseRequest(payload: Buffer | string): LeaseRequest {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString());
  } catch {
    throw new LeaseRequestError('a lease request is UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null) throw new LeaseRequestError('a lease request is a JSON object');
  const request = value as Record<string, unknown>;
  const text = (key: string): string => {
    const field = request[key];
    if (typeof field !== 'string' || field.length === 0 || field.length > MAX_TEXT)
      throw new LeaseRequestError(`lease request: "${key}" is a string of 1 to ${MAX_TEXT} characters`);
    return field;
  };
  const session = text('session');
  switch (request.op) {
    case 'acquire': {
      const timeoutMs = request.timeoutMs;
      if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 3_600_000)
        throw new LeaseRequestError('lease request: "timeoutMs" is an integer from 100 to 3600000');
      return { op: 'acquire', session, holder: text('holder'), client: text('client'), timeoutMs };
    }
    case 'heartbeat':
    case 'release':
      return { op: request.op, session };
    default:
      throw new LeaseRequestError(
        `lease request: "op" is "acquire", "heartbeat" or "release", got ${JSON.stringify(request.op)}`,
      );
  }
}

/** The one lease of one terminal. */
export class LeaseBook {
  private lease: Lease | undefined;

  constructor(private readonly now: () => number) {}

  /** The lease in force, if any (an expired one is ended first). */
  get current(): Lease | undefined {
    this.expire();
    return this.lease;
  }

  /** Grants the terminal when it is free (or already this session's), else says who has it since when. */
  acquire(request: Extract<LeaseRequest, { op: 'acquire' }>): LeaseReply {
    const held = this.current;
    if (held && held.session !== request.session) {
      return { session: request.session, granted: false, busy: busyText(held) };
    }
    const now = this.now();
    this.lease = held ?? { ...request, since: now, lastBeat: now };
    this.lease.lastBeat = now;
    return { session: request.session, granted: true, since: new Date(this.lease.since).toISOString() };
  }

  /** Keeps the session's lease alive; false when it holds none (it expired, or was never granted). */
  heartbeat(session: string): boolean {
    const held = this.current;
    if (held?.session !== session) return false;
    held.lastBeat = this.now();
    return true;
  }

  /** Ends the session's lease; false when it held none. */
  release(session: string): boolean {
    if (this.current?.session !== session) return false;
    this.lease = undefined;
    return true;
  }

  /** The controller's last will: ends the lease it holds, if any. */
  controllerGone(client: string): boolean {
    if (this.current?.client !== client) return false;
    this.lease = undefined;
    return true;
  }

  /** Ends a lease whose heartbeats stopped; returns it when it ended now. */
  expire(): Lease | undefined {
    const held = this.lease;
    if (!held || this.now() - held.lastBeat <= held.timeoutMs) return undefined;
    this.lease = undefined;
    return held;
  }

  /** When the lease in force runs out without a heartbeat (ms since the epoch), if there is one. */
  get expiresAt(): number | undefined {
    return this.lease ? this.lease.lastBeat + this.lease.timeoutMs : undefined;
  }

  /** The retained state to publish. */
  state(): LeaseState {
    const held = this.current;
    return held
      ? { state: 'leased', holder: held.holder, since: new Date(held.since).toISOString(), timeoutMs: held.timeoutMs }
      : { state: 'free' };
  }
}

/** "leased by ci-7 (pid 42) since 2026-12-01T10:00:00.000Z": the words of a refused acquire. */
export function busyText(lease: Pick<Lease, 'holder' | 'since'>): string {
  return `leased by ${lease.holder} since ${new Date(lease.since).toISOString()}`;
}
