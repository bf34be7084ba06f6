// Writes the sample pictures the docs show: a Chinese approval screen and a reprinted Chinese cardholder receipt.
//   node --import tsx reporting/pictures/samples.ts docs/images
//     → docs/images/display-zh.png, docs/images/receipt-reprint.png

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PictureRenderer } from './pictureRenderer.ts';
import type { ReceiptPrint } from './receiptPage.ts';

/** What the simulated terminal shows after an approved sale (the card number as a terminal would show it, masked). */
export const SAMPLE_DISPLAY: readonly string[] = [
  '交易成功',
  '金额: ¥100.00',
  '卡号: 622848******4890',
  '参考号: 633603000001',
  '2026-12-02 03:07:54',
];

/** The cardholder copy the simulated terminal reprints (`reprint` command), card number given clear: it is masked. */
export const SAMPLE_REPRINT: ReceiptPrint = {
  copy: 'cardholder',
  reprint: true,
  lines: [
    'POS签购单',
    '重打印凭证',
    '商户名称: POSRIG 测试商户',
    '商户编号: 898310048160001',
    '终端编号: T0000001',
    '卡号: 6228480402564890018',
    '刷卡方式: 磁条',
    '交易类型: 消费/SALE',
    '金额: ¥100.00',
    '日期时间: 2026-12-02 03:07:54',
    '凭证号(STAN): 000001',
    '参考号(RRN): 633603000001',
    '授权码: 048272',
    '重打印凭证',
    '持卡人存根',
  ],
};

/** Renders the samples into a folder; returns the files written. */
export async function writeSamples(folder: string, pictures = new PictureRenderer()): Promise<string[]> {
  mkdirSync(folder, { recursive: true });
  const files: [string, Buffer][] = [
    ['display-zh.png', (await pictures.display(SAMPLE_DISPLAY)).png],
    ['receipt-reprint.png', (await pictures.receipt(SAMPLE_REPRINT)).png],
  ];
  return files.map(([name, png]) => {
    const file = path.join(folder, name);
    writeFileSync(file, png);
    return file;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const folder = process.argv[2] ?? 'docs/images';
  const pictures = new PictureRenderer();
  try {
    for (const file of await writeSamples(folder, pictures)) console.log(file);
  } finally {
    await pictures.close();
  }
}
