// A terminal's own words: a text profile names the reference language the terminal starts from and the meanings it
// words differently (docs/steps.md, "Text profiles"). Steps quote reference texts; the profile says what this terminal
// is expected to show, say or print instead, so the same features certify a terminal that says 已支付.
//   const texts = loadTextProfile('fixtures/texts/yizhifu.zh-CN.yaml', 'zh-CN');
//   texts.expected('交易成功') → '已支付';  texts.expected('余额不足') → '余额不足' (not overridden)
//   texts.describe('交易成功') → '"交易成功" (approved; this terminal says "已支付")'
// A profile file:
//   language: zh-CN
//   texts: { approved: 已支付, responses: { "51": 余额不足，请换卡 }, voice: { approved: 支付成功 } }

import { z } from 'zod';
import {
  displayText,
  MEANINGS,
  type Meaning,
  REFERENCE_TEXTS,
  REFERENCE_VOICE,
  RESPONSE_TEXTS,
  responseDisplayText,
  TEXT_LANGUAGES,
  type TextLanguage,
  type TextOverrides,
  TextOverridesSchema,
  VOICE_MEANINGS,
  type VoiceMeaning,
  voiceText,
} from '../../protocols/ecr/referenceTexts.ts';
import { type ContentCheck, loadYamlFile, strictObject } from '../file/yamlFile.ts';
import { type OutcomeWordSet, type OutcomeWords, outcomeWords, wordSet } from '../monitor/words.ts';

/** Where a text appears: the display, the voice prompt, a printed receipt. */
export type TextChannel = 'display' | 'voice' | 'print';

export interface TextProfile extends OutcomeWords {
  /** The profile file; undefined: the reference texts of `language`. */
  readonly file: string | undefined;
  /** The terminal's reference language; undefined (no profile, no simulated terminal): quoted texts are taken as is. */
  readonly language: TextLanguage | undefined;
  /** What the terminal words differently from the reference texts: what the simulated terminal is configured with. */
  readonly overrides: TextOverrides;
  /** What the monitor recognises outcomes by; undefined when the language is unknown (the terminal's `info` tells). */
  readonly words: OutcomeWordSet | undefined;
  /** The text the terminal is expected to show (say, print) for a text a scenario quotes: the profile's text of the
   * meaning when the quoted text is a reference text (any language), else the quoted text. */
  expected(text: string, channel?: TextChannel): string;
  /** The quoted text for an error message, with the meaning and this terminal's text when they differ. */
  describe(text: string, channel?: TextChannel): string;
}

const ProfileFileSchema = strictObject({
  /** Required: checked by the content check, which says what it is for. */
  language: z.enum(TEXT_LANGUAGES as [TextLanguage, ...TextLanguage[]]).optional(),
  texts: TextOverridesSchema.default({}),
});

/** Loads the rig's text profile; without a file, the reference texts of the language. `language` is the rig's
 * simulated terminal's: a profile starting from another language is refused (the terminal would mix both). */
export function loadTextProfile(file: string | undefined, language: TextLanguage | undefined): TextProfile {
  if (file === undefined) return textProfile(undefined, language, {});
  const check: ContentCheck = (content) => {
    const own = (content as { language?: unknown } | null)?.language;
    if (own === undefined) {
      const message = `is required: the reference language the terminal starts from, ${TEXT_LANGUAGES.map((l) => `"${l}"`).join(' or ')}`;
      return [{ path: ['language'], message }];
    }
    const known = (TEXT_LANGUAGES as readonly unknown[]).includes(own);
    if (language === undefined || !known || own === language) return [];
    const message = `the profile starts from ${JSON.stringify(own)}, but the rig's simulated terminal speaks ${JSON.stringify(language)} (terminal.simulate.language): use a profile for ${language}, or set the terminal's language to ${String(own)}`;
    return [{ path: ['language'], message }];
  };
  const loaded = loadYamlFile(file, ProfileFileSchema, check);
  return textProfile(file, loaded.language ?? language, loaded.texts);
}

/** A profile from data (tests, a profile built in code). */
export function textProfile(
  file: string | undefined,
  language: TextLanguage | undefined,
  overrides: TextOverrides,
): TextProfile {
  const words = language === undefined ? undefined : wordSet(language, overrides);
  const expected = (text: string, channel: TextChannel = 'display'): string => {
    const key = language === undefined ? undefined : referenceKey(text, channel);
    return key && language ? textOf(key, language, overrides) : text;
  };
  return {
    ...{ file, language, overrides, words },
    ...outcomeWords(language, words),
    expected,
    describe(text, channel = 'display') {
      const own = expected(text, channel);
      if (own === text) return JSON.stringify(text);
      const key = referenceKey(text, channel);
      const verb = channel === 'print' ? 'prints' : 'says';
      return `${JSON.stringify(text)} (${key ? whatOf(key) : 'a reference text'}; this terminal ${verb} ${JSON.stringify(own)})`;
    },
  };
}

/** A reference text's place in the table. */
type ReferenceKey =
  | { readonly kind: 'meaning'; readonly meaning: Meaning }
  | { readonly kind: 'response'; readonly code: string }
  | { readonly kind: 'voice'; readonly meaning: VoiceMeaning };

/** Every reference text (both languages) of a table → its key. */
function lookup(entries: Array<[ReferenceKey, { 'zh-CN': string; en: string }]>): ReadonlyMap<string, ReferenceKey> {
  const map = new Map<string, ReferenceKey>();
  for (const [key, text] of entries) for (const language of TEXT_LANGUAGES) map.set(text[language], key);
  return map;
}

const DISPLAY = lookup([
  ...MEANINGS.map((meaning): [ReferenceKey, (typeof REFERENCE_TEXTS)[Meaning]] => [
    { kind: 'meaning', meaning },
    REFERENCE_TEXTS[meaning],
  ]),
  ...Object.entries(RESPONSE_TEXTS).map(([code, text]): [ReferenceKey, typeof text] => [
    { kind: 'response', code },
    text,
  ]),
]);

const VOICE = lookup(
  VOICE_MEANINGS.map((meaning): [ReferenceKey, (typeof REFERENCE_VOICE)[VoiceMeaning]] => [
    { kind: 'voice', meaning },
    REFERENCE_VOICE[meaning],
  ]),
);

/** The meaning of a quoted text, if it is a reference text (any language). A voice step also accepts a meaning's
 * display text: the terminal is then expected to say that meaning. */
export function referenceKey(text: string, channel: TextChannel = 'display'): ReferenceKey | undefined {
  if (channel !== 'voice') return DISPLAY.get(text);
  const key = VOICE.get(text) ?? DISPLAY.get(text);
  return key?.kind === 'meaning' && isVoiceMeaning(key.meaning) ? { kind: 'voice', meaning: key.meaning } : key;
}

function isVoiceMeaning(meaning: Meaning): meaning is VoiceMeaning {
  return (VOICE_MEANINGS as readonly Meaning[]).includes(meaning);
}

function textOf(key: ReferenceKey, language: TextLanguage, overrides: TextOverrides): string {
  switch (key.kind) {
    case 'voice':
      return voiceText(language, key.meaning, overrides);
    case 'response':
      return responseDisplayText(language, key.code, overrides) ?? RESPONSE_TEXTS[key.code]?.[language] ?? '';
    case 'meaning':
      return displayText(language, key.meaning, overrides);
  }
}

/** What a reference text means, in words. */
function whatOf(key: ReferenceKey): string {
  if (key.kind === 'response') return RESPONSE_TEXTS[key.code]?.what ?? `DE39 ${key.code}`;
  return REFERENCE_TEXTS[key.meaning].what;
}
