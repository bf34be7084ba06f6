// Seeded firmware defects: switched on from the rig file to prove the suite catches each one. Clean firmware has none.
//   const defects = defectSet(['double-print']); defects.has('double-print') → true
// Each defect is checked at one decision point (onlinePhase.ts, firmware.ts printing, the reversal store choice).

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
} as const;

export type Defect = keyof typeof DEFECT_DESCRIPTIONS;

/** The defect names, in table order. */
export const DEFECTS: readonly Defect[] = Object.keys(DEFECT_DESCRIPTIONS) as Defect[];

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
