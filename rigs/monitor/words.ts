// The words by which the monitor recognises an outcome on the screen, in the voice and on a receipt: the rig's text
// profile (rigs/text/textProfile.ts) when the evidence carries its words, else the reference texts of the terminal's
// language (protocols/ecr/referenceTexts.ts: 交易成功 / APPROVED, 交易失败 / DECLINED, 重打印凭证 / DUPLICATE).
//   const words = outcomeWords('zh-CN');  words.isApproval('交易成功') → true
//   outcomeWords('zh-CN', { approval: ['已支付'], failure: ['支付失败'], duplicate: ['重打印凭证'] }).isApproval('已支付') → true
// A terminal whose language posrig does not know (and no profile) is judged by every known language's words.

import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import {
  displayText,
  TEXT_LANGUAGES,
  type TextLanguage,
  type TextOverrides,
  voiceText,
} from '../../protocols/ecr/referenceTexts.ts';
import type { Timed } from './scenarioModel.ts';

/** The texts that say each outcome: shown or said (approval, failure), printed on a reprint (duplicate). */
export interface OutcomeWordSet {
  readonly approval: readonly string[];
  readonly failure: readonly string[];
  readonly duplicate: readonly string[];
}

export interface OutcomeWords {
  /** A display line or voice text that says the payment succeeded. */
  isApproval(text: string): boolean;
  /** A display line or voice text that says the payment failed. */
  isFailure(text: string): boolean;
  /** A printed line that marks a copy as a reprint. */
  isDuplicateMark(line: string): boolean;
}

/** The outcome words of a language, with what the terminal words its own way. */
export function wordSet(language: TextLanguage, overrides?: TextOverrides): OutcomeWordSet {
  const unique = (texts: string[]) => [...new Set(texts)];
  return {
    approval: unique([displayText(language, 'approved', overrides), voiceText(language, 'approved', overrides)]),
    failure: unique([displayText(language, 'declined', overrides), voiceText(language, 'declined', overrides)]),
    duplicate: [displayText(language, 'reprintMark', overrides)],
  };
}

function isTextLanguage(language: string | undefined): language is TextLanguage {
  return (TEXT_LANGUAGES as readonly (string | undefined)[]).includes(language);
}

/** The profile's words when given; else the words of a language (every known language's when it is unknown). */
export function outcomeWords(language: string | undefined, words?: OutcomeWordSet): OutcomeWords {
  const sets = words ? [words] : isTextLanguage(language) ? [wordSet(language)] : TEXT_LANGUAGES.map((l) => wordSet(l));
  const starts = (text: string, pick: (s: OutcomeWordSet) => readonly string[]) =>
    sets.some((s) => pick(s).some((word) => text.trim().startsWith(word)));
  return {
    isApproval: (text) => starts(text, (s) => s.approval),
    isFailure: (text) => starts(text, (s) => s.failure),
    isDuplicateMark: (line) => sets.some((s) => s.duplicate.some((word) => line.includes(word))),
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
