// The live virtual terminal's web server: the page (page/), a Server-Sent Events stream of what the rig does
// (GET /events) and one small JSON POST endpoint per action (POST /api/<action>, see actions.ts). node:http only.
// Listens on 127.0.0.1 unless told otherwise; a POST must be JSON from the page's own origin.
//   const live = await startLiveTerminal({ rig: await startRig('rigs/sim-serial.yaml'), port: 0 });
//   console.log(live.url);  // http://127.0.0.1:40123/
//   await live.close();     // the rig stays up: its owner stops it

import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import { TerminalRefusal } from '../../rigs/terminal/terminalRefusal.ts';
import { type ActionBody, LiveActionError, liveActions } from './actions.ts';
import { LiveFeed, type LiveMessage, type LiveRig } from './liveFeed.ts';

export interface LiveTerminalOptions {
  readonly rig: LiveRig;
  /** 0 picks a free port. */
  readonly port: number;
  /** The address to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
}

export interface LiveTerminal {
  /** The page's address, e.g. http://127.0.0.1:8080/ */
  readonly url: string;
  /** Stops serving and following the rig (the rig itself keeps running). */
  close(): Promise<void>;
}

/** The server could not start (the port is taken, the address is not this machine's). */
export class LiveTerminalError extends Error {
  override name = 'LiveTerminalError';
}

const PAGE: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
const BODY_LIMIT = 16 * 1024;

/** Starts following the rig and serving the page; resolves once it listens. */
export async function startLiveTerminal(options: LiveTerminalOptions): Promise<LiveTerminal> {
  const host = options.host ?? '127.0.0.1';
  const feed = new LiveFeed(options.rig);
  await feed.start();
  const actions = liveActions(options.rig, feed);
  const streams = new Set<ServerResponse>();
  let origin = '';
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://page');
    if (request.method === 'GET' && url.pathname === '/events') return stream(feed, request, response, streams);
    if (request.method === 'GET' && PAGE[url.pathname]) return servePage(url.pathname, response);
    const action = /^\/api\/(\w+)$/.exec(url.pathname)?.[1];
    if (request.method === 'POST' && action && Object.hasOwn(actions, action))
      return act(request, response, origin, action, async (body) => {
        try {
          await actions[action]?.(body);
        } catch (error) {
          // A refusal is on the page already: the terminal's own `error` event says it.
          if (!(error instanceof TerminalRefusal)) feed.notice('error', (error as Error).message);
          throw error;
        }
      });
    reply(response, 404, { error: `no ${request.method} ${url.pathname} here` });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new LiveTerminalError(`the live terminal cannot listen on ${host}:${options.port}: ${error.code}`)),
      );
      server.listen(options.port, host, resolve);
    });
  } catch (error) {
    feed.stop();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}/`,
    async close() {
      feed.stop();
      for (const response of streams) response.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function stream(feed: LiveFeed, request: IncomingMessage, response: ServerResponse, streams: Set<ServerResponse>) {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  response.write('retry: 1000\n\n');
  streams.add(response);
  const send = (message: LiveMessage) => {
    // Masked once more on the way out: nothing reaches the page with a clear card number.
    response.write(`event: ${message.kind}\ndata: ${maskPansIn(JSON.stringify(message))}\n\n`);
  };
  const unsubscribe = feed.subscribe(send);
  request.on('close', () => {
    unsubscribe();
    streams.delete(response);
  });
}

async function servePage(pathname: string, response: ServerResponse): Promise<void> {
  const page = PAGE[pathname] as { file: string; type: string };
  try {
    const body = await readFile(new URL(`page/${page.file}`, import.meta.url));
    response.writeHead(200, { 'content-type': page.type, 'cache-control': 'no-store' });
    response.end(body);
  } catch (error) {
    reply(response, 500, { error: `the page file ${page.file} cannot be read: ${(error as Error).message}` });
  }
}

/** Runs an action on a JSON body from the page's own origin; answers 200, or the error with its status. */
async function act(
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
  action: string,
  run: (body: ActionBody) => Promise<void>,
): Promise<void> {
  // JSON only (a cross-site form cannot send it without asking first) and, when the browser names one, our origin.
  if (!request.headers['content-type']?.startsWith('application/json'))
    return reply(response, 415, { error: `${action}: send the body as application/json` });
  if (request.headers.origin !== undefined && request.headers.origin !== origin)
    return reply(response, 403, { error: `${action}: requests from ${request.headers.origin} are not accepted` });
  let body: ActionBody;
  try {
    body = await jsonBody(request);
  } catch (error) {
    return reply(response, 400, { error: `${action}: ${(error as Error).message}` });
  }
  try {
    await run(body);
    reply(response, 200, { ok: true });
  } catch (error) {
    const status = error instanceof LiveActionError ? 400 : error instanceof TerminalRefusal ? 409 : 500;
    reply(response, status, { error: maskPansIn((error as Error).message) });
  }
}

async function jsonBody(request: IncomingMessage): Promise<ActionBody> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > BODY_LIMIT) throw new Error(`the body is over ${BODY_LIMIT} bytes`);
  }
  const body: unknown = text === '' ? {} : JSON.parse(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('the body must be an object');
  return body as ActionBody;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
