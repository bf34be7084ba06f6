// Doctor checks 6: the host side listens — the host (simulated, or one posrig does not start: host.address), the fault
// proxy and the backup tap — by a TCP connect to each, as the terminal would dial it.
//   await checkListening('host', { host: '127.0.0.1', port: 5000 }, 'start the host, or correct host.address')

import { connect } from 'node:net';
import type { Address } from '../faults/startFaults.ts';
import { type Check, failed, passed } from './check.ts';

const CONNECT_TIMEOUT_MS = 3000;

/** "host:port" as a client dials it: an address to listen on everywhere (0.0.0.0, ::) is dialled on loopback. */
export function dialled(address: Address): Address {
  if (address.host === '0.0.0.0' || address.host === '') return { host: '127.0.0.1', port: address.port };
  if (address.host === '::' || address.host === '[::]') return { host: '::1', port: address.port };
  return { host: address.host.replace(/^\[(.*)\]$/, '$1'), port: address.port };
}

export function formatAddress(address: Address): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}

/**
 * ✔ when a TCP connection to the address opens (and is closed at once), else ✘ with the error and `fix`; `what` says
 * more than the part's name where needed ("simulated acquirer").
 */
export async function checkListening(part: string, address: Address, fix: string, what?: string): Promise<Check> {
  const target = dialled(address);
  const started = performance.now();
  const error = await tcpConnect(target);
  const shown = formatAddress(target);
  if (error === undefined)
    return passed(
      part,
      `${what ? `${what} ` : ''}listening on ${shown} (connected in ${Math.round(performance.now() - started)} ms)`,
    );
  const reason = error === 'ECONNREFUSED' ? 'nothing listens there (ECONNREFUSED)' : error;
  return failed(part, `${what ? `${what}: ` : ''}cannot connect to ${shown}: ${reason}`, fix);
}

/** undefined when a connection opened; else the error code, or "no answer within 3 s". */
function tcpConnect(address: Address): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: address.host, port: address.port });
    const done = (result: string | undefined) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}
