// The documented words (docs/steps.md) of each explored step, in English or Chinese: what the written .feature says.
//   stepWords({ kind: 'startSale', amount: parseMoney('12.00 CNY') }, 'zh-CN') → '商户发起消费12.00元'

import { formatAmount, formatMoney, type Money } from '../../protocols/domain/money.ts';
import type { Copy, EntryMethod, Fault, LinkFault, Outcome, Role, ScenarioStep } from './scenarioStep.ts';

export type FeatureLanguage = 'en' | 'zh-CN';

/** The feature languages `posrig explore` writes. */
export const FEATURE_LANGUAGES: readonly FeatureLanguage[] = ['en', 'zh-CN'];

interface Words {
  money(amount: Money): string;
  fault: Record<Fault, string>;
  linkFault: Record<LinkFault, string>;
  method: Record<EntryMethod, string>;
  copy: Record<Copy, string>;
  outcome: Record<Exclude<Outcome, 'declined'>, string>;
  step(step: ScenarioStep, words: Words): string;
}

const EN: Words = {
  money: formatMoney,
  fault: {
    'drop-request': 'the network drops the next request to the host',
    'lose-response': "the host's next response is lost",
    'garble-response': "the host's next response is garbled",
    'duplicate-request': "the terminal's next request reaches the host twice",
    'another-amount': "the host's next response carries another amount",
    'another-stan': "the host's next response carries another STAN",
    'another-tid': "the host's next response carries another terminal ID",
    'response-just-after-timeout': "the host's next response comes just after the terminal's response timeout",
    'response-just-before-timeout': "the host's next response comes just before the terminal's response timeout",
    'cut-power-online': 'the power will be cut while the terminal waits for the host',
    'cut-power-as-request-leaves': "the power will be cut as the terminal's request leaves for the host",
    'cut-power-reversing': 'the power will be cut while the terminal sends its reversal',
    'abort-online': 'the merchant will abort the transaction while the terminal waits for the host',
    'lose-reversal': "the terminal's next reversal does not reach the host",
    'lose-reversal-answer': "the host's answer to the terminal's next reversal is lost",
    'lose-every-reversal': 'no reversal reaches the host until the network recovers',
    'refuse-primary': 'the primary host refuses connections',
  },
  linkFault: {
    'lose-ack': "the ACK of the terminal's next message is lost",
    corrupt: 'the next command reaches the terminal damaged',
    duplicate: 'the next command reaches the terminal twice',
    noise: 'noise reaches the terminal before the next command',
    truncate: 'the next command reaches the terminal cut short',
  },
  method: { swipe: 'swipes', chip: 'inserts', tap: 'taps' },
  copy: { cardholder: 'cardholder', merchant: 'merchant' },
  outcome: {
    approved: 'the transaction is approved',
    failed: 'the transaction fails',
    timeout: 'the transaction times out',
    cancelled: 'the transaction is cancelled',
  },
  step(s, w) {
    switch (s.kind) {
      case 'holds':
        return `the card "${s.card}" holds ${w.money(s.amount)}`;
      case 'noPinLimit':
        return `the terminal's no-PIN limit is at least ${w.money(s.amount)}`;
      case 'fault':
        return w.fault[s.fault];
      case 'linkFault':
        return w.linkFault[s.fault];
      case 'paperOut':
        return s.after === 'now' ? 'the printer is out of paper' : 'the printer runs out of paper after the first copy';
      case 'startSale':
        return `the merchant starts a sale of ${w.money(s.amount)}`;
      case 'present':
        return `the cardholder ${w.method[s.method]} the card "${s.card}"`;
      case 'pin':
        return `the cardholder enters PIN "${s.pin}"`;
      case 'cancel':
        return 'the cardholder presses CANCEL';
      case 'abort':
        return 'the merchant aborts the transaction';
      case 'loadPaper':
        return 'the merchant loads paper';
      case 'reprint':
        return 'the merchant asks for a reprint of the last receipt';
      case 'powerBack':
        return 'the power comes back';
      case 'recovers':
        return 'the network recovers';
      case 'shows':
        return `the terminal shows "${s.text}"`;
      case 'doesNotShow':
        return `the terminal does not show "${s.text}"`;
      case 'says':
        return `the terminal says "${s.text}"`;
      case 'outcome':
        return s.outcome === 'declined'
          ? `the transaction is declined with response code "${s.code}"`
          : w.outcome[s.outcome];
      case 'completes':
        return 'the transaction completes';
      case 'noReceipt':
        return 'no receipt is printed';
      case 'receipt':
        return `the terminal prints a ${w.copy[s.copy]} receipt for ${w.money(s.amount)}`;
      case 'markedReceipt':
        return `the terminal prints a ${w.copy[s.copy]} receipt marked "重打印凭证" for ${w.money(s.amount)}`;
      case 'balance':
        return `the card "${s.card}" has a balance of ${w.money(s.amount)}`;
      case 'reverses':
        return s.reason
          ? `the terminal reverses the transaction with reason code "${s.reason}"`
          : 'the terminal reverses the transaction';
      case 'noRequest':
        return "the sale's request does not reach the host";
    }
  },
};

const ZH: Words = {
  money: (amount) => (amount.currency === 'CNY' ? `${formatAmount(amount)}元` : formatMoney(amount)),
  fault: {
    'drop-request': '网络在下一笔请求到达主机前断开',
    'lose-response': '主机的下一笔应答丢失',
    'garble-response': '主机的下一笔应答报文损坏',
    'duplicate-request': '终端的下一笔请求重复到达主机',
    'another-amount': '主机的下一笔应答金额与请求不符',
    'another-stan': '主机的下一笔应答流水号与请求不符',
    'another-tid': '主机的下一笔应答终端编号与请求不符',
    'response-just-after-timeout': '主机的下一笔应答在终端应答超时后才到达',
    'response-just-before-timeout': '主机的下一笔应答在终端应答超时前到达',
    'cut-power-online': '终端等待主机应答时将断电',
    'cut-power-as-request-leaves': '终端请求发出时将断电',
    'cut-power-reversing': '终端发送冲正时将断电',
    'abort-online': '终端等待主机应答时商户将中止交易',
    'lose-reversal': '终端的下一笔冲正未到达主机',
    'lose-reversal-answer': '主机对终端下一笔冲正的应答丢失',
    'lose-every-reversal': '网络恢复前冲正均无法到达主机',
    'refuse-primary': '主主机拒绝连接',
  },
  linkFault: {
    'lose-ack': '终端下一条消息的确认丢失',
    corrupt: '下一条指令损坏后到达终端',
    duplicate: '下一条指令重复到达终端',
    noise: '下一条指令前线路上有噪声',
    truncate: '下一条指令被截断后到达终端',
  },
  method: { swipe: '刷', chip: '插', tap: '挥' },
  copy: { cardholder: '持卡人', merchant: '商户' },
  outcome: { approved: '交易成功完成', failed: '交易失败', timeout: '交易超时', cancelled: '交易已取消' },
  step(s, w) {
    switch (s.kind) {
      case 'holds':
        return `卡"${s.card}"余额为${w.money(s.amount)}`;
      case 'noPinLimit':
        return `终端免密限额不低于${w.money(s.amount)}`;
      case 'fault':
        return w.fault[s.fault];
      case 'linkFault':
        return w.linkFault[s.fault];
      case 'paperOut':
        return s.after === 'now' ? '打印机缺纸' : '打印完第一联后打印机缺纸';
      case 'startSale':
        return `商户发起消费${w.money(s.amount)}`;
      case 'present':
        return `持卡人${w.method[s.method]}卡"${s.card}"`;
      case 'pin':
        return `持卡人输入密码"${s.pin}"`;
      case 'cancel':
        return '持卡人按取消键';
      case 'abort':
        return '商户中止交易';
      case 'loadPaper':
        return '商户装入打印纸';
      case 'reprint':
        return '商户要求重打印上一张凭证';
      case 'powerBack':
        return '恢复供电';
      case 'recovers':
        return '网络恢复';
      case 'shows':
        return `终端显示"${s.text}"`;
      case 'doesNotShow':
        return `终端不显示"${s.text}"`;
      case 'says':
        return `终端播报"${s.text}"`;
      case 'outcome':
        return s.outcome === 'declined' ? `交易被拒绝，应答码"${s.code}"` : w.outcome[s.outcome];
      case 'completes':
        return '交易结束';
      case 'noReceipt':
        return '终端不打印凭证';
      case 'receipt':
        return `终端打印${w.copy[s.copy]}存根，金额${w.money(s.amount)}`;
      case 'markedReceipt':
        return `终端打印${w.copy[s.copy]}存根，标注"重打印凭证"，金额${w.money(s.amount)}`;
      case 'balance':
        return `卡"${s.card}"的余额是${w.money(s.amount)}`;
      case 'reverses':
        return s.reason ? `终端冲正该交易，原因码"${s.reason}"` : '终端冲正该交易';
      case 'noRequest':
        return '本笔交易的请求未发往主机';
    }
  },
};

const WORDS: Record<FeatureLanguage, Words> = { en: EN, 'zh-CN': ZH };

/** The step's words without its keyword. */
export function stepWords(step: ScenarioStep, language: FeatureLanguage): string {
  const words = WORDS[language];
  return words.step(step, words);
}

/** Gherkin keywords: Given / When / Then, and And for a repeat (假如 / 当 / 那么 / 而且). */
export const KEYWORDS: Record<FeatureLanguage, Record<Role | 'repeat', string>> = {
  en: { setUp: 'Given', action: 'When', check: 'Then', repeat: 'And' },
  'zh-CN': { setUp: '假如', action: '当', check: '那么', repeat: '而且' },
};
