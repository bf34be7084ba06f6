// One ISO 8583 request and its answer over a connection of its own: how the bank probe asks a host. The answer is the
// first message with the response MTI, the request's STAN (DE11) and, when it carries one, its DE41; anything else the
// host sends meanwhile is passed over. Framing and packing are protocols/iso8583's (ASCII-87, or binary behind a TPDU).
//   const answer = await exchangeIso(request, { address: { host: '10.0.0.5', port: 5000 }, timeoutMs: 10_000 });

import net from 'node:net';
import {
  deframerFor,
  frameMessage,
  type IsoMessage,
  type Packaging,
  responseMti,
  unpackMessage,
} from '../../protocols/iso8583/index.ts';

export interface IsoExchangeOptions {
  readonly address: { readonly host: string; readonly port: number };
  /** For the connection and for the answer, each. */
  readonly timeoutMs: number;
  readonly packaging?: Packaging; // default 'ascii'
  readonly tpdu?: Uint8Array; // binary packaging: the TPDU to send (default protocols' DEFAULT_TPDU)
}

/** The host could not be reached, did not answer in time, or answered something unreadable. */
export class IsoExchangeError extends Error {
  override name = 'IsoExchangeError';
}

/** Sends one request on a fresh connection and resolves with its answer; IsoExchangeError says what went wrong. */
export function exchangeIso(request: IsoMessage, options: IsoExchangeOptions): Promise<IsoMessage> {
  const { address, timeoutMs } = options;
  const packaging = options.packaging ?? 'ascii';
  const bytes = frameMessage(request, packaging, options.tpdu ? { tpdu: options.tpdu } : {});
  return new Promise((resolve, reject) => {
    const socket = net.connect(address.port, address.host);
    const deframer = deframerFor(packaging, { maxLength: 0xffff });
    let connected = false;
    let settled = false;
    const finish = (outcome: IsoMessage | IsoExchangeError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof IsoExchangeError) reject(outcome);
      else resolve(outcome);
    };
    let timer = setTimeout(() => finish(new IsoExchangeError(`no connection within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(() => finish(new IsoExchangeError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      socket.write(bytes);
    });
    socket.on('error', (error) =>
      finish(
        new IsoExchangeError(connected ? `connection failed: ${error.message}` : `cannot connect: ${error.message}`),
      ),
    );
    socket.on('close', () => finish(new IsoExchangeError('the host closed the connection without answering')));
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const body of deframer.push(chunk)) {
          const message = unpackMessage(body, packaging);
          if (answers(message, request)) return finish(message);
        }
      } catch (error) {
        finish(new IsoExchangeError(`unreadable answer (${packaging} packaging): ${(error as Error).message}`));
      }
    });
  });
}

/** Whether a message answers a request: response MTI (third digit + 1), same DE11, same DE41 when it has one. */
export function answers(message: IsoMessage, request: IsoMessage): boolean {
  if (message.mti !== responseMti(request.mti) || message.fields[11] !== request.fields[11]) return false;
  return message.fields[41] === undefined || message.fields[41] === request.fields[41];
}
