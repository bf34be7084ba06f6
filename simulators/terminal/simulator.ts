// TerminalSimulator: the simulated POS terminal — firmware state machine, ECR test link to the harness, ISO 8583 to the host.
//   const terminal = new TerminalSimulator({ tid: 'T0000001', mid: '898310048160001', merchantName: 'Demo', language: 'zh-CN',
//     currency: 'CNY', host: { host: '127.0.0.1', port: 5000 }, responseTimeoutMs: 1500 });
//   terminal.attach(serialPortOrPtyOrSocket);   // the harness sends `hello`, `sale`, `input.card` ...
//   await terminal.stop();

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  EcrLink,
  type EcrLinkOptions,
  EcrMessageError,
  type FrameError,
  isHarnessCommand,
  type TerminalEvent,
} from '../../protocols/ecr/index.ts';
import { type Clock, systemClock } from './clock.ts';
import { checkTerminalConfig, type TerminalConfig } from './config.ts';
import { Firmware, type FirmwareState, type TerminalEventBody } from './firmware.ts';
import { HostClient } from './hostClient.ts';
import { MemoryReversalStore, type PendingReversal, type ReversalStore } from './reversalStore.ts';
import { MemoryStanCounter, type StanCounter } from './stan.ts';

/** Parts a test or a rig may swap: the clock, where STAN and pending reversals are kept, link timing. */
export interface TerminalParts {
  clock?: Clock;
  stans?: StanCounter;
  reversals?: ReversalStore;
  link?: EcrLinkOptions;
  /** keep the host connection open between transactions (default: connect per transaction) */
  keepAlive?: boolean;
}

export interface AttachOptions {
  /** called by stop() to close the byte stream the simulator was given, when it owns it */
  release?: () => Promise<void> | void;
}

/** The simulated terminal. Emits 'event' (TerminalEvent sent to the harness), 'iso' (masked HostTrace), 'fault'. */
export class TerminalSimulator extends EventEmitter {
  readonly #firmware: Firmware;
  readonly #host: HostClient;
  readonly #reversals: ReversalStore;
  readonly #linkOptions: EcrLinkOptions;
  readonly #idPrefix: string;
  #nextId = 0;
  #link: EcrLink | null = null;
  #release: AttachOptions['release'];

  constructor(config: TerminalConfig, parts: TerminalParts = {}) {
    super();
    const resolved = checkTerminalConfig(config);
    this.#reversals = parts.reversals ?? new MemoryReversalStore();
    this.#linkOptions = { name: `terminal ${resolved.tid}`, ...parts.link };
    this.#idPrefix = `${resolved.serial}-${randomBytes(3).toString('hex')}`;
    this.#host = new HostClient({
      ...resolved.host,
      responseTimeoutMs: resolved.responseTimeoutMs,
      ...(parts.keepAlive ? { keepAlive: true } : {}),
    });
    this.#host.on('trace', (trace) => this.emit('iso', trace));
    this.#host.on('discarded', (trace) => this.emit('iso', { ...trace, discarded: true }));
    this.#firmware = new Firmware({
      config: resolved,
      emit: (event) => this.#send(event),
      host: this.#host,
      stans: parts.stans ?? new MemoryStanCounter(),
      reversals: this.#reversals,
      clock: parts.clock ?? systemClock,
    });
  }

  /** Speaks the ECR link over this byte stream (mock serial device side, PTY end, socket); replaces any earlier one. */
  attach(stream: Duplex, options: AttachOptions = {}): void {
    this.#link?.close();
    const link = new EcrLink(stream, this.#linkOptions);
    link.on('message', (message) => {
      if (isHarnessCommand(message)) this.#firmware.handle(message);
      else
        this.#send({
          type: 'error',
          code: 'unexpected',
          message: `"${message.type}" is a terminal event, not a command`,
          ref: message.id,
        });
    });
    link.on('fault', (fault: FrameError | EcrMessageError) => {
      this.emit('fault', fault);
      if (fault instanceof EcrMessageError) this.#send({ type: 'error', code: 'bad-message', message: fault.message });
    });
    this.#link = link;
    this.#release = options.release;
  }

  /** The firmware state: idle, card, pin, online, result, printing. */
  get state(): FirmwareState {
    return this.#firmware.state;
  }

  /** Requests recorded for reversal (the reversal hook; nothing is sent yet). */
  get pendingReversals(): readonly PendingReversal[] {
    return this.#reversals.pending;
  }

  /** Back to idle, STAN counter kept; a transaction in hand is abandoned. */
  reset(): void {
    this.#firmware.reset();
  }

  /** Closes the link and the host connection (and the stream, when attached with a release). */
  async stop(): Promise<void> {
    this.#firmware.reset();
    this.#link?.close();
    this.#link = null;
    await this.#host.close();
    const release = this.#release;
    this.#release = undefined;
    await release?.();
  }

  #send(body: TerminalEventBody): void {
    const event = { ...body, id: `${this.#idPrefix}-${++this.#nextId}` } as TerminalEvent;
    this.emit('event', event);
    this.#link?.send(event).catch((error: Error) => this.emit('fault', error));
  }
}
