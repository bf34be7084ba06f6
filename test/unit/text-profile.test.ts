// Text profiles: the terminal's own words for the meanings the vocabulary checks (rigs/text/textProfile.ts), the one
// reference table both sides use (protocols/ecr/referenceTexts.ts), and the simulated terminal speaking a profile.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { SimOptionError, simTerminalSettings } from '../../cli/sim.ts';
import {
  MEANINGS,
  REFERENCE_TEXTS,
  RESPONSE_TEXTS,
  referenceRows,
  responseDisplayText,
  TEXT_LANGUAGES,
} from '../../protocols/ecr/referenceTexts.ts';
import { RESPONSE_CODES } from '../../protocols/iso8583/index.ts';
import { ConfigFileError } from '../../rigs/file/yamlFile.ts';
import { outcomeWords } from '../../rigs/monitor/words.ts';
import { loadTextProfile, referenceKey, textProfile } from '../../rigs/text/textProfile.ts';
import {
  checkTerminalConfig,
  outcomeOf,
  prompt,
  receiptText,
  responseText,
  TerminalConfigError,
  voice,
} from '../../simulators/terminal/index.ts';
import {
  answer0210,
  cardAndPin,
  display,
  evidence,
  failure,
  type Piece,
  print,
  request0200,
  result,
  rulesOf,
  voice as said,
  state,
} from '../support/monitorEvidence.ts';
import { SIM_TERMINAL_FLAGS, TERMINAL_CONFIG } from '../support/terminalConfig.ts';

const FIXTURE = 'fixtures/texts/yizhifu.zh-CN.yaml';
const folder = mkdtempSync(path.join(tmpdir(), 'posrig-texts-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Writes a profile file; its path. */
function profileFile(name: string, text: string): string {
  const file = path.join(folder, name);
  writeFileSync(file, text);
  return file;
}

/** The problems a profile file is refused with. */
function problemsOf(file: string, language?: 'zh-CN' | 'en'): string[] {
  try {
    loadTextProfile(file, language);
  } catch (error) {
    assert.ok(error instanceof ConfigFileError, String(error));
    return error.problems;
  }
  assert.fail(`${file} loaded`);
}

describe('the reference table', () => {
  it('has a zh-CN and an en text for every meaning, response code and voice prompt', () => {
    for (const row of referenceRows()) {
      for (const language of TEXT_LANGUAGES) assert.ok(row[language].trim().length > 0, `${row.key} ${language}`);
    }
    for (const code of Object.keys(RESPONSE_CODES)) {
      for (const language of TEXT_LANGUAGES)
        assert.ok(responseDisplayText(language, code), `no ${language} display text for response code ${code}`);
    }
  });

  it('gives every displayed text one meaning, so a quoted text names exactly one', () => {
    const seen = new Map<string, string>();
    const displayed = [
      ...MEANINGS.map((meaning) => [meaning, REFERENCE_TEXTS[meaning]] as const),
      ...Object.entries(RESPONSE_TEXTS).map(([code, text]) => [`responses.${code}`, text] as const),
    ];
    for (const [key, text] of displayed) {
      for (const language of TEXT_LANGUAGES) {
        const other = seen.get(text[language]);
        assert.equal(other, undefined, `"${text[language]}" is both ${other} and ${key}`);
        seen.set(text[language], key);
      }
    }
    assert.deepEqual(referenceKey('余额不足'), { kind: 'response', code: '51' });
    assert.deepEqual(referenceKey('密码错误，请重新输入'), { kind: 'meaning', meaning: 'wrongPin' });
  });
});

describe('loadTextProfile', () => {
  it('loads the language and the overrides of a profile file', () => {
    const texts = loadTextProfile(FIXTURE, 'zh-CN');
    assert.equal(texts.file, FIXTURE);
    assert.equal(texts.language, 'zh-CN');
    assert.equal(texts.overrides.approved, '已支付');
    assert.equal(texts.overrides.responses?.['51'], '余额不足，请换卡');
    assert.equal(loadTextProfile(FIXTURE, undefined).language, 'zh-CN', 'a real terminal: the file says');
  });

  it('without a file, is the reference texts of the language', () => {
    const en = loadTextProfile(undefined, 'en');
    assert.equal(en.expected('交易成功'), 'APPROVED');
    assert.equal(en.expected('交易成功', 'voice'), 'APPROVED');
    assert.equal(en.expected('重打印凭证', 'print'), 'DUPLICATE');
    assert.deepEqual(en.overrides, {});
    assert.ok(en.isApproval('APPROVED') && !en.isApproval('交易成功'));
  });

  it('without a file or a language (a real terminal), takes quoted texts as written', () => {
    const unknown = loadTextProfile(undefined, undefined);
    assert.equal(unknown.expected('交易成功'), '交易成功');
    assert.equal(unknown.describe('交易成功'), '"交易成功"');
    assert.equal(unknown.words, undefined, "the monitor then goes by the language of the terminal's info");
    assert.ok(unknown.isApproval('交易成功') && unknown.isApproval('APPROVED'));
  });

  it('refuses an unknown meaning with the known ones, naming file, line and key', () => {
    const file = profileFile('typo.yaml', 'language: zh-CN\ntexts:\n  approved: 已支付\n  aproved: 已支付\n');
    const [problem, ...more] = problemsOf(file, 'zh-CN');
    assert.deepEqual(more, []);
    assert.match(problem ?? '', new RegExp(`^${file}:4: texts: unknown meaning "aproved" \\(known: approved, `));
    for (const meaning of [...MEANINGS, 'responses', 'voice']) assert.ok(problem?.includes(meaning), meaning);
  });

  it('refuses bad response codes, empty texts and unknown voice meanings, each on its line', () => {
    const file = profileFile(
      'bad.yaml',
      [
        'language: zh-CN',
        'texts:',
        '  responses:',
        '    "55": 密码错',
        '    "5": 拒绝',
        '  voice:',
        '    approved: ""',
        '    beep: 嘀',
      ].join('\n'),
    );
    assert.deepEqual(problemsOf(file, 'zh-CN'), [
      `${file}:4: texts.responses.55: response code 55 is the meaning "wrongPin": write \`wrongPin:\` instead`,
      `${file}:5: texts.responses.5: a response code (DE39) is two digits or capitals, e.g. "51", got "5"`,
      `${file}:7: texts.voice.approved: a text cannot be empty`,
      `${file}:8: texts.voice: unknown voice meaning "beep" (known: presentCard, enterPin, approved, declined, wrongPin, paperOut, printerJam)`,
    ]);
  });

  it('refuses a missing or unknown language, an unknown key and a missing file', () => {
    const noLanguage = profileFile('nolang.yaml', 'texts: { approved: 已支付 }\n');
    assert.deepEqual(problemsOf(noLanguage), [
      `${noLanguage}:1: language: is required: the reference language the terminal starts from, "zh-CN" or "en"`,
    ]);
    const french = profileFile('fr.yaml', 'texts: {}\nlanguage: fr\n');
    assert.match(problemsOf(french)[0] ?? '', new RegExp(`^${french}:2: language: must be one of "zh-CN", "en"`));
    const extra = profileFile('extra.yaml', 'language: en\ntext: { approved: PAID }\n');
    assert.deepEqual(problemsOf(extra), [`${extra}:2: (top level): unknown key "text" (allowed: language, texts)`]);
    const missing = path.join(folder, 'missing.yaml');
    assert.deepEqual(problemsOf(missing), [`${missing}: cannot read: ENOENT`]);
  });

  it("refuses a profile for another language than the rig's simulated terminal", () => {
    assert.deepEqual(problemsOf(FIXTURE, 'en'), [
      `${FIXTURE}:5: language: the profile starts from "zh-CN", but the rig's simulated terminal speaks "en" (terminal.simulate.language): use a profile for en, or set the terminal's language to zh-CN`,
    ]);
  });
});

describe('expected() and describe()', () => {
  const texts = loadTextProfile(FIXTURE, 'zh-CN');

  it("gives the profile's text for a reference text of a meaning, in either language", () => {
    assert.equal(texts.expected('交易成功'), '已支付');
    assert.equal(texts.expected('APPROVED'), '已支付');
    assert.equal(texts.expected('交易失败'), '支付失败');
    assert.equal(texts.expected('请刷卡/插卡/挥卡'), '请挥卡或插卡');
    assert.equal(texts.expected('余额不足'), '余额不足，请换卡');
    assert.equal(texts.expected('INSUFFICIENT FUNDS'), '余额不足，请换卡');
  });

  it('gives the reference text of its language for a meaning the profile keeps', () => {
    assert.equal(texts.expected('卡已过期'), '卡已过期');
    assert.equal(texts.expected('EXPIRED CARD'), '卡已过期');
    assert.equal(texts.expected('PIN TRIES EXCEEDED'), '密码错误次数超限');
    assert.equal(texts.expected('重打印凭证', 'print'), '重打印凭证');
  });

  it('leaves a text that is no reference text as quoted', () => {
    assert.equal(texts.expected('金额: ¥100.00'), '金额: ¥100.00');
    assert.equal(texts.expected('交易成'), '交易成', 'only a whole reference text has a meaning');
  });

  it('says a meaning by its voice entry, else as shown', () => {
    assert.equal(texts.expected('交易成功', 'voice'), '支付成功');
    assert.equal(texts.expected('交易失败', 'voice'), '支付失败', 'declined: said as shown');
    assert.equal(texts.expected('请刷卡', 'voice'), '请挥卡或插卡', 'present card: said as shown');
    assert.equal(texts.expected('请输入密码', 'voice'), '请输入密码');
    assert.equal(texts.expected('密码错误', 'voice'), '密码错误');
    assert.equal(texts.expected('密码错误，请重新输入', 'voice'), '密码错误', 'a display text: the meaning, said');
  });

  it("describes a quoted text with its meaning and this terminal's text when they differ", () => {
    assert.equal(texts.describe('交易成功'), '"交易成功" (approved; this terminal says "已支付")');
    assert.equal(
      texts.describe('余额不足'),
      '"余额不足" (declined: insufficient funds (DE39 51); this terminal says "余额不足，请换卡")',
    );
    assert.equal(texts.describe('交易成功', 'voice'), '"交易成功" (approved; this terminal says "支付成功")');
    assert.equal(texts.describe('卡已过期'), '"卡已过期"');
    assert.equal(
      textProfile(undefined, 'en', {}).describe('重打印凭证', 'print'),
      '"重打印凭证" (the mark on a reprinted receipt; this terminal prints "DUPLICATE")',
    );
  });
});

describe("the monitor's words", () => {
  const texts = loadTextProfile(FIXTURE, 'zh-CN');

  it("recognise outcomes by the profile's texts, shown and said", () => {
    assert.deepEqual(texts.words, {
      approval: ['已支付', '支付成功'],
      failure: ['支付失败'],
      duplicate: ['重打印凭证'],
    });
    const words = outcomeWords('zh-CN', texts.words);
    assert.ok(words.isApproval('已支付') && words.isApproval('支付成功'));
    assert.ok(!words.isApproval('交易成功'), 'the reference text is not what this terminal says');
    assert.ok(words.isFailure('支付失败') && !words.isFailure('交易失败'));
    assert.ok(words.isDuplicateMark('*** 重打印凭证 ***'));
    assert.ok(texts.isApproval('已支付') && !texts.isFailure('已支付'));
  });

  it('are the reference texts of the language without a profile, as before', () => {
    const words = outcomeWords('zh-CN');
    assert.ok(words.isApproval('交易成功') && !words.isApproval('APPROVED'));
    assert.ok(outcomeWords(undefined).isApproval('APPROVED'));
  });
});

describe('the behaviour monitor with a text profile (evidence.rig.words)', () => {
  const words = loadTextProfile(FIXTURE, 'zh-CN').words;

  /** An approved sale as a terminal speaking the profile shows it, and a declined one. */
  function sales(): Piece[] {
    const request = request0200({ stan: '000001' }, 210, { connection: 1 });
    const declinedRequest = request0200({ stan: '000002' }, 1210, { connection: 1 });
    return [
      ...cardAndPin('c-1', 0),
      request,
      answer0210(request, '00', 258, 260),
      state('result', 270),
      display(['已支付', '金额: ¥100.00', '2025-05-04 10:00:00'], 271),
      said('支付成功', 272),
      state('printing', 273),
      print('merchant', 280),
      print('cardholder', 290),
      state('idle', 295),
      result('c-1', 'approved', 300, { stan: '000001', responseCode: '00' }),
      ...cardAndPin('c-2', 1000),
      declinedRequest,
      answer0210(declinedRequest, '51', 1258, 1260),
      ...failure('c-2', 'declined', 1270, { stan: '000002', reason: '余额不足，请换卡', responseCode: '51' }).map(
        (piece) =>
          'message' in piece && piece.message.type === 'display'
            ? display(['支付失败', '余额不足，请换卡'], piece.at)
            : 'message' in piece && piece.message.type === 'voice'
              ? said('支付失败', piece.at)
              : piece,
      ),
    ];
  }

  it("finds nothing when the terminal says the profile's words", () => {
    assert.deepEqual(rulesOf(evidence(sales(), { rig: { words } })), []);
  });

  it("catches a decline said with this terminal's approval, which the reference words do not know", () => {
    const declinedSaidApproved = sales().map((piece) =>
      'message' in piece && piece.message.type === 'voice' && piece.message.text === '支付失败'
        ? said('支付成功', piece.at)
        : piece,
    );
    const found = rulesOf(evidence(declinedSaidApproved, { rig: { words } }));
    assert.ok(found.includes('outcome-agree'), found.join(', '));
    assert.deepEqual(rulesOf(evidence(declinedSaidApproved)), [], 'by the reference words, 支付成功 says nothing');
  });
});

describe('the simulated terminal speaking a profile', () => {
  const overrides = loadTextProfile(FIXTURE, 'zh-CN').overrides;
  const source = { language: 'zh-CN' as const, texts: overrides };

  it('shows, says and prints the overrides over the reference texts of its language', () => {
    assert.equal(prompt(source, 'approved'), '已支付');
    assert.equal(prompt(source, 'presentCard'), '请挥卡或插卡');
    assert.equal(prompt(source, 'enterPin'), '请输入密码');
    assert.equal(prompt(source, 'welcome'), '欢迎使用');
    assert.equal(voice(source, 'approved'), '支付成功');
    assert.equal(voice(source, 'declined'), '支付失败');
    assert.equal(responseText(source, '51'), '余额不足，请换卡');
    assert.equal(responseText(source, '54'), '卡已过期');
    assert.equal(responseText(source, 'Q1'), '支付失败 (Q1)');
    assert.equal(receiptText(source, 'duplicate'), '重打印凭证');
    assert.equal(receiptText({ language: 'en', texts: { reprintMark: 'COPY' } }, 'duplicate'), 'COPY');
    const declined = outcomeOf({ kind: 'response', message: { mti: '0210', fields: { 39: '51' } } }, source);
    assert.deepEqual(declined.display, ['余额不足，请换卡', '支付失败']);
  });

  it('keeps the reference texts for a plain language', () => {
    assert.equal(prompt('zh-CN', 'approved'), '交易成功');
    assert.equal(voice('en', 'approved'), 'APPROVED');
  });

  it('is refused bad overrides in its configuration, naming the key', () => {
    assert.equal(checkTerminalConfig({ ...TERMINAL_CONFIG, texts: overrides }).texts, overrides);
    assert.throws(
      () => checkTerminalConfig({ ...TERMINAL_CONFIG, texts: { responses: { '00': 'OK' } } }),
      (error) =>
        error instanceof TerminalConfigError &&
        error.key === 'texts.responses.00' &&
        error.message.includes('the meaning "approved"'),
    );
  });

  it('takes a profile file on the command line (posrig sim terminal --texts FILE)', () => {
    const settings = simTerminalSettings({ ...SIM_TERMINAL_FLAGS, language: 'zh-CN', texts: FIXTURE });
    assert.equal(settings.config.texts?.approved, '已支付');
    assert.throws(
      () => simTerminalSettings({ ...SIM_TERMINAL_FLAGS, language: 'en', texts: FIXTURE }),
      (error) =>
        error instanceof SimOptionError &&
        error.option === '--texts' &&
        error.message.includes(`${FIXTURE}:5: language: the profile starts from "zh-CN"`),
    );
  });
});
