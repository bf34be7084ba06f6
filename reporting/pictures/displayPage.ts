// The terminal's display as an HTML page: a dark bezel around a greenish LCD, its lines in a CJK monospace font.
// Pure: the renderer screenshots the `#picture` element of what this returns.
//   displayPage(['交易成功', '金额: ¥100.00']) → '<!doctype html>…<div id="picture" class="terminal">…交易成功…'
//   displayPage(['4111 1111 1111 1111'])        → throws PanInPicture (display)

import { escapeHtml, pictureLines, TERMINAL_FONTS } from './pictureText.ts';

/** The display lines as a complete HTML page (card numbers masked, text escaped). */
export function displayPage(lines: readonly string[]): string {
  const rows = pictureLines(lines, 'display')
    .map((line) => `<div class="line">${escapeHtml(line) || '&nbsp;'}</div>`)
    .join('');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>terminal display</title><style>${STYLE}</style></head>
<body><div id="picture" class="terminal">
<div class="screen">${rows}</div>
<div class="brand">posrig · display</div>
</div></body></html>`;
}

const STYLE = `
html, body { margin: 0; padding: 0; background: #fff; }
.terminal { display: inline-block; padding: 18px 18px 10px; background: linear-gradient(#3a3d42, #1f2124);
  border-radius: 18px; box-shadow: inset 0 1px 0 #5a5e64; }
.screen { box-sizing: border-box; width: 352px; min-height: 200px; padding: 10px 12px; border-radius: 4px;
  background: #b9c7a3; color: #1d2a17; box-shadow: inset 0 0 10px rgba(0, 0, 0, 0.45);
  font-family: ${TERMINAL_FONTS}; font-size: 16px; line-height: 22px; text-align: center; }
.line { white-space: pre-wrap; overflow-wrap: anywhere; }
.brand { margin-top: 6px; color: #8b9096; font: 10px/12px sans-serif; letter-spacing: 0.08em; text-align: right; }
`;
