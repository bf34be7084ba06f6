// TerminalSimulator: the simulated POS terminal — firmware state machine, ECR test link to the harness, ISO 8583 to the
// host, a non-volatile store (config.stateDir) and a power switch: powerOff() loses RAM and falls silent, powerOn()
// boots (reload the store, `info` + `state idle` unsolicited, 0800 sign-on, then the stored reversals go out).
//   const terminal = new TerminalSimulator({ tid: 'T0000001', mid: '898310048160001', merchantName: 'Demo', language: 'zh-CN',
//     currency: 'CNY', host: { host: '127.0.0.1', port: 5000 }, responseTimeoutMs: 1500, stateDir: '/tmp/t1' });
//   terminal.attach(serialPortOrPtyOrSocket);   // the harness sends `hello`, `sale`, `input.card` ...
//   await terminal.attachLink(mqttAttachment);    // or over MQTT: a link opened at each power-up
//   terminal.powerOff(); await terminal.powerOn();
//   await terminal.stop();

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  EcrLink,
  type EcrLinkOptions,
  EcrMessageError,
  isHarnessCommand,
  type MessageLink,
  type TerminalEvent,
} from '../../protocols/ecr/index.ts';
import { type Clock, systemClock } from './clock.ts';
import { checkTerminalConfig, type ResolvedTerminalConfig, type TerminalConfig } from './config.ts';
import { defectSet } from './defects.ts';
import { Firmware, type FirmwareState, type TerminalEventBody } from './firmware.ts';
import { HostClient } from './hostClient.ts';
import { signOnRequest } from './isoRequest.ts';
import { linkDefectOptions, withLinkDefects } from './linkDefects.ts';
import { NonVolatileStore } from './nonVolatileStore.ts';
import { takeStan } from './onlinePhase.ts';
import { ReversalSender } from './reversalSender.ts';
import { MemoryReversalStore, type PendingReversal, type ReversalStore } from './reversalStore.ts';
import { MemoryStanCounter, type StanCounter } from './stan.ts';

/** Parts a test or a rig may swap: the clock, where STAN and pending reversals are kept, link timing. */
export interface TerminalParts {
  clock?: Clock;
  /** a STAN counter owned by the caller (survives powerOff); default: config.stateDir, else RAM */
  stans?: StanCounter;
  /** a reversal store owned by the caller (survives powerOff); default: config.stateDir, else RAM */
  reversals?: ReversalStore;
  link?: EcrLinkOptions;
  /** keep the host connection open between transactions (default: connect per transaction) */
  keepAlive?: boolean;
  /** start with the power off: silent until powerOn() boots it (what `posrig sim terminal` does) */
  poweredOff?: boolean;
}

export interface AttachOptions {
  /** called by stop() to close the byte stream the simulator was given, when it owns it */
  release?: () => Promise<void> | void;
}

/** How the terminal reaches the harness when it is not a byte stream (MQTT): opened at each power-up. */
export interface LinkAttachment {
  /** Connects and returns the link, ready to carry messages both ways (subscribed, status online). */
  open(): Promise<MessageLink>;
  /** The power went: the link was closed; now drop what is under it as a power cut would (an MQTT connection without
   * DISCONNECT, so the broker publishes the last will). */
  powerLost(): void;
  /** stop(): let go of everything. */
  release(): Promise<void>;
}

/** Everything that lives in RAM between a power-up and the next power cut. */
interface Session {
  live: boolean;
  firmware: Firmware;
  host: HostClient;
  sender: ReversalSender;
  stans: StanCounter;
  reversals: ReversalStore;
  nonVolatile?: NonVolatileStore;
}

/** The simulated terminal. Emits 'event' (TerminalEvent sent to the harness), 'iso' (masked HostTrace), 'fault',
 * 'failover' (HostFailover). */
export class TerminalSimulator extends EventEmitter {
  readonly #config: ResolvedTerminalConfig;
  readonly #parts: TerminalParts;
  readonly #linkOptions: EcrLinkOptions;
  readonly #idPrefix: string;
  #session: Session;
  #powered: boolean;
  #nextId = 0;
  #stream: Duplex | null = null;
  #attachment: LinkAttachment | null = null;
  #link: MessageLink | null = null;
  #release: AttachOptions['release'];
  readonly #ignore = (): void => {
    /* powered off: bytes on the ECR line fall on the floor, unanswered */
  };

  /** Checks the config and loads the non-volatile store; TerminalConfigError / TerminalStateError when either is bad. */
  constructor(config: TerminalConfig, parts: TerminalParts = {}) {
    super();
    this.#config = checkTerminalConfig(config);
    this.#parts = parts;
    this.#linkOptions = { name: `terminal ${this.#config.tid}`, ...parts.link };
    this.#idPrefix = `${this.#config.serial}-${randomBytes(3).toString('hex')}`;
    this.#powered = !parts.poweredOff;
    this.#session = this.#boot();
    this.#session.sender.markPowerFailure();
  }

  /** Speaks the ECR link over this byte stream (mock serial device side, PTY end, socket); replaces any earlier one. */
  attach(stream: Duplex, options: AttachOptions = {}): void {
    this.#link?.close();
    this.#link = null;
    this.#stream?.off('data', this.#ignore);
    this.#stream = stream;
    this.#release = options.release;
    if (this.#powered) this.#openLink(stream);
    else this.#silence(stream);
  }

  /** Speaks the ECR link over a link opened at each power-up (MQTT); resolves once the first is open, if powered. */
  async attachLink(attachment: LinkAttachment): Promise<void> {
    this.#attachment = attachment;
    this.#release = () => attachment.release();
    if (this.#powered) this.#useLink(await attachment.open());
    else attachment.powerLost();
  }

  /** The firmware state: idle, card, pin, online, result, printing. */
  get state(): FirmwareState {
    return this.#session.firmware.state;
  }

  /** True while the power is on. */
  get powered(): boolean {
    return this.#powered;
  }

  /** Requests recorded for reversal: armed before each 0200, due once they need reversing, gone once confirmed. */
  get pendingReversals(): readonly PendingReversal[] {
    return this.#session.reversals.pending;
  }

  /** Back to idle, STAN counter kept; a transaction in hand is abandoned. */
  reset(): void {
    this.#session.firmware.reset();
  }

  /** Power cut: the transaction, last receipt and printer queue are lost, host sockets destroyed; the link stays
   * attached but the terminal ignores every frame and sends nothing. Only the non-volatile store survives. */
  powerOff(): void {
    if (!this.#powered) return;
    this.#powered = false;
    this.#end(this.#session);
    this.#link?.close();
    this.#link = null;
    if (this.#stream) this.#silence(this.#stream);
    this.#attachment?.powerLost();
  }

  /** Boots: reloads the store, sends `info` and `state idle` unsolicited, signs on (0800 DE70 '001'), then starts
   * delivering stored reversals (resolves once the sign-on is answered or failed; TerminalStateError: corrupt store). */
  async powerOn(): Promise<void> {
    if (this.#powered) return;
    const session = this.#boot();
    session.sender.markPowerFailure();
    this.#end(this.#session);
    this.#session = session;
    this.#powered = true;
    if (this.#stream) {
      this.#stream.off('data', this.#ignore);
      this.#openLink(this.#stream);
    }
    if (this.#attachment) this.#useLink(await this.#attachment.open());
    session.firmware.announce();
    session.firmware.announceState();
    // the 'reversal-before-sign-on' defect delivers the stored reversals first, the 0800 after them
    const early = defectSet(this.#config.defects).has('reversal-before-sign-on');
    if (early) {
      session.sender.deliverDue();
      await session.sender.settle();
    }
    await this.#signOn(session);
    if (session.live && !early) session.sender.deliverDue();
  }

  /** Closes the link and the host connection (and the stream, when attached with a release). */
  async stop(): Promise<void> {
    const session = this.#session;
    session.firmware.reset();
    session.sender.stop();
    this.#link?.close();
    this.#link = null;
    this.#stream?.off('data', this.#ignore);
    this.#stream = null;
    this.#attachment = null;
    await session.host.close();
    const release = this.#release;
    this.#release = undefined;
    await release?.();
  }

  #boot(): Session {
    const config = this.#config;
    const defects = defectSet(config.defects);
    const clock = this.#parts.clock ?? systemClock;
    const nonVolatile = config.stateDir
      ? NonVolatileStore.open(config.stateDir, { persistReversals: !defects.has('reversal-not-persisted') })
      : undefined;
    const stans = this.#parts.stans ?? nonVolatile ?? new MemoryStanCounter();
    const reversals =
      this.#parts.reversals ??
      (nonVolatile && !defects.has('reversal-not-persisted') ? nonVolatile : new MemoryReversalStore());
    const host = new HostClient({
      ...config.host,
      responseTimeoutMs: config.responseTimeoutMs,
      connectTimeoutMs: config.connectTimeoutMs,
      ...(config.backupHost ? { backup: config.backupHost } : {}),
      packaging: config.hostPackaging,
      ...(this.#parts.keepAlive ? { keepAlive: true } : {}),
    });
    const session = { live: true } as Session;
    const emit = (event: TerminalEventBody) => {
      if (session.live && this.#powered) this.#send(event);
    };
    host.on('trace', (trace) => session.live && this.emit('iso', trace));
    host.on('discarded', (trace) => session.live && this.emit('iso', { ...trace, discarded: true }));
    host.on('failover', (failover) => session.live && this.emit('failover', failover));
    const notify = (notice: Parameters<ConstructorParameters<typeof ReversalSender>[0]['notify']>[0]) =>
      emit({ type: 'reversal', ...notice });
    const sender = new ReversalSender({
      store: reversals,
      host,
      clock,
      retryMs: config.reversalRetryMs,
      notify,
      defects,
    });
    const firmware = new Firmware({ config, emit, host, stans, reversals, sender, clock, defects });
    return Object.assign(session, {
      firmware,
      host,
      sender,
      stans,
      reversals,
      ...(nonVolatile ? { nonVolatile } : {}),
    });
  }

  /** The RAM of a session is gone: nothing it still has in flight may show, store or send anything. */
  #end(session: Session): void {
    session.live = false;
    session.firmware.powerLoss();
    session.sender.stop();
    session.nonVolatile?.close();
    void session.host.close();
  }

  async #signOn(session: Session): Promise<void> {
    const { tid, mid } = this.#config;
    const clock = this.#parts.clock ?? systemClock;
    const stan = takeStan(session.stans, defectSet(this.#config.defects));
    try {
      await session.host.exchange(signOnRequest({ stan, at: clock(), tid, mid }));
    } catch {
      // no sign-on (host down): the terminal still works; each transaction dials again
    }
  }

  #openLink(stream: Duplex): void {
    // The seeded link defects act on the bytes and the link's timers; without them this is the stream itself.
    const defects = defectSet(this.#config.defects);
    this.#useLink(
      new EcrLink(withLinkDefects(stream, defects), { ...this.#linkOptions, ...linkDefectOptions(defects) }),
    );
  }

  #useLink(link: MessageLink): void {
    link.on('message', (message) => {
      if (isHarnessCommand(message)) this.#session.firmware.handle(message);
      else {
        const text = `"${message.type}" is a terminal event, not a command`;
        this.#send({ type: 'error', code: 'unexpected', message: text, ref: message.id });
      }
    });
    link.on('fault', (fault: Error) => {
      this.emit('fault', fault);
      if (fault instanceof EcrMessageError) this.#send({ type: 'error', ...refusalOf(fault) });
    });
    this.#link = link;
  }

  #silence(stream: Duplex): void {
    stream.on('data', this.#ignore);
    stream.resume();
  }

  #send(body: TerminalEventBody): void {
    if (!this.#powered) return;
    const event = { ...body, id: `${this.#idPrefix}-${++this.#nextId}` } as TerminalEvent;
    this.emit('event', event);
    this.#link?.send(event).catch((error: Error) => this.emit('fault', error));
  }
}

/** The `error` answering an intact frame that is no valid command (docs/protocol.md sections 7, 11, 13): an unknown
 * type is `unsupported`, a hello in another protocol version `unsupported-protocol`, the rest `bad-message`; `ref`
 * names the command whenever its `id` can be read. */
function refusalOf(fault: EcrMessageError): { code: string; message: string; ref?: string } {
  let id: unknown;
  try {
    id = (JSON.parse(fault.payload ?? '') as { id?: unknown } | null)?.id;
  } catch {
    // not JSON: no id to name
  }
  const ref = typeof id === 'string' && id.length >= 1 && id.length <= 64 ? { ref: id } : {};
  if (fault.unknownType) return { code: 'unsupported', message: `${fault.messageType} is not a known command`, ...ref };
  if (fault.messageType === 'hello' && fault.path === 'protocol') {
    return { code: 'unsupported-protocol', message: 'this terminal speaks protocol version 1 only', ...ref };
  }
  return { code: 'bad-message', message: fault.message, ...ref };
}
