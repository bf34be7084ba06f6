// Date/time fields: DE7 transmission date and time (UTC), DE12/DE13 local transaction time and date (process time zone).

const two = (n: number): string => String(n).padStart(2, '0');

/** DE7 MMDDhhmmss in UTC. */
export function transmissionDateTime(d: Date): string {
  return `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
}

/** DE12 hhmmss in the process's local time zone (TZ). */
export function localTime(d: Date): string {
  return `${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
}

/** DE13 MMDD in the process's local time zone (TZ). */
export function localDate(d: Date): string {
  return `${two(d.getMonth() + 1)}${two(d.getDate())}`;
}
