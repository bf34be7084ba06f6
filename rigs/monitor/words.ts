// The words by which the monitor recognises an outcome on the screen, in the voice and on a receipt: the reference
// texts of docs/protocol.md section 15 (交易成功 / APPROVED, 交易失败 / DECLINED, 重打印凭证 / DUPLICATE).
//   const words = outcomeWords('zh-CN');  words.isApproval('交易成功') → true
// A terminal whose language posrig does not know is judged by every known language's words.

import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import type { Timed } from './scenarioModel.ts';

const WORDS: Readonly<Record<string, { approval: string; failure: string; duplicate: string }>> = {
  'zh-CN': { approval: '交易成功', failure: '交易失败', duplicate: '重打印凭证' },
  en: { approval: 'APPROVED', failure: 'DECLINED', duplicate: 'DUPLICATE' },
};

export interface OutcomeWords {
  /** A display line or voice text that says the payment succeeded. */
  isApproval(text: string): boolean;
  /** A display line or voice text that says the payment failed. */
  isFailure(text: string): boolean;
  /** A printed line that marks a copy as a reprint. */
  isDuplicateMark(line: string): boolean;
}

/** The words of a language (every known language's when it is unknown). */
export function outcomeWords(language: string | undefined): OutcomeWords {
  const sets = language && WORDS[language] ? [WORDS[language]] : Object.values(WORDS);
  const starts = (text: string, pick: (s: (typeof sets)[number]) => string) =>
    sets.some((s) => text.trim().startsWith(pick(s)));
  return {
    isApproval: (text) => starts(text, (s) => s.approval),
    isFailure: (text) => starts(text, (s) => s.failure),
    isDuplicateMark: (line) => sets.some((s) => line.includes(s.duplicate)),
  };
}

/** The display line or voice text of an event that says what `test` looks for, if any. */
export function saying(event: Timed<TerminalEvent>, test: (text: string) => boolean): string | undefined {
  const m = event.message;
  if (m.type === 'display') {
    const line = m.lines.find(test);
    return line === undefined ? undefined : `display "${m.lines.join(' | ')}"`;
  }
  if (m.type === 'voice' && test(m.text)) return `voice "${m.text}"`;
  return undefined;
}
