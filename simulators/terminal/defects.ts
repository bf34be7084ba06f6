// Seeded firmware defects: switched on from the rig file to prove the suite catches each one. Clean firmware has none.
//   const defects = defectSet(['double-print']); defects.has('double-print') → true
// Each defect is checked at one decision point: onlinePhase.ts (STAN, timeout and response handling, PIN retries),
// firmware.ts (what is shown, said and printed, the result's order and fields, info, the reprint, the wrong-PIN
// count), reversalSender.ts (the 0400 and its record while it is out),
// the reversal store choice (simulator.ts).

/** Every seeded defect, with what it breaks. */
export const DEFECT_DESCRIPTIONS = {
  'no-reversal-on-timeout': 'a response timeout stores and sends no reversal',
  'reversal-not-persisted': 'the pending reversal lives only in RAM and is lost at a power cut',
  'success-on-timeout': "a response timeout shows '交易成功' and reports approved, with no reversal",
  'receipt-on-decline': 'a declined transaction prints a cardholder receipt',
  'unmarked-reprint': 'reprints lack the 重打印凭证 / DUPLICATE mark and carry reprint=false',
  'double-print': 'the cardholder copy is printed twice, the second one not marked',
  'unlimited-pin-retries': 'response code 75 is treated like 55: the PIN is asked again',
  'stan-reused': 'the STAN counter does not advance',
  'late-response-accepted': 'the terminal waits past the response timeout and takes a late 0210: no reversal',
  // Rules that hold over a whole transaction (docs/protocol.md sections 10 and 15)
  'approval-before-host': "'交易成功' is shown and said as soon as the 0200 is sent, before the host answers",
  'result-before-receipts': 'the result is sent before the receipt copies are printed',
  'cardholder-copy-first': 'the cardholder copy is printed before the merchant copy',
  'timeout-reported-failed': 'a response timeout is reported with outcome failed (the reversal still goes out)',
  'wrong-pin-reversed': 'a request answered 55 (wrong PIN) is reversed',
  'reversal-de90-wrong': "the 0400's DE90 carries the 0400's own DE7 instead of the original's",
  'decline-said-approved': "a declined transaction says '交易成功'",
  // Invalid events (sections 6 and 11)
  'string-amount': 'the result carries its amount as a string',
  'clear-pan-in-result': 'the result carries the clear card number',
  // Never compared (section 9)
  'info-tid-wrong': 'info reports a TID other than the one the terminal sends as DE41',
  // Paths the suite never walked (section 15.2)
  'reversal-not-retried': 'a reversal whose 0410 never came is not retried',
  'sale-before-reversal': 'the next sale sends its 0200 without delivering the due reversal first',
  'mismatch-accepted': 'a 0210 whose DE4, DE11 or DE41 are not those sent is taken as the answer',
  'cancel-not-reversed': 'a sale cancelled while its request is out is not reversed',
  'reversal-before-sign-on': 'at power-up the stored reversals go out before the 0800 sign-on',
  // Orderings only (docs/protocol.md sections 8, 15.1, 15.3): each step alone is right, one order of them is not
  'reversal-lost-in-flight':
    'a reversal is taken off the non-volatile store while its 0400 is out: a power cut then loses it',
  'reprint-after-decline': 'after a declined sale, a reprint prints a receipt for the declined sale',
  'pin-count-kept':
    'the count of wrong PINs is not reset after an approval: the next sale stops asking after fewer than 3 wrong PINs',
  // The serial link (sections 4 and 5)
  'no-nak': 'damaged frames are dropped without a NAK',
  'duplicate-acted': 'a command received twice (same SEQ and payload) is acted on twice',
  // The serial link, provoked only by `posrig conformance` (docs/conformance.md): no feature scenario sends these bytes
  'link-no-crc-check': 'a frame with a bad CRC is taken as intact: ACKed and acted on',
  'link-slow-ack': 'ACKs go out 250 ms after the frame, over the 100 ms answer time',
  'link-nak-ignored': "a NAK of the terminal's frame is ignored: the frame goes again only after the ACK timeout",
  'link-no-retransmit': 'a frame the harness does not ACK is never sent again',
  'link-endless-retransmit': 'a frame the harness does not ACK is sent again and again, never given up after 4',
  'link-any-ack': 'an ACK naming any SEQ completes the frame in flight',
  'link-no-interbyte-timeout': 'a frame cut short is never NAKed: the terminal waits for the rest for ever',
  'link-accepts-oversize': 'a frame with LEN above 4096 is read to its end and ACKed instead of NAKed',
  'link-ignores-bad-json': 'a payload that is not JSON is ACKed and dropped without an error',
  'link-unknown-command-silent': 'a command of an unknown type is ACKed and dropped without error unsupported',
  'link-slow-info': 'info answers hello only after 2.2 s',
  'link-naks-noise': 'noise before a frame is answered with NAK 00',
  'link-any-protocol': 'hello in any protocol version is answered with info, never error unsupported-protocol',
} as const;

export type Defect = keyof typeof DEFECT_DESCRIPTIONS;

/** The defect names, in table order. */
export const DEFECTS: readonly Defect[] = Object.keys(DEFECT_DESCRIPTIONS) as Defect[];

/** The link defects only `posrig conformance` provokes (damaged, oversize, unanswered frames the features never send):
 * the feature self-check leaves them out, the conformance tests prove each fails the check meant for it. */
export const CONFORMANCE_DEFECTS = [
  'link-no-crc-check',
  'link-slow-ack',
  'link-nak-ignored',
  'link-no-retransmit',
  'link-endless-retransmit',
  'link-any-ack',
  'link-no-interbyte-timeout',
  'link-accepts-oversize',
  'link-ignores-bad-json',
  'link-unknown-command-silent',
  'link-slow-info',
  'link-naks-noise',
  'link-any-protocol',
] as const satisfies readonly Defect[];

export type ConformanceDefect = (typeof CONFORMANCE_DEFECTS)[number];

/** A defect some feature scenario catches (`npm run selfcheck`). */
export type FeatureDefect = Exclude<Defect, ConformanceDefect>;

/** The defects the feature self-check runs, in table order. */
export const FEATURE_DEFECTS: readonly FeatureDefect[] = DEFECTS.filter(
  (d): d is FeatureDefect => !(CONFORMANCE_DEFECTS as readonly Defect[]).includes(d),
);

/** The defects a firmware build has. */
export type DefectSet = ReadonlySet<Defect>;

/** True when the text names a seeded defect. */
export function isDefect(name: string): name is Defect {
  return Object.hasOwn(DEFECT_DESCRIPTIONS, name);
}

/** The set of defects switched on (an empty set is clean firmware). */
export function defectSet(defects: readonly Defect[] = []): DefectSet {
  return new Set(defects);
}
