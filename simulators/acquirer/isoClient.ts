// A minimal ISO 8583 TCP client (2-byte length framing, ASCII-87): for tests, probes and poking a host by hand.
//   const client = await IsoTcpClient.connect({ host: '127.0.0.1', port });
//   const reply = await client.request({ mti: '0800', fields: { 7: '0504100000', 11: '000001', 41: 'TID00001', 70: '301' } });
//   client.close();

import net from 'node:net';
import { frameForTcp, type IsoMessage, packIso, TcpDeframer, unpackIso } from '../../protocols/iso8583/index.ts';

export class IsoClientError extends Error {
  override name = 'IsoClientError';
}

export class IsoTcpClient {
  /** Resolves when the connection has closed (either side). */
  readonly closed: Promise<void>;
  private readonly socket: net.Socket;
  private readonly deframer = new TcpDeframer();
  private readonly inbox: Buffer[] = [];
  private readonly waiters: Array<(body: Buffer | null) => void> = [];
  private ended = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.ended = true;
        for (const waiter of this.waiters.splice(0)) waiter(null);
        resolve();
      });
    });
    socket.on('error', () => {}); // surfaced through 'close' and failed receives
    socket.on('data', (chunk: Buffer) => {
      let bodies: Buffer[];
      try {
        bodies = this.deframer.push(chunk);
      } catch {
        socket.destroy(); // a broken length header: nothing after it can be trusted
        return;
      }
      for (const body of bodies) {
        const waiter = this.waiters.shift();
        if (waiter) waiter(body);
        else this.inbox.push(body);
      }
      if (this.deframer.failure) socket.destroy(); // the answers before a broken length header were delivered
    });
  }

  /** Opens a connection to a host. */
  static connect(address: { host: string; port: number }): Promise<IsoTcpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(address.port, address.host);
      socket.once('error', (error) =>
        reject(new IsoClientError(`cannot connect to ${address.host}:${address.port}: ${error.message}`)),
      );
      socket.once('connect', () => resolve(new IsoTcpClient(socket)));
    });
  }

  /** Packs, frames and writes a message. */
  send(message: IsoMessage): void {
    this.socket.write(frameForTcp(packIso(message)));
  }

  /** Writes bytes exactly as given (for malformed-input tests). */
  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next message from the host; IsoClientError on timeout or when the connection closes first. */
  receive(timeoutMs = 2000): Promise<IsoMessage> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(unpackIso(queued));
    if (this.ended) return Promise.reject(new IsoClientError('connection closed before a response arrived'));
    return new Promise((resolve, reject) => {
      const waiter = (body: Buffer | null): void => {
        clearTimeout(timer);
        if (body === null) reject(new IsoClientError('connection closed before a response arrived'));
        else resolve(unpackIso(body));
      };
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new IsoClientError(`no response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Sends a message and waits for the next one from the host. */
  request(message: IsoMessage, timeoutMs = 2000): Promise<IsoMessage> {
    this.send(message);
    return this.receive(timeoutMs);
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }
}
