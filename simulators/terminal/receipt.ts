// Receipts (签购单): merchant and cardholder copies of an approved transaction; reprints are marked DUPLICATE.
//   receiptLines(data, 'cardholder', 'zh-CN', true) → ['POS签购单', '重打印凭证', '商户名称: ...', ..., '持卡人存根']

import { formatMoneySymbol, type Money } from '../../protocols/domain/money.ts';
import { maskPan } from '../../protocols/domain/pan.ts';
import type { CardMethod } from '../../protocols/ecr/index.ts';
import { formatLocalDateTime } from './clock.ts';
import { receiptText, type TextSource } from './texts.ts';

export type ReceiptCopy = 'merchant' | 'cardholder';
export type TransactionKind = 'sale' | 'refund';

/** Everything a receipt prints. `pan` may be clear or masked: it is always printed masked. */
export interface ReceiptData {
  merchantName: string;
  mid: string;
  tid: string;
  pan: string;
  method: CardMethod;
  kind: TransactionKind;
  amount: Money;
  at: Date;
  stan: string;
  rrn: string;
  authCode: string;
}

/** The printed lines of one receipt copy; a reprint carries the duplicate mark right under the title. */
export function receiptLines(data: ReceiptData, copy: ReceiptCopy, language: TextSource, reprint = false): string[] {
  const t = (key: Parameters<typeof receiptText>[1]) => receiptText(language, key);
  const lines = [t('title')];
  if (reprint) lines.push(t('duplicate'));
  lines.push(
    `${t('merchantName')}${data.merchantName}`,
    `${t('mid')}${data.mid}`,
    `${t('tid')}${data.tid}`,
    `${t('cardNumber')}${maskPan(data.pan)}`,
    `${t('entryMode')}${t(data.method)}`,
    `${t('transType')}${t(data.kind)}`,
    `${t('amount')}${formatMoneySymbol(data.amount)}`,
    `${t('dateTime')}${formatLocalDateTime(data.at)}`,
    `${t('stan')}${data.stan}`,
    `${t('rrn')}${data.rrn}`,
    `${t('authCode')}${data.authCode}`,
  );
  if (reprint) lines.push(t('duplicate'));
  lines.push(t(copy === 'merchant' ? 'merchantCopy' : 'cardholderCopy'));
  return lines;
}
