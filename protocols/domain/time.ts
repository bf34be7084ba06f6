// Times as people read them in posrig's output: local time, one format everywhere (displays, receipts, logs).
//   localDateTime(new Date(2025, 0, 2, 3, 4, 5))     → '2025-01-02 03:04:05'
//   localTimeOfDay(new Date(2025, 0, 2, 3, 4, 5, 6))  → '03:04:05.006'

const two = (n: number) => String(n).padStart(2, '0');

/** Local 'YYYY-MM-DD hh:mm:ss', the way a terminal shows and prints it. */
export function localDateTime(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Local 'hh:mm:ss.mmm': the timestamp of every history, trace and fault-log line. */
export function localTimeOfDay(d: Date): string {
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
