// What the simulated terminal shows, says and prints, per language. Every text the firmware produces comes from here;
// the meanings the step vocabulary checks come from the one reference table (protocols/ecr/referenceTexts.ts), and a
// terminal configured with text overrides (a text profile) speaks those instead.
//   responseText('zh-CN', '51') → '余额不足'
//   prompt('en', 'presentCard') → 'PRESENT CARD'
//   prompt({ language: 'zh-CN', texts: { approved: '已支付' } }, 'approved') → '已支付'

import {
  displayText,
  type Meaning,
  RESPONSE_TEXTS as REFERENCE_RESPONSE_TEXTS,
  RESPONSE_MEANINGS,
  responseDisplayText,
  TEXT_LANGUAGES,
  type TextLanguage,
  type TextOverrides,
  type VoiceMeaning,
  voiceText,
} from '../../protocols/ecr/referenceTexts.ts';

export type { TextOverrides } from '../../protocols/ecr/referenceTexts.ts';

export type Language = TextLanguage;

export const LANGUAGES: readonly Language[] = TEXT_LANGUAGES;

/** A language, or a language with the texts a terminal words its own way (its config's `texts`). */
export type TextSource = Language | { readonly language: Language; readonly texts?: TextOverrides | undefined };

function languageOf(source: TextSource): Language {
  return typeof source === 'string' ? source : source.language;
}

function overridesOf(source: TextSource): TextOverrides | undefined {
  return typeof source === 'string' ? undefined : source.texts;
}

/** Builds a per-language table from one function of the language. */
function perLanguage<T>(build: (language: Language) => T): Readonly<Record<Language, T>> {
  return { 'zh-CN': build('zh-CN'), en: build('en') };
}

const RESPONSE_CODES_SHOWN = [...Object.keys(RESPONSE_MEANINGS), ...Object.keys(REFERENCE_RESPONSE_TEXTS)].sort();

/** Display text per ISO 8583 response code (DE39): the reference texts. */
export const RESPONSE_TEXTS: Readonly<Record<Language, Readonly<Record<string, string>>>> = perLanguage((language) =>
  Object.fromEntries(RESPONSE_CODES_SHOWN.map((code) => [code, responseDisplayText(language, code) ?? ''])),
);

/** The prompts that are a meaning of the reference table, and which (the printer jam is `jam` here). */
const PROMPT_MEANINGS = {
  presentCard: 'presentCard',
  enterPin: 'enterPin',
  approved: 'approved',
  declined: 'declined',
  cancelled: 'cancelled',
  timeout: 'timeout',
  hostUnreachable: 'hostUnreachable',
  connectionLost: 'connectionLost',
  badResponse: 'badResponse',
  wrongPin: 'wrongPin',
  reversalPending: 'reversalPending',
  paperOut: 'paperOut',
  jam: 'printerJam',
} as const satisfies Readonly<Record<string, Meaning>>;

/** The simulated terminal's own prompts, which no scenario checks by meaning. */
type OwnPromptKey =
  | 'welcome'
  | 'processing'
  | 'cardReadError'
  | 'presentAgain'
  | 'pinTooShort'
  | 'fixPrinter'
  | 'amount'
  | 'responseCode';

const OWN_PROMPTS: Readonly<Record<Language, Readonly<Record<OwnPromptKey, string>>>> = {
  'zh-CN': {
    welcome: '欢迎使用',
    processing: '处理中...',
    cardReadError: '读卡失败',
    presentAgain: '请重新刷卡',
    pinTooShort: '密码长度不足',
    fixPrinter: '请处理后重打印',
    amount: '金额: ',
    responseCode: '响应码: ',
  },
  en: {
    welcome: 'WELCOME',
    processing: 'PROCESSING...',
    cardReadError: 'CARD READ ERROR',
    presentAgain: 'PRESENT CARD AGAIN',
    pinTooShort: 'PIN TOO SHORT',
    fixPrinter: 'FIX PRINTER, THEN REPRINT',
    amount: 'AMOUNT: ',
    responseCode: 'RESPONSE CODE: ',
  },
};

/** Display lines and situations that are not a response code: a meaning of the reference table, or the terminal's own. */
export type PromptKey = keyof typeof PROMPT_MEANINGS | OwnPromptKey;

const PROMPT_KEYS = [...Object.keys(PROMPT_MEANINGS), ...Object.keys(OWN_PROMPTS.en)] as readonly PromptKey[];

function isMeaningPrompt(key: PromptKey): key is keyof typeof PROMPT_MEANINGS {
  return Object.hasOwn(PROMPT_MEANINGS, key);
}

/** A prompt's text: its meaning's (overridden or reference), or the terminal's own. */
function promptText(language: Language, key: PromptKey, overrides?: TextOverrides): string {
  return isMeaningPrompt(key) ? displayText(language, PROMPT_MEANINGS[key], overrides) : OWN_PROMPTS[language][key];
}

export const PROMPTS: Readonly<Record<Language, Readonly<Record<PromptKey, string>>>> = perLanguage(
  (language) =>
    Object.fromEntries(PROMPT_KEYS.map((key) => [key, promptText(language, key)])) as Record<PromptKey, string>,
);

/** The voice prompts (what the terminal's speaker says), and the meaning each says (the printer jam is `jam` here). */
const VOICE_MEANING = {
  presentCard: 'presentCard',
  enterPin: 'enterPin',
  approved: 'approved',
  declined: 'declined',
  wrongPin: 'wrongPin',
  paperOut: 'paperOut',
  jam: 'printerJam',
} as const satisfies Readonly<Record<string, VoiceMeaning>>;

/** Voice prompts (what the terminal's speaker says). */
export type VoiceKey = keyof typeof VOICE_MEANING;

export const VOICE: Readonly<Record<Language, Readonly<Record<VoiceKey, string>>>> = perLanguage(
  (language) =>
    Object.fromEntries(
      Object.entries(VOICE_MEANING).map(([key, meaning]) => [key, voiceText(language, meaning)]),
    ) as Record<VoiceKey, string>,
);

/** Receipt labels and fixed lines. */
export type ReceiptKey =
  | 'title'
  | 'merchantName'
  | 'mid'
  | 'tid'
  | 'cardNumber'
  | 'entryMode'
  | 'transType'
  | 'sale'
  | 'refund'
  | 'amount'
  | 'dateTime'
  | 'stan'
  | 'rrn'
  | 'authCode'
  | 'merchantCopy'
  | 'cardholderCopy'
  | 'duplicate'
  | 'swipe'
  | 'chip'
  | 'tap'
  | 'qr';

export const RECEIPT_TEXTS: Readonly<Record<Language, Readonly<Record<ReceiptKey, string>>>> = {
  'zh-CN': {
    title: 'POS签购单',
    merchantName: '商户名称: ',
    mid: '商户编号: ',
    tid: '终端编号: ',
    cardNumber: '卡号: ',
    entryMode: '刷卡方式: ',
    transType: '交易类型: ',
    sale: '消费/SALE',
    refund: '退货/REFUND',
    amount: '金额: ',
    dateTime: '日期时间: ',
    stan: '凭证号(STAN): ',
    rrn: '参考号(RRN): ',
    authCode: '授权码: ',
    merchantCopy: '商户存根',
    cardholderCopy: '持卡人存根',
    duplicate: displayText('zh-CN', 'reprintMark'),
    swipe: '磁条',
    chip: '插卡',
    tap: '挥卡',
    qr: '扫码',
  },
  en: {
    title: 'SALES SLIP',
    merchantName: 'MERCHANT: ',
    mid: 'MID: ',
    tid: 'TID: ',
    cardNumber: 'CARD NO: ',
    entryMode: 'ENTRY: ',
    transType: 'TYPE: ',
    sale: 'SALE',
    refund: 'REFUND',
    amount: 'AMOUNT: ',
    dateTime: 'DATE/TIME: ',
    stan: 'STAN: ',
    rrn: 'RRN: ',
    authCode: 'AUTH CODE: ',
    merchantCopy: 'MERCHANT COPY',
    cardholderCopy: 'CARDHOLDER COPY',
    duplicate: displayText('en', 'reprintMark'),
    swipe: 'SWIPE',
    chip: 'CHIP',
    tap: 'CONTACTLESS',
    qr: 'QR',
  },
};

/** The display text for a response code; unknown codes fall back to the generic decline text with the code. */
export function responseText(source: TextSource, code: string): string {
  const language = languageOf(source);
  const overrides = overridesOf(source);
  return responseDisplayText(language, code, overrides) ?? `${displayText(language, 'declined', overrides)} (${code})`;
}

/** A display text for a situation. */
export function prompt(source: TextSource, key: PromptKey): string {
  return promptText(languageOf(source), key, overridesOf(source));
}

/** A voice prompt. */
export function voice(source: TextSource, key: VoiceKey): string {
  return voiceText(languageOf(source), VOICE_MEANING[key], overridesOf(source));
}

/** A receipt label or fixed receipt line (the reprint mark: its meaning's text). */
export function receiptText(source: TextSource, key: ReceiptKey): string {
  const language = languageOf(source);
  if (key === 'duplicate') return displayText(language, 'reprintMark', overridesOf(source));
  return RECEIPT_TEXTS[language][key];
}

/** True when the value is a language the terminal has texts for. */
export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}
