// One line of `posrig doctor`: a part of the rig, whether it is sound, what was found and, when it is not, the fix.
//   passed('terminal', 'hello answered by info in 12 ms')  → "✔ terminal  hello answered by info in 12 ms"
//   failed('serial port /dev/ttyUSB0', 'permission denied', 'add your user to the dialout group …')
//   skipped('bank probe', 'the rig')  → "– bank probe  skipped: needs the rig"

/** ok ✔: sound; failed ✘: broken, with a fix; skipped –: not checked (a part it needs failed, or the rig has none). */
export type CheckStatus = 'ok' | 'failed' | 'skipped';

export interface Check {
  /** The part of the rig: "rig file", "serial port /dev/ttyUSB0", "terminal", "host", "power relay" … */
  readonly part: string;
  readonly status: CheckStatus;
  /** What was found, one line. */
  readonly detail: string;
  /** What to do about a failure, one line. */
  readonly fix?: string;
  /** Further lines under it (the features a rig skips, and why). */
  readonly notes?: readonly string[];
}

export function passed(part: string, detail: string, notes?: readonly string[]): Check {
  return { part, status: 'ok', detail, ...(notes?.length ? { notes } : {}) };
}

export function failed(part: string, detail: string, fix?: string): Check {
  return { part, status: 'failed', detail, ...(fix ? { fix } : {}) };
}

/** Not checked because `needs` failed before it. */
export function skipped(part: string, needs: string): Check {
  return { part, status: 'skipped', detail: `skipped: needs ${needs}` };
}

/** A part this rig does not have: nothing to check, and nothing wrong. */
export function absent(part: string, detail: string): Check {
  return { part, status: 'skipped', detail };
}

const MARK: Record<CheckStatus, string> = { ok: '✔', failed: '✘', skipped: '–' };

/** The check as printed: "✔ part  detail", "✘ part  detail — fix: …", then its notes indented. */
export function formatCheck(check: Check): string {
  const head = `${MARK[check.status]} ${check.part}  ${check.detail}${check.fix ? ` — fix: ${check.fix}` : ''}`;
  return [head, ...(check.notes ?? []).map((note) => `    ${note}`)].join('\n');
}

/** The message of anything thrown, first line only. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
