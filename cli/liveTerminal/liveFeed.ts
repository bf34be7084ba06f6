// What the live page sees of a rig, as a stream of messages: the terminal's events (display, voice, print, result,
// reversal, state, error), the network between terminal and host, the bank's ledger (refreshed after each result,
// reversal or host answer), the rig's status (power, printer, armed faults) and notices. PANs are masked in all of it.
//   const feed = new LiveFeed(rig); await feed.start();
//   const unsubscribe = feed.subscribe((message) => send(message));   // replays what happened so far first
//   feed.whenNetwork('cut the power when the host answers', isAnswer, () => rig.power.off());

import { formatMoney, type Money } from '../../protocols/domain/money.ts';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import type { TerminalEvent } from '../../protocols/ecr/index.ts';
import type { ProxyMessage } from '../../rigs/faults/faults.ts';
import type { Rig } from '../../rigs/rig.ts';
import type { PrinterState } from '../../rigs/terminal/terminalDriver.ts';
import { type Follower, follow } from './follow.ts';
import { balancesNow, type LedgerView, ledgerView } from './ledgerView.ts';

export type LiveRig = Pick<Rig, 'name' | 'file' | 'terminal' | 'bank' | 'cards' | 'faults' | 'power' | 'reset'>;

export interface LiveStatus {
  readonly rig: string;
  readonly tid: string;
  readonly merchant: string;
  readonly language: string;
  readonly currency: string;
  /** 'none' when nothing on the rig can cut the terminal's power */
  readonly power: 'on' | 'off' | 'none';
  readonly faults: boolean;
  /** What is armed and has not fired yet, in words. */
  readonly armed: readonly string[];
  readonly printer: PrinterState;
  readonly cards: readonly { alias: string; pan: string; status: string }[];
  /** How the terminal reads cards (swipe, chip, tap), from its info. */
  readonly methods: readonly string[];
}

export type LiveMessage =
  /** `amount`: a result's amount, formatted ("12.34 CNY"). */
  | { kind: 'terminal'; at: string; event: TerminalEvent; amount?: string }
  | {
      kind: 'network';
      at: string;
      direction: 'request' | 'response';
      mti: string;
      stan?: string | undefined;
      responseCode?: string | undefined;
      fault?: string | undefined;
      delivered: boolean;
    }
  | { kind: 'ledger'; ledger: LedgerView }
  | { kind: 'status'; status: LiveStatus }
  | { kind: 'notice'; at: string; level: 'info' | 'error'; text: string }
  /** The rig was reset: what the page shows so far belongs to before. */
  | { kind: 'reset'; at: string };

type Listener = (message: LiveMessage) => void;

interface Trigger {
  readonly what: string;
  readonly from: number;
  readonly matches: (message: ProxyMessage) => boolean;
  readonly then: () => Promise<void>;
}

/** Messages kept for a page that connects later. */
const REPLAY_LIMIT = 2000;

export class LiveFeed {
  private readonly listeners = new Set<Listener>();
  private readonly replay: LiveMessage[] = [];
  private readonly followers: Follower[] = [];
  private triggers: Trigger[] = [];
  private start_: ReadonlyMap<string, Money> | undefined;
  private ledger: LedgerView = { visible: false, accounts: [], journal: [] };
  private refreshing: Promise<void> = Promise.resolve();
  private refreshAgain = false;
  private printer: PrinterState = 'ok';

  constructor(private readonly rig: LiveRig) {}

  /** Notes the starting balances and begins following the terminal and the network. */
  async start(): Promise<void> {
    this.start_ = await balancesNow(this.rig);
    await this.refreshLedger();
    const history = this.rig.terminal.history;
    this.followers.push(
      follow(
        {
          mark: () => history.mark(),
          next: (from, timeoutMs) => history.waitFor('the next terminal event', () => true, { from, timeoutMs }),
        },
        (from) => {
          for (const record of history.events(from)) this.terminalEvent(record.at, record.message);
        },
        (error) => this.notice('error', error.message),
      ),
    );
    const faults = this.rig.faults;
    if (faults) {
      this.followers.push(
        follow(
          {
            mark: () => faults.mark(),
            next: (from, timeoutMs) => faults.waitForMessage('the next message', () => true, { from, timeoutMs }),
          },
          (from) => {
            faults.messages(from).forEach((message, i) => {
              this.networkMessage(message, from + i);
            });
          },
        ),
      );
    }
  }

  /** Stops following; listeners get nothing more. */
  stop(): void {
    for (const follower of this.followers.splice(0)) follower.stop();
    this.listeners.clear();
  }

  /** Adds a listener; it first gets what happened so far, then the ledger and status now, then every new message. */
  subscribe(listener: Listener): () => void {
    for (const message of this.replay) listener(message);
    listener({ kind: 'ledger', ledger: this.ledger });
    listener({ kind: 'status', status: this.status() });
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the page something: a fault that fired, an action the terminal refused. */
  notice(level: 'info' | 'error', text: string): void {
    this.publish({ kind: 'notice', at: new Date().toISOString(), level, text: maskPansIn(text) });
  }

  /** Once the proxy sees a message that matches (from now on), runs `then`; listed as armed until then. */
  whenNetwork(what: string, matches: (message: ProxyMessage) => boolean, then: () => Promise<void> = async () => {}) {
    if (!this.rig.faults) return;
    this.triggers.push({ what, from: this.rig.faults.mark(), matches, then });
    this.publishStatus();
  }

  /** Forgets what is armed (the faults were healed or the rig reset). */
  disarmAll(): void {
    this.triggers = [];
    this.publishStatus();
  }

  /** The printer test hook's state as last set from the page. */
  printerSet(state: PrinterState): void {
    this.printer = state;
    this.publishStatus();
  }

  /** After a rig reset: the page starts over, the ledger's new state is the starting point, nothing is armed, the
   * printer has paper. */
  async restarted(): Promise<void> {
    this.triggers = [];
    this.printer = 'ok';
    this.replay.length = 0;
    this.publish({ kind: 'reset', at: new Date().toISOString() });
    this.start_ = await balancesNow(this.rig);
    this.notice('info', 'rig reset: power on, faults healed, terminal idle, ledger re-seeded');
    await this.refreshLedger();
  }

  /** Sends the status again (the power was switched). */
  publishStatus(): void {
    this.publish({ kind: 'status', status: this.status() });
  }

  /** Reads the ledger again and sends it; calls that come while one runs are folded into one more read. */
  refreshLedger(): Promise<void> {
    if (this.refreshAgain) return this.refreshing;
    this.refreshAgain = true;
    this.refreshing = this.refreshing.then(async () => {
      this.refreshAgain = false;
      try {
        this.ledger = await ledgerView(this.rig, this.start_);
        this.publish({ kind: 'ledger', ledger: this.ledger });
      } catch (error) {
        this.notice('error', `the bank's ledger could not be read: ${(error as Error).message}`);
      }
    });
    return this.refreshing;
  }

  private status(): LiveStatus {
    const { rig } = this;
    const power = rig.power;
    const capabilities = rig.terminal.info?.capabilities ?? ['swipe', 'chip', 'tap'];
    return {
      rig: rig.name,
      tid: rig.terminal.id,
      merchant: `${rig.file.terminal.merchant.name} ${rig.file.terminal.merchant.id}`,
      language: rig.terminal.info?.language ?? rig.file.terminal.simulate?.language ?? 'zh-CN',
      currency: rig.file.currency,
      power: power ? (power.isOn ? 'on' : 'off') : 'none',
      faults: rig.faults !== undefined,
      armed: this.triggers.map((t) => t.what),
      printer: this.printer,
      cards: rig.cards.all().map((c) => ({ alias: c.alias, pan: maskPansIn(c.pan), status: c.status })),
      methods: ['swipe', 'chip', 'tap'].filter((m) => capabilities.includes(m)),
    };
  }

  private terminalEvent(at: Date, event: TerminalEvent): void {
    // The info answering the harness's barrier hello is link bookkeeping, not the terminal's doing.
    if (event.type === 'info' && event.ref !== undefined) return;
    const masked = JSON.parse(maskPansIn(JSON.stringify(event))) as TerminalEvent;
    const amount =
      event.type === 'result' && event.amount !== undefined
        ? { amount: formatMoney({ minor: event.amount, currency: event.currency ?? this.rig.file.currency }) }
        : {};
    this.publish({ kind: 'terminal', at: at.toISOString(), event: masked, ...amount });
    if (event.type === 'result' || event.type === 'reversal') void this.refreshLedger();
    if (event.type === 'info') this.publishStatus(); // booted: the power is on
  }

  private networkMessage(message: ProxyMessage, index: number): void {
    this.publish({
      kind: 'network',
      at: message.at.toISOString(),
      direction: message.direction,
      mti: message.mti,
      stan: message.stan,
      responseCode: message.responseCode,
      fault: message.fault,
      delivered: message.deliveredAt !== undefined || message.fault === undefined,
    });
    if (message.direction === 'response') void this.refreshLedger(); // the host has decided and posted
    const fired = this.triggers.filter((t) => index >= t.from && t.matches(message));
    if (fired.length === 0) return;
    this.triggers = this.triggers.filter((t) => !fired.includes(t));
    this.publishStatus();
    for (const trigger of fired) {
      this.notice('info', `fired: ${trigger.what}`);
      trigger.then().then(
        () => this.publishStatus(),
        (error: Error) => this.notice('error', `${trigger.what}: ${error.message}`),
      );
    }
  }

  private publish(message: LiveMessage): void {
    if (message.kind !== 'ledger' && message.kind !== 'status') {
      this.replay.push(message);
      if (this.replay.length > REPLAY_LIMIT) this.replay.splice(0, this.replay.length - REPLAY_LIMIT);
    }
    for (const listener of this.listeners) listener(message);
  }
}
