// Fault rules: what a rule looks like, how one is validated, and how it reads in the log.
//   validateRule({ action: { kind: 'swallow' }, direction: 'response', mti: '0210' }) → the rule with defaults applied
//   describeRule(rule) → 'swallow 0210 (host → terminal), 1 time'

export type Direction = 'request' | 'response'; // request: terminal → host; response: host → terminal

export type FaultAction =
  | { kind: 'refuse' } // new connections are closed at once (host down); counts connections
  | { kind: 'drop' } // the matching message is not forwarded and both sockets of that connection are closed
  | { kind: 'blackhole' } // connections are accepted, nothing is forwarded either way (counts connections)
  | { kind: 'delay'; ms: number } // the matching message is forwarded ms later (order on that connection preserved)
  | { kind: 'corrupt' } // one byte inside the matching body is changed so it no longer unpacks, then forwarded
  | { kind: 'duplicate' } // the matching message is forwarded twice
  | { kind: 'alter'; fields: AlterableField[] } // these fields get another value (alterMessage.ts), then forwarded
  | { kind: 'swallow' }; // the matching message is not forwarded; the connection stays up

/** Fields an 'alter' action can change: the ones a response must echo (amount DE4, STAN DE11, TID DE41). */
export const ALTERABLE_FIELDS = [4, 11, 41] as const;
export type AlterableField = (typeof ALTERABLE_FIELDS)[number];

export interface FaultRule {
  action: FaultAction;
  direction?: Direction; // for message-level actions; any direction when absent
  mti?: string; // only messages with this MTI; any when absent
  times?: number; // matching messages (or connections for refuse/blackhole); default 1; Infinity = until healed
  forMs?: number; // disarms itself this long after being armed
}

/** A rule the proxy refused; the message names the bad key, e.g. 'rule.times must be …'. */
export class FaultProxyError extends Error {
  override name = 'FaultProxyError';
}

const KINDS = ['refuse', 'drop', 'blackhole', 'delay', 'corrupt', 'duplicate', 'alter', 'swallow'] as const;
const CONNECTION_KINDS: ReadonlySet<string> = new Set(['refuse', 'blackhole']);
const RULE_KEYS = ['action', 'direction', 'mti', 'times', 'forMs'];

/** True for the actions that act on whole connections (refuse, blackhole) rather than on messages. */
export function isConnectionAction(action: FaultAction): action is { kind: 'refuse' } | { kind: 'blackhole' } {
  return CONNECTION_KINDS.has(action.kind);
}

/** How a direction reads in the log: 'terminal → host' / 'host → terminal'. */
export function directionArrow(direction: Direction): string {
  return direction === 'request' ? 'terminal → host' : 'host → terminal';
}

/** Checks a rule from a step or a rig file; returns a copy with `times` defaulted, or throws FaultProxyError. */
export function validateRule(input: unknown): FaultRule & { times: number } {
  if (typeof input !== 'object' || input === null)
    throw new FaultProxyError(`rule must be an object, got ${show(input)}`);
  const rule = input as Record<string, unknown>;
  for (const key of Object.keys(rule)) {
    if (!RULE_KEYS.includes(key)) throw new FaultProxyError(`rule.${key} is not a rule key (${RULE_KEYS.join(', ')})`);
  }
  const action = validateAction(rule.action);
  const checked: FaultRule & { times: number } = { action, times: 1 };
  const connectionLevel = isConnectionAction(action);
  if (rule.direction !== undefined) {
    if (connectionLevel)
      throw new FaultProxyError(`rule.direction does not apply to '${action.kind}' (it acts on connections)`);
    if (rule.direction !== 'request' && rule.direction !== 'response')
      throw new FaultProxyError(`rule.direction must be 'request' or 'response', got ${show(rule.direction)}`);
    checked.direction = rule.direction;
  }
  if (rule.mti !== undefined) {
    if (connectionLevel)
      throw new FaultProxyError(`rule.mti does not apply to '${action.kind}' (it acts on connections)`);
    if (typeof rule.mti !== 'string' || !/^\d{4}$/.test(rule.mti))
      throw new FaultProxyError(`rule.mti must be 4 digits such as '0200', got ${show(rule.mti)}`);
    checked.mti = rule.mti;
  }
  if (rule.times !== undefined) {
    const times = rule.times;
    if (typeof times !== 'number' || !(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times >= 1)))
      throw new FaultProxyError(`rule.times must be a whole number ≥ 1 or Infinity, got ${show(times)}`);
    checked.times = times;
  }
  if (rule.forMs !== undefined) {
    const forMs = rule.forMs;
    if (typeof forMs !== 'number' || !Number.isFinite(forMs) || forMs <= 0)
      throw new FaultProxyError(`rule.forMs must be a number of milliseconds > 0, got ${show(forMs)}`);
    checked.forMs = forMs;
  }
  return checked;
}

function validateAction(value: unknown): FaultAction {
  if (typeof value !== 'object' || value === null)
    throw new FaultProxyError(`rule.action must be an object such as { kind: 'swallow' }, got ${show(value)}`);
  const action = value as Record<string, unknown>;
  const kind = action.kind;
  if (!KINDS.includes(kind as (typeof KINDS)[number]))
    throw new FaultProxyError(`rule.action.kind must be one of ${KINDS.join(', ')}; got ${show(kind)}`);
  for (const key of Object.keys(action)) {
    if (key !== 'kind' && !(kind === 'delay' && key === 'ms') && !(kind === 'alter' && key === 'fields'))
      throw new FaultProxyError(`rule.action.${key} is not a key of a '${String(kind)}' action`);
  }
  if (kind === 'delay') {
    const ms = action.ms;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
      throw new FaultProxyError(`rule.action.ms must be a number of milliseconds ≥ 0, got ${show(ms)}`);
    return { kind, ms };
  }
  if (kind === 'alter') return { kind, fields: validateAlterFields(action.fields) };
  return { kind } as FaultAction;
}

function validateAlterFields(value: unknown): AlterableField[] {
  const allowed: readonly number[] = ALTERABLE_FIELDS;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((de) => allowed.includes(de)) ||
    new Set(value).size !== value.length
  )
    throw new FaultProxyError(
      `rule.action.fields must list some of ${ALTERABLE_FIELDS.join(', ')} once each, got ${show(value)}`,
    );
  return [...value] as AlterableField[];
}

/** A rule in words for the log: 'delay 1500 ms 0210 (host → terminal), until healed, for 3000 ms'. */
export function describeRule(rule: FaultRule): string {
  const times = rule.times ?? 1;
  const action =
    rule.action.kind === 'delay'
      ? `delay ${rule.action.ms} ms`
      : rule.action.kind === 'alter'
        ? `alter ${rule.action.fields.map((de) => `DE${de}`).join(', ')} of`
        : rule.action.kind;
  const target = isConnectionAction(rule.action)
    ? 'connections'
    : `${rule.mti ?? 'any message'}${rule.direction ? ` (${directionArrow(rule.direction)})` : ''}`;
  const count = times === Number.POSITIVE_INFINITY ? 'until healed' : `${times} time${times === 1 ? '' : 's'}`;
  return `${action} ${target}, ${count}${rule.forMs !== undefined ? `, for ${rule.forMs} ms` : ''}`;
}

function show(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}
