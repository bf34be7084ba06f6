// Message type indicators: which response answers which request (the third digit, the message function, + 1).
//   responseMti('0200') → '0210';  responseMti('0800') → '0810';  responseMti('0210') → null

/** The response MTI of a request MTI; null for a response-class MTI (third digit odd) or one that is not 4 digits. */
export function responseMti(mti: string): string | null {
  if (!/^\d\d[02468]\d$/.test(mti)) return null;
  return `${mti.slice(0, 2)}${Number(mti[2]) + 1}${mti[3]}`;
}
