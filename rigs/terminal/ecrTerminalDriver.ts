// The TerminalDriver for any terminal that speaks the ECR test link (docs/protocol.md): real firmware or the simulator.
//   const terminal = new EcrTerminalDriver('T0000001', new EcrLink(port));  await terminal.connect();

import { randomUUID } from 'node:crypto';
import type { Money } from '../../protocols/domain/money.ts';
import type { EcrLink, EcrMessage, HarnessCommand } from '../../protocols/ecr/index.ts';
import { EventHistory } from './eventHistory.ts';
import type { CardPresentation, PrinterState, TerminalDriver, TerminalInfo } from './terminalDriver.ts';

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

  constructor(
    readonly id: string,
    private readonly link: EcrLink,
    options: EcrTerminalDriverOptions = {},
  ) {
    this.answerTimeoutMs = options.answerTimeoutMs ?? 5000;
    link.on('message', (message: EcrMessage) => this.history.add('in', message));
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
    await this.send({ type: 'hello', protocol: '1' }, true);
    const record = await this.history.waitFor(
      'the terminal\'s "info" answer to hello',
      (r) => r.message.type === 'info',
      {
        timeoutMs: this.answerTimeoutMs,
        from,
      },
    );
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

  async reprint(): Promise<void> {
    this.transaction = await this.send({ type: 'reprint' });
  }

  async setPrinter(state: PrinterState, after: 'now' | 'first-copy' = 'now'): Promise<void> {
    await this.send({ type: 'printer.set', state, after });
  }

  async reset(): Promise<void> {
    await this.send({ type: 'abort' });
    await this.send({ type: 'printer.set', state: 'ok', after: 'now' });
    // hello → info is a barrier: the link is in order, so once info arrives, everything the terminal
    // sent in answer to the abort (and anything still in flight before it) has arrived too.
    const from = this.history.mark();
    await this.send({ type: 'hello', protocol: '1' });
    await this.history.waitFor('the terminal\'s "info" answer after "abort"', (r) => r.message.type === 'info', {
      timeoutMs: this.answerTimeoutMs,
      from,
    });
    this.history.clear();
    this.transaction = undefined;
  }

  async close(): Promise<void> {
    this.state = 'closed';
    this.link.close();
  }

  /** Sends a command and returns its id. */
  private async send(body: CommandBody, beforeConnect = false): Promise<string> {
    if (this.state === 'closed') throw new TerminalStateError(`terminal ${this.id}: "${body.type}" after close()`);
    if (this.state !== 'connected' && !beforeConnect) {
      throw new TerminalStateError(`terminal ${this.id}: "${body.type}" before connect()`);
    }
    const command = { ...body, id: `${this.session}-${++this.sent}` } as HarnessCommand;
    this.history.add('out', command);
    await this.link.send(command);
    return command.id;
  }
}

/** A swipe carries track 2 equivalent data (PAN=YYMM + service code 101), as a magstripe reader would. */
function track2Of(card: CardPresentation): { track2?: string } {
  return card.method === 'swipe' ? { track2: `${card.pan}=${card.expiry}101` } : {};
}
