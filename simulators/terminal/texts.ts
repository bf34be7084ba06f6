// What the simulated terminal shows, says and prints, per language. Every text the firmware produces comes from here.
//   responseText('zh-CN', '51') → '余额不足'
//   prompt('en', 'presentCard') → 'PRESENT CARD'

export type Language = 'zh-CN' | 'en';

export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

/** Display text per ISO 8583 response code (DE39). */
export const RESPONSE_TEXTS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  'zh-CN': {
    '00': '交易成功',
    '05': '交易被拒绝',
    '14': '无效卡',
    '25': '原交易不存在',
    '51': '余额不足',
    '54': '卡已过期',
    '55': '密码错误，请重新输入',
    '61': '超出金额限制',
    '75': '密码错误次数超限',
    '91': '发卡行不可用',
    '94': '重复交易',
    '96': '系统故障',
    '98': '主机应答超时',
  },
  en: {
    '00': 'APPROVED',
    '05': 'DO NOT HONOUR',
    '14': 'INVALID CARD',
    '25': 'ORIGINAL NOT FOUND',
    '51': 'INSUFFICIENT FUNDS',
    '54': 'EXPIRED CARD',
    '55': 'WRONG PIN, TRY AGAIN',
    '61': 'EXCEEDS AMOUNT LIMIT',
    '75': 'PIN TRIES EXCEEDED',
    '91': 'ISSUER UNAVAILABLE',
    '94': 'DUPLICATE TRANSACTION',
    '96': 'SYSTEM MALFUNCTION',
    '98': 'NO HOST RESPONSE',
  },
};

/** Display lines and situations that are not a response code. */
export type PromptKey =
  | 'welcome'
  | 'presentCard'
  | 'enterPin'
  | 'processing'
  | 'approved'
  | 'declined'
  | 'cancelled'
  | 'timeout'
  | 'hostUnreachable'
  | 'connectionLost'
  | 'badResponse'
  | 'cardReadError'
  | 'presentAgain'
  | 'pinTooShort'
  | 'wrongPin'
  | 'reversalPending'
  | 'paperOut'
  | 'jam'
  | 'fixPrinter'
  | 'amount'
  | 'responseCode';

export const PROMPTS: Readonly<Record<Language, Readonly<Record<PromptKey, string>>>> = {
  'zh-CN': {
    welcome: '欢迎使用',
    presentCard: '请刷卡/插卡/挥卡',
    enterPin: '请输入密码',
    processing: '处理中...',
    approved: '交易成功',
    declined: '交易失败',
    cancelled: '交易已取消',
    timeout: '交易超时',
    hostUnreachable: '无法连接主机',
    connectionLost: '通讯中断',
    badResponse: '应答报文错误',
    cardReadError: '读卡失败',
    presentAgain: '请重新刷卡',
    pinTooShort: '密码长度不足',
    wrongPin: '密码错误，请重新输入',
    reversalPending: '冲正未完成',
    paperOut: '打印机缺纸',
    jam: '打印机卡纸',
    fixPrinter: '请处理后重打印',
    amount: '金额: ',
    responseCode: '响应码: ',
  },
  en: {
    welcome: 'WELCOME',
    presentCard: 'PRESENT CARD',
    enterPin: 'ENTER PIN',
    processing: 'PROCESSING...',
    approved: 'APPROVED',
    declined: 'DECLINED',
    cancelled: 'CANCELLED',
    timeout: 'HOST TIMEOUT',
    hostUnreachable: 'HOST UNREACHABLE',
    connectionLost: 'CONNECTION LOST',
    badResponse: 'BAD HOST RESPONSE',
    cardReadError: 'CARD READ ERROR',
    presentAgain: 'PRESENT CARD AGAIN',
    pinTooShort: 'PIN TOO SHORT',
    wrongPin: 'WRONG PIN, TRY AGAIN',
    reversalPending: 'REVERSAL PENDING',
    paperOut: 'PRINTER OUT OF PAPER',
    jam: 'PRINTER JAM',
    fixPrinter: 'FIX PRINTER, THEN REPRINT',
    amount: 'AMOUNT: ',
    responseCode: 'RESPONSE CODE: ',
  },
};

/** Voice prompts (what the terminal's speaker says). */
export type VoiceKey = 'presentCard' | 'enterPin' | 'approved' | 'declined' | 'wrongPin' | 'paperOut' | 'jam';

export const VOICE: Readonly<Record<Language, Readonly<Record<VoiceKey, string>>>> = {
  'zh-CN': {
    presentCard: '请刷卡',
    enterPin: '请输入密码',
    approved: '交易成功',
    declined: '交易失败',
    wrongPin: '密码错误',
    paperOut: '打印机缺纸',
    jam: '打印机卡纸',
  },
  en: {
    presentCard: 'PLEASE PRESENT CARD',
    enterPin: 'PLEASE ENTER PIN',
    approved: 'APPROVED',
    declined: 'DECLINED',
    wrongPin: 'WRONG PIN',
    paperOut: 'PRINTER OUT OF PAPER',
    jam: 'PRINTER JAM',
  },
};

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
    duplicate: '重打印凭证',
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
    duplicate: 'DUPLICATE',
    swipe: 'SWIPE',
    chip: 'CHIP',
    tap: 'CONTACTLESS',
    qr: 'QR',
  },
};

/** The display text for a response code; unknown codes fall back to the generic decline text with the code. */
export function responseText(language: Language, code: string): string {
  return RESPONSE_TEXTS[language][code] ?? `${PROMPTS[language].declined} (${code})`;
}

/** A display text for a situation. */
export function prompt(language: Language, key: PromptKey): string {
  return PROMPTS[language][key];
}

/** A voice prompt. */
export function voice(language: Language, key: VoiceKey): string {
  return VOICE[language][key];
}

/** A receipt label or fixed receipt line. */
export function receiptText(language: Language, key: ReceiptKey): string {
  return RECEIPT_TEXTS[language][key];
}

/** True when the value is a language the terminal has texts for. */
export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}
