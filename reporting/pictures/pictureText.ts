// The text a picture may show: card numbers masked first (maskPansIn), then checked again with the report scan's
// strict eye (findPansInText). A number that survives masking stops the picture with PanInPicture instead of
// reaching a PNG that no text scan of the report can read (the two share their rules today: the check is the
// belt to masking's braces, for the day one of them changes).
//   pictureLines(['卡号: 4111111111111111'], 'display')  → ['卡号: 411111******1111']
//   pictureLines(['4111 1111 1111 1111'], 'receipt', (t) => t) → throws PanInPicture (411111******1111, receipt)
//   escapeHtml('<b>&') → '&lt;b&gt;&amp;'

import { maskPan, maskPansIn } from '../../protocols/domain/pan.ts';
import { findPansInText } from '../panForms.ts';

/** Which picture a text was meant for. */
export type PictureKind = 'display' | 'receipt';

/** A card number would have been drawn in a picture; nothing was rendered. The message names it masked. */
export class PanInPicture extends Error {
  override readonly name = 'PanInPicture';
  constructor(
    readonly kind: PictureKind,
    readonly masked: string,
    readonly written: string,
  ) {
    super(`card number ${masked} (${written}) would be drawn in a ${kind} picture: not rendered`);
  }
}

/** The lines masked, or PanInPicture when a card number is still readable in them (`mask`: maskPansIn). */
export function pictureLines(
  lines: readonly string[],
  kind: PictureKind,
  mask: (text: string) => string = maskPansIn,
): string[] {
  const masked = lines.map((line) => mask(line));
  const leak = findPansInText(masked.join('\n'))[0];
  if (leak) throw new PanInPicture(kind, maskPan(leak.pan), leak.written);
  return masked;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to place in HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** CJK monospace first (a Chinese character two Latin cells wide, as on a terminal), from fonts-noto-cjk: no tofu. */
export const TERMINAL_FONTS = "'Noto Sans Mono CJK SC', 'Noto Sans CJK SC', 'DejaVu Sans Mono', monospace";
