// The TerminalDriver for any terminal that speaks the ECR test link (docs/protocol.md): real firmware or the simulator,
// over the framed serial link or MQTT (any MessageLink).
//   const terminal = new EcrTerminalDriver('T0000001', new EcrLink(port));  await terminal.connect();

import { randomUUID } from 'node:crypto';
import type { Money } from '../../protocols/domain/money.ts';
import { findUnmaskedPans, maskPan, maskPansIn } from '../../protocols/domain/pan.ts';
import { type EcrMessage, EcrMessageError, type HarnessCommand, type MessageLink } from '../../protocols/ecr/index.ts';
import { RULES, type RuleId } from '../monitor/catalogue.ts';
import { FirmwareDefect } from '../verdict/culprit.ts';
import { EventHistory } from './eventHistory.ts';
import type { CardPresentation, PrinterState, TerminalDriver, TerminalInfo } from './terminalDriver.ts';
import { TerminalRefusal } from './terminalRefusal.ts';

/** A driver used in the wrong state (before connect, after close). */
export class TerminalStateError extends Error {
  override name = 'TerminalStateError';
}

type CommandBody = HarnessCommand extends infer C ? (C extends HarnessCommand ? Omit<C, 'id'> : never) : never;

export interface EcrTerminalDriverOptions {
  /** How long connect() and reset() wait for the terminal's answer. */
  readonly answerTimeoutMs?: number;
}

export class EcrTerminalDriver implements TerminalDriver {
  readonly history = new EventHistory();
  private terminalInfo: TerminalInfo | undefined;
  private state: 'idle' | 'connected' | 'closed' = 'idle';
  private readonly session = randomUUID().slice(0, 8);
  private sent = 0;
  private readonly answerTimeoutMs: number;
  private transaction: string | undefined;
  /** How many power cuts so far, the history cursor of the last (cursors only grow: "a cut since" needs no other),
   * and what the next one ends. */
  private cuts = 0;
  private lastCutAt = -1;
  private readonly onPowerCut = new Set<() => void>();

  constructor(
    readonly id: string,
    private readonly link: MessageLink,
    options: EcrTerminalDriverOptions = {},
  ) {
    this.answerTimeoutMs = options.answerTimeoutMs ?? 5000;
    link.on('message', (message: EcrMessage) => {
      this.history.add('in', message);
      this.checkEvent(message);
    });
    link.on('fault', (fault: Error) => this.checkFault(fault));
  }

  get info(): TerminalInfo | undefined {
    return this.terminalInfo;
  }

  get currentTransaction(): string | undefined {
    return this.transaction;
  }

  async connect(): Promise<TerminalInfo> {
    if (this.state === 'closed') throw new TerminalStateError(`terminal ${this.id}: connect() after close()`);
    const from = this.history.mark();
    const hello = await this.send({ type: 'hello', protocol: '1' }, true);
    const record = await this.history.waitFor('the terminal\'s "info" answer to hello', answers(hello), {
      timeoutMs: this.answerTimeoutMs,
      from,
    });
    this.terminalInfo = record.message as TerminalInfo;
    this.state = 'connected';
    return this.terminalInfo;
  }

  async startSale(amount: Money): Promise<void> {
    this.transaction = await this.send({ type: 'sale', amount: amount.minor, currency: amount.currency });
  }

  async presentCard(card: CardPresentation): Promise<void> {
    await this.send({ type: 'input.card', method: card.method, pan: card.pan, expiry: card.expiry, ...track2Of(card) });
  }

  async pressKeys(keys: readonly string[]): Promise<void> {
    await this.send({ type: 'input.keys', keys: [...keys] });
  }

  async abort(): Promise<void> {
    await this.send({ type: 'abort' });
  }

  async reprint(): Promise<void> {
    this.transaction = await this.send({ type: 'reprint' });
  }

  async setPrinter(state: PrinterState, after: 'now' | 'first-copy' = 'now'): Promise<void> {
    await this.send({ type: 'printer.set', state, after });
  }

  async reset(): Promise<void> {
    this.history.clear(); // a defect the last scenario was failed with does not block this reset
    await this.send({ type: 'abort' });
    // Its barrier (see send) has brought in everything the terminal sent in answer to the abort.
    await this.send({ type: 'printer.set', state: 'ok', after: 'now' });
    this.history.clear();
    this.transaction = undefined;
  }

  async close(): Promise<void> {
    this.state = 'closed';
    this.link.close();
  }

  /** The terminal lost its power (the rig's power switch says so): a barrier in flight ends without its answer. */
  powerLost(): void {
    this.cuts++;
    this.lastCutAt = this.history.mark();
    for (const end of [...this.onPowerCut]) end();
  }

  powerCutSince(from: number): boolean {
    return this.lastCutAt >= from;
  }

  async unlessPowerCut<T>(work: Promise<T>): Promise<T | undefined> {
    const cutsBefore = this.cuts;
    let end = () => {};
    const cut = new Promise<undefined>((resolve) => {
      end = () => resolve(undefined);
    });
    this.onPowerCut.add(end);
    work.catch(() => {}); // the race below may stop awaiting it
    try {
      return await Promise.race([work, cut]);
    } catch (error) {
      if (this.cuts === cutsBefore) throw error;
      return undefined; // it failed because the power went: a terminal without power answers nothing
    } finally {
      this.onPowerCut.delete(end);
    }
  }

  /** An event that breaks the spec fails the scenario as a firmware defect, named: every wait fails with it at once
   * (docs/protocol.md sections 6 and 11). */
  private checkEvent(message: EcrMessage): void {
    const pans = findUnmaskedPans(JSON.stringify(message));
    if (pans.length > 0)
      this.defect(
        'pan-masked',
        `the terminal sent a clear card number (${pans.map(maskPan).join(', ')}) in a "${message.type}" event: every PAN a terminal sends is masked`,
      );
  }

  /** A frame that arrived intact but whose message is invalid. An unknown event type is ignored (a newer terminal,
   * section 13); a bad frame was NAKed and is sent again by the link, so it is no defect by itself. */
  private checkFault(fault: Error): void {
    if (!(fault instanceof EcrMessageError) || fault.unknownType) return;
    const pans = findUnmaskedPans(fault.payload ?? '');
    const message = maskPansIn(fault.message);
    if (pans.length > 0)
      this.defect(
        'pan-masked',
        `the terminal sent a clear card number (${pans.map(maskPan).join(', ')}) in an event (${message}): every PAN a terminal sends is masked`,
      );
    else this.defect('event-valid', `the terminal sent an invalid event: ${message}`);
  }

  /** Fails every wait at once, naming the rule of the behaviour monitor's catalogue and its clause. */
  private defect(rule: RuleId, message: string): void {
    this.history.fail(new FirmwareDefect(`[${rule}] docs/protocol.md ${RULES[rule].clause}: ${message}`));
  }

  /** Sends a command and returns its id. */
  private async send(body: CommandBody, beforeConnect = false): Promise<string> {
    if (this.state === 'closed') throw new TerminalStateError(`terminal ${this.id}: "${body.type}" after close()`);
    if (this.state !== 'connected' && !beforeConnect) {
      throw new TerminalStateError(`terminal ${this.id}: "${body.type}" before connect()`);
    }
    const command = { ...body, id: `${this.session}-${++this.sent}` } as HarnessCommand;
    const from = this.history.mark();
    this.history.add('out', command);
    await this.link.send(command);
    if (body.type !== 'hello') await this.refusalOf(command, from);
    return command.id;
  }

  /** Throws the terminal's refusal of a command, if it refused it. hello → info is the barrier: the link is in order
   * and a terminal answers a command it refuses before the next (docs/protocol.md sections 7, 10), so once info
   * arrives, any `error` naming the command has arrived too. */
  private async refusalOf(command: HarnessCommand, from: number): Promise<void> {
    const hello = { type: 'hello', protocol: '1', id: `${this.session}-${++this.sent}` } as const;
    const barrier = this.history.mark();
    this.history.add('out', hello);
    const answered = this.link.send(hello).then(() =>
      this.history.waitFor(`the terminal's "info" answer to hello after "${command.type}"`, answers(hello.id), {
        timeoutMs: this.answerTimeoutMs,
        from: barrier,
      }),
    );
    // A power cut while the barrier is out ends it: a terminal without power answers nothing, and that is no fault.
    await this.unlessPowerCut(answered);
    const refusal = this.history
      .events(from)
      .find((r) => r.message.type === 'error' && r.message.ref === command.id)?.message;
    if (refusal?.type === 'error') throw new TerminalRefusal(command.type, refusal.code, refusal.message);
  }
}

/** The `info` answering a hello: the one naming it in `ref`, or (a terminal that sends no `ref`) the first after it. */
function answers(hello: string): (record: { message: EcrMessage }) => boolean {
  return ({ message }) => message.type === 'info' && (message.ref === undefined || message.ref === hello);
}

/** A swipe carries track 2 equivalent data (PAN=YYMM + service code 101), as a magstripe reader would. */
function track2Of(card: CardPresentation): { track2?: string } {
  return card.method === 'swipe' ? { track2: `${card.pan}=${card.expiry}101` } : {};
}
