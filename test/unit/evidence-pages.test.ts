// The pages the evidence pictures are taken of: the terminal display and a receipt copy as HTML — lines escaped,
// card numbers masked (a number that masking would miss refused with PanInPicture), a reprint stamped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import { findPansInText } from '../../reporting/panForms.ts';
import { displayPage } from '../../reporting/pictures/displayPage.ts';
import { escapeHtml, PanInPicture, pictureLines } from '../../reporting/pictures/pictureText.ts';
import { REPRINT_STAMP, type ReceiptPrint, receiptPage } from '../../reporting/pictures/receiptPage.ts';

const VISA = '4111111111111111';
const UNIONPAY = '6228480402564890018';
const RECEIPT: ReceiptPrint = {
  copy: 'cardholder',
  reprint: false,
  lines: ['POS签购单', '卡号: 622848*********0018', '金额: ¥100.00', '凭证号(STAN): 000001', '持卡人存根'],
};

/** The text inside the page's line elements, in order. */
const linesOf = (html: string) => [...html.matchAll(/<div class="line">(.*?)<\/div>/g)].map((m) => m[1]);

describe('display page', () => {
  test('is a complete page showing each line, in CJK monospace fonts', () => {
    const html = displayPage(['交易成功', '金额: ¥100.00']);
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<meta charset="utf-8">/);
    assert.match(html, /<\/html>$/);
    assert.deepEqual(linesOf(html), ['交易成功', '金额: ¥100.00']);
    assert.match(html, /font-family: 'Noto Sans Mono CJK SC', 'Noto Sans CJK SC'/);
    assert.match(html, /id="picture"/);
  });

  test('escapes markup in the lines, and keeps an empty line as a line', () => {
    const html = displayPage(['<script>alert("x")</script>', '', "A&B 'q'"]);
    assert.deepEqual(linesOf(html), [
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
      '&nbsp;',
      'A&amp;B &#39;q&#39;',
    ]);
    assert.doesNotMatch(html, /<script>/);
  });

  test('masks a plain card number, leaving STANs, RRNs, dates and masked numbers as they are', () => {
    const html = displayPage([
      `卡号: ${VISA}`,
      `卡号${UNIONPAY}`,
      '参考号: 633603000001 000001',
      '2026-12-02 03:07:54',
    ]);
    assert.deepEqual(linesOf(html), [
      '卡号: 411111******1111',
      '卡号622848*********0018',
      '参考号: 633603000001 000001',
      '2026-12-02 03:07:54',
    ]);
    assert.ok(!html.includes(VISA) && !html.includes(UNIONPAY));
  });
});

describe('the PAN guard', () => {
  const noMasking = (text: string) => text;
  const GROUPED = ['卡号: 4111 1111 1111 1111', '卡号: 6228-4804-0256-4890-018'];

  test('the strict scan finds a card number in every written form a picture could show', () => {
    assert.deepEqual(findPansInText(GROUPED.join('\n')), [
      { pan: VISA, written: 'spaced' },
      { pan: UNIONPAY, written: 'dashed' },
    ]);
  });

  test('a grouped card number never reaches a page: masked, or refused with PanInPicture', () => {
    for (const line of GROUPED) {
      for (const page of [() => displayPage([line]), () => receiptPage({ ...RECEIPT, lines: [line] })]) {
        let html: string;
        try {
          html = page();
        } catch (error) {
          assert.ok(error instanceof PanInPicture, String(error));
          continue;
        }
        assert.deepEqual(findPansInText(html), [], html);
        assert.equal(linesOf(html)[0], maskPansIn(line));
        assert.match(linesOf(html)[0] ?? '', /\*/, 'masked');
      }
    }
  });

  test('a number that masking missed is refused, named masked, as a display', () => {
    assert.throws(
      () => pictureLines(['交易成功', GROUPED[0] ?? ''], 'display', noMasking),
      (error: unknown) =>
        error instanceof PanInPicture &&
        error.kind === 'display' &&
        error.masked === '411111******1111' &&
        error.message === 'card number 411111******1111 (spaced) would be drawn in a display picture: not rendered',
    );
  });

  test('a number that masking missed is refused, named masked, as a receipt', () => {
    assert.throws(() => pictureLines([GROUPED[1] ?? ''], 'receipt', noMasking), {
      name: 'PanInPicture',
      message: 'card number 622848*********0018 (dashed) would be drawn in a receipt picture: not rendered',
    });
    assert.throws(() => pictureLines([`卡号${VISA}`], 'receipt', noMasking), { message: /411111\*{6}1111 \(digits\)/ });
  });

  test('pictureLines returns the masked lines when nothing readable is left', () => {
    assert.deepEqual(pictureLines([`${VISA} ok`, '000001', '622848******4890'], 'receipt'), [
      '411111******1111 ok',
      '000001',
      '622848******4890',
    ]);
  });

  test('escapeHtml escapes the five HTML specials and nothing else', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a> 交易`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; 交易');
  });
});

describe('receipt page', () => {
  test('shows the copy name and the lines, with no stamp when it is not a reprint', () => {
    const html = receiptPage(RECEIPT);
    assert.deepEqual(linesOf(html), RECEIPT.lines);
    assert.match(html, /data-copy="cardholder" data-reprint="false"/);
    assert.match(html, /<div class="caption">cardholder copy<\/div>/);
    assert.ok(!html.includes(REPRINT_STAMP));
    assert.doesNotMatch(html, /class="stamp"/);
  });

  test('a reprint carries the REPRINT / 重打印 stamp beside its own lines', () => {
    const lines = ['POS签购单', '重打印凭证', ...RECEIPT.lines.slice(1)];
    const html = receiptPage({ copy: 'merchant', reprint: true, lines });
    assert.equal(REPRINT_STAMP, 'REPRINT / 重打印');
    assert.match(html, /data-copy="merchant" data-reprint="true"/);
    assert.match(html, /<div class="stamp">REPRINT \/ 重打印<\/div>/);
    assert.match(html, /<div class="caption">merchant copy · REPRINT \/ 重打印<\/div>/);
    assert.deepEqual(linesOf(html), lines);
  });

  test('masks and escapes receipt lines as the display does', () => {
    const html = receiptPage({ copy: 'merchant', lines: [`卡号: ${VISA}`, '商户名称: A<B>&C'] });
    assert.deepEqual(linesOf(html), ['卡号: 411111******1111', '商户名称: A&lt;B&gt;&amp;C']);
    assert.match(html, /data-reprint="false"/);
  });
});
