// Evidence pictures rendered in Debian's headless Chromium: the display (Chinese and English) and a receipt with its
// reprint come out as PNGs of plausible size; unchanged content comes from the cache; Chinese is drawn with the
// Noto CJK fonts, not tofu; a card number never reaches a picture; a missing Chromium is a PictureError.
// One browser for the whole file, closed in `after`; the renderer borrows it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { findPansInText } from '../../reporting/panForms.ts';
import { displayPage } from '../../reporting/pictures/displayPage.ts';
import {
  launchOptions,
  type Picture,
  PictureError,
  PictureRenderer,
} from '../../reporting/pictures/pictureRenderer.ts';
import { PanInPicture } from '../../reporting/pictures/pictureText.ts';
import { REPRINT_STAMP, type ReceiptPrint, receiptPage } from '../../reporting/pictures/receiptPage.ts';
import { writeSamples } from '../../reporting/pictures/samples.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk (after the signature and the chunk's length). */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const ZH_APPROVED = ['交易成功', '金额: ¥100.00', '卡号: 622848******4890'];
const EN_APPROVED = ['APPROVED', 'AMOUNT: ¥100.00', 'CARD: 622848******4890'];
const RECEIPT_LINES = [
  'POS签购单',
  '商户名称: POSRIG 测试商户',
  '商户编号: 898310048160001',
  '终端编号: T0000001',
  '卡号: 622848*********0018',
  '刷卡方式: 磁条',
  '交易类型: 消费/SALE',
  '金额: ¥100.00',
  '日期时间: 2026-12-02 03:07:54',
  '凭证号(STAN): 000001',
  '参考号(RRN): 633603000001',
  '授权码: 048272',
  '持卡人存根',
];
const RECEIPT: ReceiptPrint = { copy: 'cardholder', reprint: false, lines: RECEIPT_LINES };
const REPRINT: ReceiptPrint = {
  copy: 'cardholder',
  reprint: true,
  lines: [RECEIPT_LINES[0] ?? '', '重打印凭证', ...RECEIPT_LINES.slice(1, -1), '重打印凭证', '持卡人存根'],
};

describe('evidence pictures in Chromium', () => {
  let browser: Browser;
  let pictures: PictureRenderer;
  const folder = mkdtempSync(path.join(tmpdir(), 'posrig-pictures-'));

  before(async () => {
    browser = await chromium.launch(launchOptions());
    pictures = new PictureRenderer({ browser });
  });
  after(async () => {
    await pictures?.close();
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('a Chinese and an English display are PNGs of a terminal screen', async () => {
    const zh = await pictures.display(ZH_APPROVED);
    const en = await pictures.display(EN_APPROVED);
    for (const picture of [zh, en]) {
      const { width, height } = pngSize(picture.png);
      assert.ok(width >= 300 && width <= 500, `width ${width}`);
      assert.ok(height >= 150 && height <= 400 && height < width, `height ${height}`);
      assert.equal(picture.fresh, true);
    }
    assert.equal(zh.source, ZH_APPROVED.join('\n'));
    assert.equal(en.source, EN_APPROVED.join('\n'));
    assert.deepEqual(pngSize(zh.png), pngSize(en.png), 'a fixed-size screen');
    assert.ok(!zh.png.equals(en.png), 'different text, different picture');
  });

  test('the same display again comes from the cache; a changed one is rendered', async () => {
    const lines = ['请刷卡/插卡/挥卡', '金额: ¥12.34'];
    const first = await pictures.display(lines);
    const before = pictures.stats;
    const again = await pictures.display([...lines]);
    assert.equal(first.fresh, true);
    assert.equal(again.fresh, false);
    assert.ok(again.png.equals(first.png));
    assert.deepEqual(pictures.stats, { rendered: before.rendered, cached: before.cached + 1 });
    const changed = await pictures.display(['请刷卡/插卡/挥卡', '金额: ¥12.35']);
    assert.equal(changed.fresh, true);
    assert.equal(pictures.stats.rendered, before.rendered + 1);
  });

  test('pictures asked for at once are all rendered, in turn, each content once', async () => {
    const screens = [['处理中...'], ['请输入密码'], ['交易失败', '余额不足'], ['处理中...'], ['请输入密码']];
    const before = pictures.stats.rendered;
    const shots = await Promise.all(screens.map((lines) => pictures.display(lines)));
    assert.deepEqual(
      shots.map((s) => s.fresh),
      [true, true, true, false, false],
    );
    assert.equal(pictures.stats.rendered, before + 3);
    assert.ok(shots[3]?.png.equals(shots[0]?.png ?? Buffer.alloc(0)));
    for (const shot of shots) pngSize(shot.png);
  });

  test('a receipt and its reprint are tall narrow paper; the reprint carries the mark', async () => {
    const receipt = await pictures.receipt(RECEIPT);
    const reprint = await pictures.receipt(REPRINT);
    const paper = pngSize(receipt.png);
    const reprinted = pngSize(reprint.png);
    assert.ok(paper.width >= 250 && paper.width <= 420, `width ${paper.width}`);
    assert.ok(paper.height > paper.width, `height ${paper.height}`);
    assert.equal(reprinted.width, paper.width);
    assert.ok(reprinted.height > paper.height, 'the stamp and the duplicate lines add height');
    assert.equal(receipt.source, ['cardholder copy', ...RECEIPT_LINES].join('\n'));
    assert.ok(!receipt.source.includes(REPRINT_STAMP));
    assert.ok(reprint.source.startsWith(`cardholder copy · ${REPRINT_STAMP}\n`));
    assert.match(reprint.source, /重打印凭证/);
    assert.match(receiptPage(REPRINT), /<div class="stamp">REPRINT \/ 重打印<\/div>/);
    assert.equal((await pictures.receipt(REPRINT)).fresh, false);
    assert.equal((await pictures.receipt({ ...REPRINT, copy: 'merchant' })).fresh, true, 'another copy');
  });

  test('Chinese is drawn with a Noto CJK font, laid out wide, not as tofu', async () => {
    const page = await browser.newPage();
    try {
      await page.setContent(displayPage(['交易成功']));
      const line = page.locator('.line').first();
      const measured = await line.evaluate((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return {
          width: range.getBoundingClientRect().width,
          notoSc: document.fonts.check('16px "Noto Sans CJK SC"', '交易成功'),
        };
      });
      assert.ok(measured.width > 4 * 10, `交易成功 is ${measured.width}px wide`);
      assert.equal(measured.notoSc, true);
      const cdp = await page.context().newCDPSession(page);
      const { root } = await cdp.send('DOM.getDocument');
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '.line' });
      await cdp.send('CSS.enable');
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      assert.deepEqual(
        fonts.map((f) => [f.familyName, f.glyphCount]),
        [['Noto Sans Mono CJK SC', 4]],
      );
    } finally {
      await page.close();
    }
  });

  test('a card number, plain or grouped, never reaches a picture: masked, or refused before rendering', async () => {
    const plain = await pictures.display(['卡号: 4111111111111111']);
    assert.equal(plain.source, '卡号: 411111******1111');
    const asked = [
      () => pictures.display(['交易成功', '卡号: 4111 1111 1111 1111']),
      () => pictures.receipt({ ...RECEIPT, lines: ['卡号: 6228-4804-0256-4890-018'] }),
    ];
    for (const ask of asked) {
      const before = pictures.stats;
      const outcome = await ask().then(
        (picture) => picture,
        (error: unknown) => error,
      );
      if (outcome instanceof PanInPicture) {
        assert.match(outcome.message, /^card number (411111\*{6}1111|622848\*{9}0018) \((spaced|dashed)\)/);
        assert.deepEqual(pictures.stats, before, 'refused: nothing rendered');
        continue;
      }
      assert.ok(!(outcome instanceof Error), String(outcome));
      const { source } = outcome as Picture;
      assert.deepEqual(findPansInText(source), [], source);
      assert.match(source, /卡号: (4111 11\*\* \*{4} 1111|6228-48\*\*-\*{4}-\*{3}0-018)/);
    }
  });

  test('the cache keeps the most recent pictures only', async () => {
    const small = new PictureRenderer({ browser, cacheSize: 2 });
    try {
      assert.equal((await small.display(['A'])).fresh, true);
      assert.equal((await small.display(['B'])).fresh, true);
      assert.equal((await small.display(['A'])).fresh, false, 'A is now the most recent');
      assert.equal((await small.display(['C'])).fresh, true, 'B dropped');
      assert.equal((await small.display(['B'])).fresh, true);
      assert.equal((await small.display(['C'])).fresh, false);
    } finally {
      await small.close();
    }
    assert.equal(browser.isConnected(), true, 'a borrowed browser is left open');
    await assert.rejects(small.display(['D']), { name: 'PictureError', message: /renderer is closed/ });
  });

  test('start() opens the one page ahead of the first picture, once', async () => {
    const early = new PictureRenderer({ browser });
    const contexts = browser.contexts().length;
    try {
      await Promise.all([early.start(), early.start()]);
      assert.equal(browser.contexts().length, contexts + 1, 'one page, in a context of its own');
      assert.equal((await early.display(['请刷卡'])).fresh, true);
      assert.equal(browser.contexts().length, contexts + 1, 'the first picture reused it');
    } finally {
      await early.close();
    }
    assert.equal(browser.contexts().length, contexts, 'closed with the renderer');
  });

  test('no Chromium where it is looked for: a PictureError saying where and what to install', async () => {
    const missing = new PictureRenderer({ launch: launchOptions({ POSRIG_CHROMIUM: '/nonexistent/chromium' }) });
    const where = /^cannot start Chromium at \/nonexistent\/chromium: .+ \(apt-get install chromium\)$/;
    await assert.rejects(missing.start(), { name: 'PictureError', message: where });
    await assert.rejects(missing.display(['交易成功']), (error: unknown) => {
      assert.ok(error instanceof PictureError);
      assert.match(error.message, where);
      return true;
    });
    await missing.close();
    assert.equal(launchOptions({}).executablePath, '/usr/bin/chromium');
    assert.equal(launchOptions({ POSRIG_CHROMIUM: '/opt/chromium' }).executablePath, '/opt/chromium');
  });

  test('the docs samples are written as small PNGs', async () => {
    const files = await writeSamples(folder, pictures);
    assert.deepEqual(
      files.map((f) => path.basename(f)),
      ['display-zh.png', 'receipt-reprint.png'],
    );
    for (const file of files) {
      pngSize(readFileSync(file));
      assert.ok(statSync(file).size < 100_000, `${file} is ${statSync(file).size} bytes`);
    }
  });
});
