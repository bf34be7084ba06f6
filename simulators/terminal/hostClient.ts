// The terminal's TCP link to the acquirer: ISO 8583 with a 2-byte length header (binary packaging: then a TPDU, by
// default 60 0003 0000; the answer's TPDU is not checked), one request at a
// time matched to its response by MTI + STAN (DE11) — on a per-transaction connection by MTI alone, so an answer
// carrying another STAN still reaches the firmware, which judges it unusable. A response after the timeout is
// discarded. When the primary refuses or cannot be reached at connect time, the backup address is dialled ('failover'
// event); a failure after the request went out is never a failover case (the firmware reverses instead).
//   const host = new HostClient({ host: '127.0.0.1', port: 5000, responseTimeoutMs: 1500, backup: { host, port } });
//   const reply = await host.exchange({ mti: '0200', fields: { 11: '000001', ... } });  // { kind: 'response', message }

import { EventEmitter } from 'node:events';
import net from 'node:net';
import { clock } from '../../protocols/domain/clock.ts';
import {
  DEFAULT_TPDU,
  frameForTcp,
  type IsoMessage,
  maskIsoMessage,
  type Packaging,
  packMessage,
  responseMti as responseMtiOf,
  TcpDeframer,
  unpackMessage,
  usesTpdu,
} from '../../protocols/iso8583/index.ts';

/** How one exchange ended. Only `unreachable` guarantees the request never left the terminal. */
export type HostReply =
  | { kind: 'response'; message: IsoMessage }
  | { kind: 'timeout' }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'dropped'; reason: string }
  | { kind: 'garbled'; reason: string };

export interface HostClientOptions {
  host: string;
  port: number;
  responseTimeoutMs: number;
  /** keep one connection open across transactions (default: connect per transaction) */
  keepAlive?: boolean;
  /** default: responseTimeoutMs */
  connectTimeoutMs?: number;
  /** 'ascii' (ASCII-87, default) or 'binary' (ISO87B behind a TPDU) */
  packaging?: Packaging;
  /** a 5-byte TPDU after the length header; default DEFAULT_TPDU (60 0003 0000) for binary, none for ascii */
  tpdu?: Uint8Array;
  /** dialled when the primary refuses or does not answer the connect */
  backup?: { host: string; port: number };
}

/** Per-exchange settings. */
export interface ExchangeOptions {
  /** response timeout for this exchange (default: responseTimeoutMs) */
  timeoutMs?: number;
  /** aborting ends the exchange at once: 'unreachable' before the request was written, else 'dropped' */
  signal?: AbortSignal;
  /** called when the request has been written to the host connection */
  onSent?: () => void;
}

/** The primary could not be reached at connect time; the backup is dialled. */
export interface HostFailover {
  from: string;
  to: string;
  reason: string;
}

/** An ISO 8583 message seen on the host link, already masked (PAN, track 2, no PIN block). */
export interface HostTrace {
  dir: 'in' | 'out';
  at: Date;
  message: IsoMessage;
}

export class HostClientError extends Error {
  override name = 'HostClientError';
}

interface Waiter {
  key: string;
  socket: net.Socket;
  settle: (reply: HostReply) => void;
}

/** The response MTI for a request MTI, e.g. '0200' → '0210', '0400' → '0410'; HostClientError for any other MTI. */
export function responseMti(mti: string): string {
  const response = responseMtiOf(mti);
  if (response === null) throw new HostClientError(`MTI "${mti}" is not a request MTI`);
  return response;
}

/** Speaks ISO 8583 over TCP to the acquirer; emits 'trace' (HostTrace), 'discarded' (HostTrace of a stray or late
 * reply) and 'failover' (HostFailover). */
export class HostClient extends EventEmitter {
  readonly #options: HostClientOptions;
  #socket: net.Socket | null = null;
  readonly #waiters = new Map<string, Waiter>();
  readonly #connecting = new Set<net.Socket>();
  #closed = false;

  constructor(options: HostClientOptions) {
    super();
    this.#options = options;
  }

  /** Sends one request and waits for its response, the response timeout, or a connection failure. */
  async exchange(request: IsoMessage, options: ExchangeOptions = {}): Promise<HostReply> {
    if (this.#closed) throw new HostClientError('host client is closed');
    const stan = request.fields[11];
    if (!stan) throw new HostClientError(`request ${request.mti} has no STAN (DE11)`);
    const key = `${responseMti(request.mti)}/${stan}`;
    if (this.#waiters.has(key))
      throw new HostClientError(`a request with MTI ${request.mti} STAN ${stan} is in flight`);
    const tpdu = this.#tpdu();
    const bytes = frameForTcp(packMessage(request, this.#packaging()), tpdu ? { tpdu } : undefined);

    const { signal } = options;
    let socket: net.Socket;
    try {
      socket = await this.#connectWithFailover();
    } catch (error) {
      return { kind: 'unreachable', reason: (error as Error).message };
    }
    if (this.#closed || signal?.aborted) {
      if (!this.#options.keepAlive || this.#closed) socket.destroy();
      const why = this.#closed ? 'host client closed' : 'exchange aborted';
      return { kind: 'unreachable', reason: `${why} before the request was sent` };
    }
    return new Promise<HostReply>((resolve) => {
      const timeoutMs = options.timeoutMs ?? this.#options.responseTimeoutMs;
      const timer = clock.setTimeout(() => settle({ kind: 'timeout' }), timeoutMs);
      const onAbort = () => settle({ kind: 'dropped', reason: 'exchange aborted by the terminal' });
      const settle = (reply: HostReply) => {
        if (this.#waiters.get(key)?.socket !== socket) return;
        clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#waiters.delete(key);
        // per-transaction connections close after each exchange; a kept-alive one only when it is broken
        if (!this.#options.keepAlive || reply.kind === 'garbled' || reply.kind === 'dropped') this.#drop(socket);
        resolve(reply);
      };
      this.#waiters.set(key, { key, socket, settle });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#trace('out', request);
      socket.write(bytes);
      options.onSent?.();
    });
  }

  /** Closes the connection; requests in flight end as 'dropped'. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of [...this.#waiters.values()]) waiter.settle({ kind: 'dropped', reason: 'host client closed' });
    if (this.#socket) this.#drop(this.#socket);
    for (const socket of this.#connecting) socket.destroy(new HostClientError('host client closed while connecting'));
  }

  async #connectWithFailover(): Promise<net.Socket> {
    if (this.#options.keepAlive && this.#socket && !this.#socket.destroyed) return this.#socket;
    const { host, port, backup } = this.#options;
    try {
      return await this.#connect(host, port);
    } catch (error) {
      if (!backup || this.#closed) throw error;
      const reason = (error as Error).message;
      this.emit('failover', { from: `${host}:${port}`, to: `${backup.host}:${backup.port}`, reason } as HostFailover);
      try {
        return await this.#connect(backup.host, backup.port);
      } catch (second) {
        throw new HostClientError(`${reason}; backup: ${(second as Error).message}`);
      }
    }
  }

  #connect(host: string, port: number): Promise<net.Socket> {
    const timeoutMs = this.#options.connectTimeoutMs ?? this.#options.responseTimeoutMs;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      this.#connecting.add(socket);
      const timer = clock.setTimeout(() => {
        this.#connecting.delete(socket);
        socket.destroy();
        reject(new HostClientError(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        this.#connecting.delete(socket);
        clock.clearTimeout(timer);
        reject(new HostClientError(`connect to ${host}:${port} failed: ${error.message}`));
      });
      socket.once('connect', () => {
        this.#connecting.delete(socket);
        clock.clearTimeout(timer);
        socket.removeAllListeners('error');
        this.#watch(socket);
        if (this.#options.keepAlive) this.#socket = socket;
        resolve(socket);
      });
    });
  }

  #watch(socket: net.Socket): void {
    const tpdu = this.#tpdu();
    const deframer = new TcpDeframer(tpdu ? { tpduLength: tpdu.length } : undefined);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let bodies: Buffer[];
      try {
        bodies = deframer.push(chunk);
      } catch (error) {
        this.#failSocket(socket, { kind: 'garbled', reason: `bad length framing: ${(error as Error).message}` });
        return;
      }
      for (const body of bodies) this.#receive(socket, body);
      if (deframer.failure)
        this.#failSocket(socket, { kind: 'garbled', reason: `bad length framing: ${deframer.failure.message}` });
    });
    socket.on('error', () => {
      /* reported through 'close' */
    });
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = null;
      this.#failSocket(socket, { kind: 'dropped', reason: 'the host closed the connection' });
    });
  }

  #receive(socket: net.Socket, body: Buffer): void {
    let message: IsoMessage;
    try {
      message = unpackMessage(body, this.#packaging());
    } catch (error) {
      this.#failSocket(socket, { kind: 'garbled', reason: `unreadable response: ${(error as Error).message}` });
      return;
    }
    this.#trace('in', message);
    const waiter = this.#waiters.get(`${message.mti}/${message.fields[11] ?? ''}`) ?? this.#soleWaiter(socket, message);
    if (waiter && waiter.socket === socket) {
      waiter.settle({ kind: 'response', message });
    } else {
      this.emit('discarded', { dir: 'in', at: clock.date(), message: maskIsoMessage(message) } satisfies HostTrace);
    }
  }

  /** On a per-transaction connection the one request in flight owns whatever answer (same MTI) comes back on it, even
   * one whose STAN is not the request's: the firmware judges that answer unusable and reverses (96). On a kept-alive
   * connection an answer with another STAN may be a late one to an earlier request, so only the STAN matches. */
  #soleWaiter(socket: net.Socket, message: IsoMessage): Waiter | undefined {
    if (this.#options.keepAlive) return undefined;
    const onSocket = [...this.#waiters.values()].filter((w) => w.socket === socket);
    const only = onSocket.length === 1 ? onSocket[0] : undefined;
    return only?.key.startsWith(`${message.mti}/`) ? only : undefined;
  }

  #packaging(): Packaging {
    return this.#options.packaging ?? 'ascii';
  }

  #tpdu(): Uint8Array | undefined {
    return this.#options.tpdu ?? (usesTpdu(this.#packaging()) ? DEFAULT_TPDU : undefined);
  }

  #failSocket(socket: net.Socket, reply: HostReply): void {
    for (const waiter of [...this.#waiters.values()]) if (waiter.socket === socket) waiter.settle(reply);
  }

  #drop(socket: net.Socket): void {
    if (this.#socket === socket) this.#socket = null;
    socket.destroy();
  }

  #trace(dir: 'in' | 'out', message: IsoMessage): void {
    this.emit('trace', { dir, at: clock.date(), message: maskIsoMessage(message) } satisfies HostTrace);
  }
}
