// Reference numbers the simulated acquirer hands out.
//   retrievalReference(new Date('2025-03-04T10:00:00Z'), 42) → '506310000042'  (Y DDD hh + 6-digit sequence)
//   approvalCode(42) → a 6-digit code

/** A 12-digit RRN: last digit of the year, day of year, UTC hour, then a 6-digit sequence (wraps at 1 000 000). */
export function retrievalReference(at: Date, sequence: number): string {
  const startOfYear = Date.UTC(at.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((at.getTime() - startOfYear) / 86_400_000) + 1;
  const year = String(at.getUTCFullYear() % 10);
  const day = String(dayOfYear).padStart(3, '0');
  const hour = String(at.getUTCHours()).padStart(2, '0');
  return `${year}${day}${hour}${String(sequence % 1_000_000).padStart(6, '0')}`;
}

/** A 6-digit authorization code derived from a sequence number (never '000000'). */
export function approvalCode(sequence: number): string {
  const code = ((sequence * 48_271) % 999_999) + 1;
  return String(code).padStart(6, '0');
}
