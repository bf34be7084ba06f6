// The terminal's clock: local time for displays and receipts, injectable so tests are deterministic.
//   formatLocalDateTime(new Date(2025, 0, 2, 3, 4, 5)) → '2025-01-02 03:04:05'

import { clock } from '../../protocols/domain/clock.ts';

/** A source of the current time. */
export type Clock = () => Date;

/** The process's clock: the wall clock, or simulated time on a `clock: virtual` rig. */
export const systemClock: Clock = () => clock.date();

/** Formats a time as local 'YYYY-MM-DD hh:mm:ss', the way the terminal shows and prints it. */
export { localDateTime as formatLocalDateTime } from '../../protocols/domain/time.ts';
