// TerminalDriver: what steps may do with a terminal, real or simulated. A handful of methods over the ECR test link.
//   await terminal.startSale(parseMoney('100.00 CNY'));
//   await terminal.presentCard({ method: 'swipe', pan, expiry });
//   await terminal.history.waitFor('display "交易成功"', isDisplayOf('交易成功'), { timeoutMs: 5000 });

import type { Money } from '../../protocols/domain/money.ts';
import type { CardMethod, TerminalEvent } from '../../protocols/ecr/index.ts';
import type { EventHistory } from './eventHistory.ts';

export type TerminalInfo = Extract<TerminalEvent, { type: 'info' }>;

export interface CardPresentation {
  readonly method: CardMethod;
  readonly pan: string;
  readonly expiry: string;
}

export type PrinterState = 'ok' | 'paper-out' | 'jam';

export interface TerminalDriver {
  /** The terminal ID of the rig file (DE41). */
  readonly id: string;
  /** Everything that passed both ways, with timestamps; the one place to wait on. */
  readonly history: EventHistory;
  /** What the terminal said about itself on connect; undefined before connect(). */
  readonly info: TerminalInfo | undefined;
  /** The id of the last transaction command (sale, reprint …): a result whose `ref` differs belongs to another. */
  readonly currentTransaction: string | undefined;
  /** Says hello and waits for the terminal's info. */
  connect(): Promise<TerminalInfo>;
  /** The cash register asks for a sale of this amount. */
  startSale(amount: Money): Promise<void>;
  /** A card is swiped, inserted, tapped or a QR code shown (card simulator / robot stand-in). */
  presentCard(card: CardPresentation): Promise<void>;
  /** Keys pressed on the terminal's keypad: '0'..'9', 'ENTER', 'CANCEL', 'CLEAR'. */
  pressKeys(keys: readonly string[]): Promise<void>;
  /** The merchant (cash register) aborts the transaction in progress. */
  abort(): Promise<void>;
  /** The merchant asks for a reprint of the last receipt. */
  reprint(): Promise<void>;
  /** Sets the printer test hook: paper out or jam now or after the first copy; 'ok' = paper loaded. */
  setPrinter(state: PrinterState, after?: 'now' | 'first-copy'): Promise<void>;
  /** Told by the rig's power switch that the terminal lost power: nothing it was asked is answered any more. */
  powerLost(): void;
  /** The power was cut at or after this history cursor: a transaction open then ended without a result. */
  powerCutSince(from: number): boolean;
  /** The work's value, or undefined when the power is cut first (an error it then fails with is the cut's doing). */
  unlessPowerCut<T>(work: Promise<T>): Promise<T | undefined>;
  /** Back to idle with an empty history: between scenarios (reset, not restart). */
  reset(): Promise<void>;
  /** Closes the link; the driver is unusable afterwards. */
  close(): Promise<void>;
}
