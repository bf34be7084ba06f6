// One printed receipt copy as an HTML page: narrow thermal paper with torn zigzag edges, the copy named above the
// lines; a reprint carries a red "REPRINT / 重打印" stamp at the head of the paper (covering no line) as well as its
// own duplicate line.
// Pure: the renderer screenshots the `#picture` element of what this returns.
//   receiptPage({ copy: 'cardholder', reprint: true, lines: ['POS签购单', '重打印凭证', …] })
//     → '<!doctype html>…<div id="picture" class="receipt" data-copy="cardholder" data-reprint="true">…'

import { escapeHtml, pictureLines, TERMINAL_FONTS } from './pictureText.ts';

/** A print event of the ECR link: which copy, whether a reprint, its lines. */
export interface ReceiptPrint {
  readonly copy: 'merchant' | 'cardholder';
  readonly reprint?: boolean;
  readonly lines: readonly string[];
}

/** The stamp across a reprinted copy. */
export const REPRINT_STAMP = 'REPRINT / 重打印';

/** The caption naming the copy, above the paper. */
export function copyCaption(print: ReceiptPrint): string {
  return `${print.copy} copy${print.reprint ? ` · ${REPRINT_STAMP}` : ''}`;
}

/** The receipt copy as a complete HTML page (card numbers masked, text escaped). */
export function receiptPage(print: ReceiptPrint): string {
  const rows = pictureLines(print.lines, 'receipt')
    .map((line) => `<div class="line">${escapeHtml(line) || '&nbsp;'}</div>`)
    .join('');
  const stamp = print.reprint ? `<div class="stamp">${escapeHtml(REPRINT_STAMP)}</div>` : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>receipt</title><style>${STYLE}</style></head>
<body><div id="picture" class="receipt" data-copy="${escapeHtml(print.copy)}" data-reprint="${print.reprint === true}">
<div class="caption">${escapeHtml(copyCaption(print))}</div>
<div class="paper">${stamp}${rows}</div>
</div></body></html>`;
}

const ZIGZAG = '12px';
const STYLE = `
html, body { margin: 0; padding: 0; background: #fff; }
.receipt { display: inline-block; padding: 10px 16px 20px; background: #d9dcd6; }
.caption { margin-bottom: 18px; color: #3b3f45; font: bold 11px/14px sans-serif; letter-spacing: 0.06em;
  text-transform: uppercase; }
.paper { position: relative; box-sizing: border-box; width: 300px; padding: 18px 14px; background: #fcfaf2;
  color: #222; font-family: ${TERMINAL_FONTS}; font-size: 13px; line-height: 19px; }
.line { white-space: pre-wrap; overflow-wrap: anywhere; }
.paper::before, .paper::after { content: ''; position: absolute; left: 0; right: 0; height: ${ZIGZAG}; }
.paper::before { top: -${ZIGZAG}; background: linear-gradient(135deg, transparent 50%, #fcfaf2 50%) 0 0 / ${ZIGZAG} ${ZIGZAG} repeat-x,
  linear-gradient(-135deg, transparent 50%, #fcfaf2 50%) 0 0 / ${ZIGZAG} ${ZIGZAG} repeat-x; }
.paper::after { bottom: -${ZIGZAG}; background: linear-gradient(45deg, transparent 50%, #fcfaf2 50%) 0 0 / ${ZIGZAG} ${ZIGZAG} repeat-x,
  linear-gradient(-45deg, transparent 50%, #fcfaf2 50%) 0 0 / ${ZIGZAG} ${ZIGZAG} repeat-x; }
.stamp { width: fit-content; margin: 2px auto 14px; transform: rotate(-5deg); padding: 2px 12px;
  border: 3px double #c62828; border-radius: 6px; color: #c62828; font: bold 20px/28px 'Noto Sans CJK SC', sans-serif;
  letter-spacing: 0.04em; white-space: nowrap; }
`;
