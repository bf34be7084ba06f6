// The reference texts: what a terminal shows, says and prints for each meaning the step vocabulary checks, in zh-CN and
// en — the one table the simulated terminal speaks from and the rig's text profiles start from (docs/steps.md, "Text
// profiles"). A terminal that words a meaning its own way says so in a text profile (TextOverrides).
//   displayText('zh-CN', 'approved') → '交易成功';  displayText('zh-CN', 'approved', { approved: '已支付' }) → '已支付'
//   responseDisplayText('en', '51') → 'INSUFFICIENT FUNDS';  voiceText('zh-CN', 'presentCard') → '请刷卡'

import { z } from 'zod';

export type TextLanguage = 'zh-CN' | 'en';

export const TEXT_LANGUAGES: readonly TextLanguage[] = ['zh-CN', 'en'];

/** One text in every language, and what it means (for documents and error messages). */
export interface ReferenceText {
  readonly what: string;
  readonly 'zh-CN': string;
  readonly en: string;
}

/** The meanings a terminal displays (and prints: the reprint mark), by their text-profile key. */
export const MEANINGS = [
  'approved',
  'declined',
  'cancelled',
  'timeout',
  'hostUnreachable',
  'connectionLost',
  'badResponse',
  'reversalPending',
  'presentCard',
  'enterPin',
  'wrongPin',
  'pinTriesExceeded',
  'paperOut',
  'printerJam',
  'reprintMark',
] as const;

export type Meaning = (typeof MEANINGS)[number];

export const REFERENCE_TEXTS: Readonly<Record<Meaning, ReferenceText>> = {
  approved: { what: 'approved', 'zh-CN': '交易成功', en: 'APPROVED' },
  declined: { what: 'declined', 'zh-CN': '交易失败', en: 'DECLINED' },
  cancelled: { what: 'cancelled', 'zh-CN': '交易已取消', en: 'CANCELLED' },
  timeout: { what: 'no answer from the host in time', 'zh-CN': '交易超时', en: 'HOST TIMEOUT' },
  hostUnreachable: { what: 'host unreachable', 'zh-CN': '无法连接主机', en: 'HOST UNREACHABLE' },
  connectionLost: { what: 'connection to the host lost', 'zh-CN': '通讯中断', en: 'CONNECTION LOST' },
  badResponse: { what: 'an answer the terminal cannot use', 'zh-CN': '应答报文错误', en: 'BAD HOST RESPONSE' },
  reversalPending: { what: 'reversal pending', 'zh-CN': '冲正未完成', en: 'REVERSAL PENDING' },
  presentCard: { what: 'present card prompt', 'zh-CN': '请刷卡/插卡/挥卡', en: 'PRESENT CARD' },
  enterPin: { what: 'enter PIN prompt', 'zh-CN': '请输入密码', en: 'ENTER PIN' },
  wrongPin: { what: 'wrong PIN (DE39 55)', 'zh-CN': '密码错误，请重新输入', en: 'WRONG PIN, TRY AGAIN' },
  pinTriesExceeded: { what: 'PIN tries exceeded (DE39 75)', 'zh-CN': '密码错误次数超限', en: 'PIN TRIES EXCEEDED' },
  paperOut: { what: 'printer out of paper', 'zh-CN': '打印机缺纸', en: 'PRINTER OUT OF PAPER' },
  printerJam: { what: 'printer jam', 'zh-CN': '打印机卡纸', en: 'PRINTER JAM' },
  reprintMark: { what: 'the mark on a reprinted receipt', 'zh-CN': '重打印凭证', en: 'DUPLICATE' },
};

/** Response codes whose display is a meaning of its own: its text (and its profile key) is that meaning's. */
export const RESPONSE_MEANINGS: Readonly<Record<string, Meaning>> = {
  '00': 'approved',
  '55': 'wrongPin',
  '75': 'pinTriesExceeded',
};

/** What the terminal displays for the other DE39 response codes (a decline, shown above the declined text). */
export const RESPONSE_TEXTS: Readonly<Record<string, ReferenceText>> = {
  '05': { what: 'declined: do not honour (DE39 05)', 'zh-CN': '交易被拒绝', en: 'DO NOT HONOUR' },
  '14': { what: 'declined: invalid card (DE39 14)', 'zh-CN': '无效卡', en: 'INVALID CARD' },
  '25': { what: 'declined: original not found (DE39 25)', 'zh-CN': '原交易不存在', en: 'ORIGINAL NOT FOUND' },
  '51': { what: 'declined: insufficient funds (DE39 51)', 'zh-CN': '余额不足', en: 'INSUFFICIENT FUNDS' },
  '54': { what: 'declined: expired card (DE39 54)', 'zh-CN': '卡已过期', en: 'EXPIRED CARD' },
  '61': { what: 'declined: exceeds amount limit (DE39 61)', 'zh-CN': '超出金额限制', en: 'EXCEEDS AMOUNT LIMIT' },
  '91': { what: 'declined: issuer unavailable (DE39 91)', 'zh-CN': '发卡行不可用', en: 'ISSUER UNAVAILABLE' },
  '94': { what: 'declined: duplicate transaction (DE39 94)', 'zh-CN': '重复交易', en: 'DUPLICATE TRANSACTION' },
  '96': { what: 'declined: system malfunction (DE39 96)', 'zh-CN': '系统故障', en: 'SYSTEM MALFUNCTION' },
  '98': { what: 'declined: no host response (DE39 98)', 'zh-CN': '主机应答超时', en: 'NO HOST RESPONSE' },
};

/** The meanings the terminal also says (voice prompts). */
export const VOICE_MEANINGS = [
  'presentCard',
  'enterPin',
  'approved',
  'declined',
  'wrongPin',
  'paperOut',
  'printerJam',
] as const satisfies readonly Meaning[];

export type VoiceMeaning = (typeof VOICE_MEANINGS)[number];

export const REFERENCE_VOICE: Readonly<Record<VoiceMeaning, ReferenceText>> = {
  presentCard: { what: 'present card prompt, said', 'zh-CN': '请刷卡', en: 'PLEASE PRESENT CARD' },
  enterPin: { what: 'enter PIN prompt, said', 'zh-CN': '请输入密码', en: 'PLEASE ENTER PIN' },
  approved: { what: 'approved, said', 'zh-CN': '交易成功', en: 'APPROVED' },
  declined: { what: 'declined, said', 'zh-CN': '交易失败', en: 'DECLINED' },
  wrongPin: { what: 'wrong PIN, said', 'zh-CN': '密码错误', en: 'WRONG PIN' },
  paperOut: { what: 'printer out of paper, said', 'zh-CN': '打印机缺纸', en: 'PRINTER OUT OF PAPER' },
  printerJam: { what: 'printer jam, said', 'zh-CN': '打印机卡纸', en: 'PRINTER JAM' },
};

/** A strict mapping: an unknown key is refused with the list of known ones. */
function knownKeys<T extends z.core.$ZodLooseShape>(shape: T, what: string) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown ${what} ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${known})`
        : undefined,
  });
}

const Text = z.string().trim().min(1, 'a text cannot be empty');

/** The problem of a DE39 code as a key of `responses:`: two characters; 00, 55 and 75 have meanings of their own. */
function responseCodeProblem(code: string): string | undefined {
  if (!/^[0-9A-Z]{2}$/.test(code)) return `a response code (DE39) is two digits or capitals, e.g. "51", got "${code}"`;
  const meaning = RESPONSE_MEANINGS[code];
  return meaning && `response code ${code} is the meaning "${meaning}": write \`${meaning}:\` instead`;
}

const Responses = z.record(z.string(), Text).superRefine((responses, ctx) => {
  for (const code of Object.keys(responses)) {
    const message = responseCodeProblem(code);
    if (message) ctx.addIssue({ code: 'custom', path: [code], message });
  }
});

/**
 * What a terminal words differently from the reference texts of its language (a text profile's `texts:`), as plain
 * data: a meaning's display text; `responses` per DE39 code (not 00, 55, 75: those are approved, wrongPin and
 * pinTriesExceeded); `voice` for a meaning said differently than shown (else it is said as shown).
 */
export const TextOverridesSchema = knownKeys(
  {
    ...(Object.fromEntries(MEANINGS.map((m) => [m, Text.optional()])) as Record<Meaning, z.ZodOptional<typeof Text>>),
    responses: Responses.optional(),
    voice: knownKeys(
      Object.fromEntries(VOICE_MEANINGS.map((m) => [m, Text.optional()])) as Record<
        VoiceMeaning,
        z.ZodOptional<typeof Text>
      >,
      'voice meaning',
    ).optional(),
  },
  'meaning',
);

export type TextOverrides = z.output<typeof TextOverridesSchema>;

/** The first problem of text overrides handed over as data (a terminal config): its key path and what is wrong. */
export function textOverridesProblem(overrides: unknown): { key: string; message: string } | undefined {
  const result = TextOverridesSchema.safeParse(overrides);
  const issue = result.success ? undefined : result.error.issues[0];
  return issue && { key: issue.path.map(String).join('.'), message: issue.message };
}

/** The display text of a meaning. */
export function displayText(language: TextLanguage, meaning: Meaning, overrides?: TextOverrides): string {
  return overrides?.[meaning] ?? REFERENCE_TEXTS[meaning][language];
}

/** The display text of a DE39 response code; undefined for a code the table does not know (and no override). */
export function responseDisplayText(
  language: TextLanguage,
  code: string,
  overrides?: TextOverrides,
): string | undefined {
  const meaning = RESPONSE_MEANINGS[code];
  if (meaning) return displayText(language, meaning, overrides);
  return overrides?.responses?.[code] ?? RESPONSE_TEXTS[code]?.[language];
}

/** The voice text of a meaning: its own override, else its display override (said as shown), else the reference. */
export function voiceText(language: TextLanguage, meaning: VoiceMeaning, overrides?: TextOverrides): string {
  return overrides?.voice?.[meaning] ?? overrides?.[meaning] ?? REFERENCE_VOICE[meaning][language];
}

/** One row of the reference table: the text-profile key ('approved', 'responses.51', 'voice.approved') and its texts. */
export interface ReferenceRow extends ReferenceText {
  readonly key: string;
}

/** Every reference text, in the order docs/steps.md lists them. */
export function referenceRows(): ReferenceRow[] {
  return [
    ...MEANINGS.map((key) => ({ key, ...REFERENCE_TEXTS[key] })),
    ...Object.keys(RESPONSE_TEXTS)
      .sort()
      .map((code) => ({ key: `responses.${code}`, ...(RESPONSE_TEXTS[code] as ReferenceText) })),
    ...VOICE_MEANINGS.map((meaning) => ({ key: `voice.${meaning}`, ...REFERENCE_VOICE[meaning] })),
  ];
}
