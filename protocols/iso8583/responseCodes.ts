// ISO 8583 DE39 response codes posrig uses, with their standard meanings. One table for hosts, terminals and reports.

/** DE39 code → meaning. */
export const RESPONSE_CODES: Readonly<Record<string, string>> = Object.freeze({
  '00': 'Approved',
  '05': 'Do not honor',
  '14': 'Invalid card number',
  '25': 'Unable to locate original transaction',
  '51': 'Insufficient funds',
  '54': 'Expired card',
  '55': 'Incorrect PIN',
  '61': 'Exceeds withdrawal amount limit',
  '75': 'Allowable number of PIN tries exceeded',
  '91': 'Issuer or switch inoperative',
  '94': 'Duplicate transmission',
  '96': 'System malfunction',
  '98': 'Reversal: response not received (timeout)',
});

/** The meaning of a response code, or 'Unknown response code NN'. */
export function responseCodeText(code: string): string {
  return RESPONSE_CODES[code] ?? `Unknown response code ${code}`;
}
