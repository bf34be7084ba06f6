// What the live page can do to the rig, one small action per button: the cash register (sale, reprint, cancel), the
// card slot, the keypad, the printer's paper, the faults between terminal and host, the power, a reset. Each takes
// the JSON body the page posts; a body the rig cannot act on is a LiveActionError naming the action and the field.
//   const actions = liveActions(rig, feed);
//   await actions.sale({ amount: '12.34' });  await actions.card({ alias: 'alice', method: 'swipe' });
//   await actions.keys({ keys: ['1', 'ENTER'] });  await actions.fault({ kind: 'drop-response' });

import { parseMoney } from '../../protocols/domain/money.ts';
import type { CardMethod } from '../../protocols/ecr/index.ts';
import { UnknownCardError } from '../../rigs/file/cardBook.ts';
import type { LiveFeed, LiveRig } from './liveFeed.ts';

/** A request from the page the rig cannot act on (a bad amount, an unknown card, the power is off). */
export class LiveActionError extends Error {
  override name = 'LiveActionError';
  constructor(action: string, message: string) {
    super(`${action}: ${message}`);
  }
}

export type ActionBody = Readonly<Record<string, unknown>>;
export type LiveAction = (body: ActionBody) => Promise<void>;

const KEYS = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'ENTER', 'CANCEL', 'CLEAR']);
const METHODS: readonly CardMethod[] = ['swipe', 'chip', 'tap'];
/** The host's answer to a sale, on its way to the terminal. */
const isSaleAnswer = (m: { direction: string; mti: string }) => m.direction === 'response' && m.mti === '0210';

/** The actions by name (the page posts to /api/<name>). */
export function liveActions(rig: LiveRig, feed: LiveFeed): Readonly<Record<string, LiveAction>> {
  const { terminal } = rig;
  /** Commands reach a terminal only while it has power. */
  const powered = (action: string) => {
    if (rig.power && !rig.power.isOn) throw new LiveActionError(action, 'the terminal is switched off: power it on');
  };
  const faults = (action: string) => {
    if (!rig.faults) throw new LiveActionError(action, `rig ${rig.name} has no fault proxy (host.faults)`);
    return rig.faults;
  };
  const power = (action: string) => {
    if (!rig.power) throw new LiveActionError(action, `nothing on rig ${rig.name} can switch the terminal's power`);
    return rig.power;
  };
  return {
    async sale(body) {
      powered('sale');
      await terminal.startSale(amountOf(body, rig.file.currency));
    },
    async reprint() {
      powered('reprint');
      await terminal.reprint();
    },
    async cancel() {
      powered('cancel');
      await terminal.abort();
    },
    async card(body) {
      powered('card');
      const method = body.method as CardMethod;
      if (!METHODS.includes(method)) throw new LiveActionError('card', `method must be swipe, chip or tap`);
      const card = cardOf(rig, body.alias);
      await terminal.presentCard({ method, pan: card.pan, expiry: card.expiry });
    },
    async keys(body) {
      powered('keys');
      const keys = body.keys;
      if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string' && KEYS.has(k)))
        throw new LiveActionError('keys', 'keys must be a list of 0-9, ENTER, CANCEL, CLEAR');
      await terminal.pressKeys(keys as string[]);
    },
    async printer(body) {
      powered('printer');
      const state = body.state;
      if (state !== 'ok' && state !== 'paper-out')
        throw new LiveActionError('printer', 'state must be ok or paper-out');
      await terminal.setPrinter(state);
      feed.printerSet(state);
    },
    async fault(body) {
      switch (body.kind) {
        case 'drop-response': {
          const proxy = faults('fault');
          feed.whenNetwork("drop the host's next answer (0210)", isSaleAnswer);
          await proxy.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0210' });
          return;
        }
        case 'cut-power-online': {
          const proxy = faults('fault');
          const switchable = power('fault');
          feed.whenNetwork('cut the power once the host has answered the 0200', isSaleAnswer, async () => {
            await switchable.off();
          });
          await proxy.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0210' });
          return;
        }
        case 'heal':
          await faults('fault').heal();
          feed.disarmAll();
          return;
        default:
          throw new LiveActionError('fault', 'kind must be drop-response, cut-power-online or heal');
      }
    },
    async power(body) {
      const switchable = power('power');
      if (body.state === 'off') await switchable.off();
      else if (body.state === 'on') await switchable.on();
      else throw new LiveActionError('power', 'state must be on or off');
      feed.publishStatus();
    },
    async reset() {
      await rig.reset();
      await feed.restarted();
    },
  };
}

function amountOf(body: ActionBody, currency: string) {
  const amount = typeof body.amount === 'string' ? body.amount.trim() : '';
  if (!/^\d{1,10}(\.\d{1,3})?$/.test(amount))
    throw new LiveActionError('sale', `amount must be a positive amount such as 12.34, got "${amount}"`);
  let money: ReturnType<typeof parseMoney>;
  try {
    money = parseMoney(`${amount} ${currency}`);
  } catch (error) {
    throw new LiveActionError('sale', (error as Error).message);
  }
  if (money.minor <= 0) throw new LiveActionError('sale', 'amount must be more than zero');
  return money;
}

function cardOf(rig: LiveRig, alias: unknown) {
  try {
    return rig.cards.get(String(alias));
  } catch (error) {
    if (error instanceof UnknownCardError) throw new LiveActionError('card', error.message);
    throw error;
  }
}
