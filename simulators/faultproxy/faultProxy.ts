// FaultProxy: a TCP proxy between terminal and acquirer that knows ISO 8583 message boundaries (2-byte length header,
// then a TPDU with the binary packaging) and applies armed fault rules to connections and messages. Nothing in it is simulator-specific: in a lab it listens
// where the real terminal dials, in front of the real test host.
//   const proxy = new FaultProxy({ upstream: { host: '127.0.0.1', port: hostPort } });
//   const { port } = await proxy.start();                       // point the terminal here
//   proxy.arm({ action: { kind: 'swallow' }, direction: 'response', mti: '0210' });
//   proxy.on('message', (m: ProxyMessage) => …);                // every message, as it arrives from its sender
//   proxy.heal(); await proxy.stop();

import { EventEmitter } from 'node:events';
import net from 'node:net';
import { clock } from '../../protocols/domain/clock.ts';
import type { Packaging } from '../../protocols/iso8583/index.ts';
import { alterBody } from './alterMessage.ts';
import { ConnectionPipe, type Verdict } from './connectionPipe.ts';
import type { FaultLogEntry, ProxyMessage } from './faultLog.ts';
import { type Direction, describeRule, FaultProxyError, type FaultRule } from './faultRule.ts';
import { type ArmedRule, FaultRules } from './faultRules.ts';
import { corruptBody, describeMessage, readBody, readFields } from './messageInfo.ts';

export interface FaultProxyOptions {
  upstream: { host: string; port: number }; // the acquirer host the proxy forwards to
  listen?: { host: string; port: number }; // default 127.0.0.1:0 (ephemeral)
  packaging?: Packaging; // how messages are read and altered: 'ascii' (ASCII-87, default) or 'binary' (ISO87B + TPDU)
}

export class FaultProxy extends EventEmitter {
  private readonly options: FaultProxyOptions;
  private readonly rules = new FaultRules({ onExpired: (armed) => this.expired(armed) });
  private readonly pipes = new Set<ConnectionPipe>();
  private readonly entries: FaultLogEntry[] = [];
  /** Connections accepted so far: each message names the one it came on. */
  private connections = 0;
  private server: net.Server | undefined;
  private bound: { host: string; port: number } | undefined;
  /** The refuse rule that closed the listening port, while it is closed. */
  private portClosedBy: number | undefined;

  constructor(options: FaultProxyOptions) {
    super();
    this.options = options;
  }

  /** The packaging the proxy reads messages in. */
  get packaging(): Packaging {
    return this.options.packaging ?? 'ascii';
  }

  /** What the rules did, oldest first (also emitted one by one as 'fault'). */
  get log(): readonly FaultLogEntry[] {
    return this.entries;
  }

  /** The address the proxy listens on; FaultProxyError before start(). */
  get address(): { host: string; port: number } {
    if (!this.bound) throw new FaultProxyError('fault proxy is not started: call start() first');
    return this.bound;
  }

  /** Starts listening; resolves with the bound address. */
  async start(): Promise<{ host: string; port: number }> {
    if (this.server) throw new FaultProxyError('fault proxy is already started');
    const { host, port } = this.options.listen ?? { host: '127.0.0.1', port: 0 };
    this.bound = await this.listen(host, port);
    return this.bound;
  }

  private listen(host: string, port: number): Promise<{ host: string; port: number }> {
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (error) => {
        this.server = undefined;
        reject(new FaultProxyError(`fault proxy cannot listen on ${host}:${port}: ${error.message}`));
      });
      server.listen(port, host, () => {
        server.on('error', (error) => this.record(0, `server error: ${error.message}`));
        resolve({ host, port: (server.address() as net.AddressInfo).port });
      });
    });
  }

  /** "Host down" until healed: the listening port is closed, so new connections get ECONNREFUSED (open ones go on). */
  private closePort(rule: number): void {
    this.portClosedBy = rule;
    this.server?.close();
    this.record(rule, 'closed the listening port: connections are refused (ECONNREFUSED) until healed');
  }

  private async reopenPort(): Promise<void> {
    const rule = this.portClosedBy;
    if (rule === undefined || !this.bound) return;
    await this.listen(this.bound.host, this.bound.port); // on failure the port stays "closed": a later heal retries
    this.portClosedBy = undefined;
    this.record(rule, 'reopened the listening port');
  }

  /** Disarms every rule, closes the server and every connection; resolves when all sockets are closed. */
  async stop(): Promise<void> {
    this.rules.clear();
    const server = this.server;
    this.server = undefined;
    this.bound = undefined;
    const pipes = [...this.pipes];
    for (const pipe of pipes) pipe.destroy();
    this.portClosedBy = undefined;
    const serverClosed = server?.listening
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    await Promise.all([serverClosed, ...pipes.map((pipe) => pipe.closed)]);
  }

  /** Validates and arms a rule after those already armed (FaultProxyError naming the bad key); returns its id.
   * A 'refuse' rule with times Infinity closes the listening port (a real host down: ECONNREFUSED); a counted
   * 'refuse' accepts each connection and resets it at once. */
  arm(rule: FaultRule): number {
    const armed = this.rules.arm(rule);
    this.record(armed.id, `armed: ${describeRule(armed.rule)}`);
    if (armed.rule.action.kind === 'refuse' && armed.rule.times === Number.POSITIVE_INFINITY) this.closePort(armed.id);
    return armed.id;
  }

  /** Disarms every rule; delayed messages are delivered now, blackholed connections are closed, a closed port
   * reopens (the path is back). Resolves once the port listens again. */
  async heal(): Promise<void> {
    for (const armed of this.rules.clear()) this.record(armed.id, 'disarmed (healed)');
    for (const pipe of this.pipes) {
      if (pipe.blackholedBy !== undefined) this.closeBlackholed(pipe, 'healed');
      else pipe.releaseDelayed();
    }
    await this.reopenPort();
  }

  /** Empties the log (between scenarios). */
  clearLog(): void {
    this.entries.length = 0;
  }

  private accept(terminal: net.Socket): void {
    terminal.on('error', () => {}); // every error ends in 'close'
    const remote = `${terminal.remoteAddress ?? '?'}:${terminal.remotePort ?? '?'}`;
    const connection = ++this.connections;
    if (!this.server) {
      terminal.destroy();
      return;
    }
    const armed = this.rules.takeForConnection();
    if (armed?.rule.action.kind === 'refuse') {
      this.record(armed.id, `refused connection from ${remote}`);
      terminal.resetAndDestroy();
      return;
    }
    if (armed?.rule.action.kind === 'blackhole') {
      this.record(armed.id, `blackholed connection from ${remote}`);
      const id = armed.id;
      this.track(
        new ConnectionPipe({
          terminal,
          blackholedBy: id,
          decide: (d, body) => this.blackholed(id, d, body, connection),
          packaging: this.packaging,
        }),
      );
      return;
    }
    const { host, port } = this.options.upstream;
    const upstream = net.connect({ host, port, allowHalfOpen: true });
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
    });
    upstream.once('error', (error) => {
      if (!connected) this.record(0, `upstream ${host}:${port} unreachable (${error.message}): closed ${remote}`);
    });
    const decide = (d: Direction, body: Buffer) => this.decide(d, body, connection);
    this.track(new ConnectionPipe({ terminal, upstream, decide, packaging: this.packaging }));
  }

  private track(pipe: ConnectionPipe): void {
    this.pipes.add(pipe);
    void pipe.closed.then(() => this.pipes.delete(pipe));
  }

  private decide(direction: Direction, body: Buffer, connection: number): Verdict {
    const { message, words } = this.seen(direction, body, connection);
    const armed = this.rules.takeForMessage(direction, message.mti);
    if (!armed) {
      this.emit('message', message);
      return { kind: 'forward', bodies: [body], delivered: deliveredNow(message) };
    }
    const action = armed.rule.action;
    message.fault = action.kind;
    let verdict: Verdict;
    switch (action.kind) {
      case 'drop':
        this.record(armed.id, `dropped ${words}: closed both sides of the connection`);
        verdict = { kind: 'drop' };
        break;
      case 'delay':
        this.record(armed.id, `delayed ${words} by ${action.ms} ms`);
        verdict = { kind: 'forward', bodies: [body], delayMs: action.ms, delivered: deliveredNow(message) };
        break;
      case 'corrupt': {
        const corrupted = corruptBody(body, this.packaging);
        this.record(armed.id, `corrupted ${words} (byte ${corrupted.offset} of the body changed)`);
        message.fields = undefined; // what arrives no longer parses
        verdict = { kind: 'forward', bodies: [corrupted.body], delivered: deliveredNow(message) };
        break;
      }
      case 'duplicate':
        this.record(armed.id, `duplicated ${words}`);
        verdict = { kind: 'forward', bodies: [body, body], delivered: deliveredNow(message) };
        break;
      case 'alter': {
        const altered = alterBody(body, action.fields, this.packaging);
        const what = altered.altered.map((de) => `DE${de}`).join(', ') || 'nothing (no such field)';
        this.record(armed.id, `altered ${words}: changed ${what}`);
        message.fields = readFields(altered.body, this.packaging); // as the receiver gets it
        verdict = { kind: 'forward', bodies: [altered.body], delivered: deliveredNow(message) };
        break;
      }
      default:
        this.record(armed.id, `swallowed ${words}`);
        verdict = { kind: 'swallow' };
    }
    this.emit('message', message);
    return verdict;
  }

  private blackholed(rule: number, direction: Direction, body: Buffer, connection: number): Verdict {
    const { message, words } = this.seen(direction, body, connection);
    message.fault = 'blackhole';
    this.record(rule, `blackholed ${words}`);
    this.emit('message', message);
    return { kind: 'swallow' };
  }

  private seen(direction: Direction, body: Buffer, connection: number): { message: ProxyMessage; words: string } {
    const { summary, fields } = readBody(body, this.packaging);
    const message: ProxyMessage = { at: clock.date(), direction, connection, ...summary, ...(fields && { fields }) };
    return { message, words: describeMessage(summary, direction, body.length) };
  }

  private expired(armed: ArmedRule): void {
    this.record(armed.id, `expired after ${armed.rule.forMs} ms`);
    if (this.portClosedBy === armed.id) void this.reopenPort().catch((e: Error) => this.record(0, e.message));
    if (armed.rule.action.kind !== 'blackhole') return;
    for (const pipe of this.pipes) if (pipe.blackholedBy === armed.id) this.closeBlackholed(pipe, 'expired');
  }

  private closeBlackholed(pipe: ConnectionPipe, why: string): void {
    this.record(pipe.blackholedBy ?? 0, `closed a blackholed connection (rule ${why})`);
    pipe.destroy();
  }

  private record(rule: number, what: string): void {
    const entry: FaultLogEntry = { at: clock.date(), rule, what };
    this.entries.push(entry);
    this.emit('fault', entry);
  }
}

/** Marks a message delivered (written to its receiver) when its lane writes it: a delayed one later. */
function deliveredNow(message: ProxyMessage): () => void {
  return () => {
    message.deliveredAt ??= clock.date();
  };
}
