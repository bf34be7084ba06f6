// The simulated acquirer host: ISO 8583 over TCP with a 2-byte length header, many messages per connection, answers
// decided by hostRules.ts against the ledger. Packaging 'ascii' (ASCII-87, default) or 'binary' (ISO87B behind a
// 5-byte TPDU: a TPDU whose ID is not 0x60 is a fault and the message is ignored; the answer carries the request's
// TPDU with destination and source swapped). Never crashes on bad input: a malformed message is a
// 'fault' event and the connection keeps serving; a broken length header closes that one connection, once the messages
// before it (in the same TCP chunk too) have been answered.
//   const host = new AcquirerHost({ ledger });
//   host.on('trace', (t) => log.push(t));       // masked messages, both directions
//   options: duplicatePolicy 'replay' | 'decline-94', defects (seeded, hostPolicy.ts), packaging — see README.md
//   const { port } = await host.start();        // 127.0.0.1, ephemeral port
//   await host.stop();

import { EventEmitter } from 'node:events';
import net from 'node:net';
import { clock } from '../../protocols/domain/clock.ts';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import {
  answerTpdu,
  deframerFor,
  frameBody,
  type IsoMessage,
  maskIsoMessage,
  type Packaging,
  packMessage,
  tpduProblem,
  unpackMessage,
  usesTpdu,
} from '../../protocols/iso8583/index.ts';
import { TEST_PIN_KEY } from '../../protocols/pinblock/index.ts';
import { type DuplicatePolicy, type HostDefect, validateHostPolicy } from './hostPolicy.ts';
import { answerRequest, type HostAnswer, malfunction } from './hostRules.ts';
import type { Ledger } from './ledger.ts';

export interface AcquirerOptions {
  ledger: Ledger;
  pinKey?: string; // 32 hex chars; default TEST_PIN_KEY
  host?: string; // default 127.0.0.1
  port?: number; // 0 = ephemeral (default)
  now?: () => Date; // the host's clock (expiry checks, journal times); default the real clock
  duplicatePolicy?: DuplicatePolicy; // a repeated 0200: 'replay' the first answer (default) or 'decline-94'
  defects?: HostDefect[]; // seeded host defects, only to prove the payment-truth invariant catches them; none by default
  packaging?: Packaging; // 'ascii' (ASCII-87, default) or 'binary' (ISO87B with a TPDU)
}

export interface IsoTrace {
  dir: 'in' | 'out';
  at: Date;
  message: IsoMessage; // already masked with maskIsoMessage
}

/** Something the host could not process; the message never contains an unmasked PAN or a PIN block. */
export interface AcquirerFault {
  at: Date;
  remote: string;
  message: string;
}

export class AcquirerHostError extends Error {
  override name = 'AcquirerHostError';
}

export class AcquirerHost extends EventEmitter {
  private readonly options: AcquirerOptions;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private bound: { host: string; port: number } | undefined;

  /** HostPolicyError (hostPolicy.ts) for an unknown duplicatePolicy or defect name. */
  constructor(options: AcquirerOptions) {
    super();
    validateHostPolicy(options.duplicatePolicy, options.defects);
    this.options = { ...options, defects: [...(options.defects ?? [])] };
  }

  /** The address the host listens on; AcquirerHostError before start(). */
  get address(): { host: string; port: number } {
    if (!this.bound) throw new AcquirerHostError('acquirer host is not started: call start() first');
    return this.bound;
  }

  /** Starts listening; resolves with the bound address. */
  start(): Promise<{ host: string; port: number }> {
    if (this.server) return Promise.reject(new AcquirerHostError('acquirer host is already started'));
    const host = this.options.host ?? '127.0.0.1';
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (error) => {
        this.server = undefined;
        reject(
          new AcquirerHostError(`acquirer host cannot listen on ${host}:${this.options.port ?? 0}: ${error.message}`),
        );
      });
      server.listen(this.options.port ?? 0, host, () => {
        const address = server.address() as net.AddressInfo;
        this.bound = { host, port: address.port };
        server.on('error', (error) => this.fault('server', `server error: ${error.message}`));
        resolve(this.bound);
      });
    });
  }

  /** Closes the server and every open connection. */
  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.bound = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (!server?.listening) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', (error) => this.fault(remote, `connection error: ${error.message}`));
    const packaging = this.options.packaging ?? 'ascii';
    const deframer = deframerFor(packaging);
    socket.on('data', (chunk: Buffer) => {
      let frames: ReturnType<typeof deframer.pushFrames>;
      try {
        frames = deframer.pushFrames(chunk);
      } catch (error) {
        this.closeBroken(socket, remote, error);
        return;
      }
      for (const { tpdu, body, offset } of frames) {
        if (socket.destroyed) return;
        const problem = usesTpdu(packaging) ? tpduProblem(tpdu, offset + 2) : undefined;
        if (problem) this.fault(remote, `${problem}; message (${body.length} bytes) ignored`);
        else this.serve(socket, remote, body, tpdu);
      }
      if (deframer.failure && !socket.destroyed) this.closeBroken(socket, remote, deframer.failure);
    });
  }

  /** A broken length header: nothing after it can be trusted, so the connection closes (a fault, the host goes on). */
  private closeBroken(socket: net.Socket, remote: string, error: unknown): void {
    this.fault(remote, `${describe(error)}; closing the connection`);
    socket.destroy();
  }

  private serve(socket: net.Socket, remote: string, body: Buffer, tpdu: Buffer): void {
    const packaging = this.options.packaging ?? 'ascii';
    let request: IsoMessage;
    try {
      request = unpackMessage(body, packaging);
    } catch (error) {
      this.fault(remote, `unreadable message (${body.length} bytes): ${describe(error)}`);
      return;
    }
    this.trace('in', request);
    let answer: HostAnswer;
    try {
      answer = answerRequest(request, {
        ledger: this.options.ledger,
        pinKey: this.options.pinKey ?? TEST_PIN_KEY,
        now: this.options.now?.() ?? clock.date(),
        duplicatePolicy: this.options.duplicatePolicy ?? 'replay',
        defects: this.options.defects ?? [],
      });
    } catch (error) {
      this.fault(remote, `MTI ${request.mti}: ${describe(error)}; answering 96`);
      answer = malfunction(request);
    }
    if (answer.kind === 'close') {
      this.fault(remote, `${answer.reason}; closing the connection`);
      socket.end();
      return;
    }
    let bytes: Buffer;
    try {
      bytes = frameBody(packMessage(answer.message, packaging), packaging, { tpdu: answerTpdu(tpdu) });
    } catch (error) {
      this.fault(remote, `cannot pack the ${answer.message.mti} response: ${describe(error)}`);
      return;
    }
    this.trace('out', answer.message);
    socket.write(bytes);
  }

  private trace(dir: 'in' | 'out', message: IsoMessage): void {
    this.emit('trace', { dir, at: clock.date(), message: maskIsoMessage(message) } satisfies IsoTrace);
  }

  private fault(remote: string, message: string): void {
    this.emit('fault', { at: clock.date(), remote, message: maskPansIn(message) } satisfies AcquirerFault);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
