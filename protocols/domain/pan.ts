// Card numbers (PANs): one masking rule for every log, report and display outside the simulated bank.
//   maskPan('4111111111111111') → '411111******1111'
//   maskPansIn('card 4111111111111111 ok') → 'card 411111******1111 ok'

/** Masks a PAN to first 6 and last 4 digits; anything too short to keep those is fully masked. */
export function maskPan(pan: string): string {
  if (pan.length < 13) return '*'.repeat(pan.length);
  return `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`;
}

/** True when the digit string passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const PAN_CANDIDATE = /(?<!\d)\d{13,19}(?!\d)/g;

/** Masks every Luhn-valid 13–19 digit run in free text (logs, traces, reports). */
export function maskPansIn(text: string): string {
  return text.replace(PAN_CANDIDATE, (digits) =>
    luhnValid(digits) && !/^0+$/.test(digits) ? maskPan(digits) : digits,
  );
}

/** The unmasked Luhn-valid 13–19 digit runs in a text: what a report scan must never find. */
export function findUnmaskedPans(text: string): string[] {
  return [...text.matchAll(PAN_CANDIDATE)].map((m) => m[0]).filter((d) => luhnValid(d) && !/^0+$/.test(d));
}
