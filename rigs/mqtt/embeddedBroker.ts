// The embedded MQTT broker (`broker: embedded`, the default): aedes in this process on a free loopback port, speaking
// MQTT 3.1.1, with posrig's roles enforced (protocols/mqtt/acl.ts): every client logs in with a role's user name and
// the broker's one-run secret; a publish or a subscription outside the role is refused.
//   const broker = await startEmbeddedBroker();   // broker.url 'mqtt://127.0.0.1:41234'
//   connectBroker({ url: broker.url, username: 'controller', password: broker.secret }, …);  await broker.close();

import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Aedes as AedesBroker } from 'aedes';
import { mayPublish, maySubscribe } from '../../protocols/mqtt/acl.ts';

export interface EmbeddedBroker {
  /** mqtt://host:port (mqtts:// with TLS) */
  readonly url: string;
  readonly port: number;
  /** The password of every role on this broker: made anew for each start, known only to this process and its children. */
  readonly secret: string;
  /** What the broker refused, newest last ("publish by terminal-T0000001 to posrig/v1/T0000001/cmd"). */
  readonly refusals: readonly string[];
  /** Stops listening and drops every client (their last wills are published before the broker goes). */
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  /** Where to listen (default 127.0.0.1, any free port). */
  readonly host?: string;
  readonly port?: number;
  /** The password to accept (default: random). */
  readonly secret?: string;
  /** Listen with TLS (mqtts://): the server's certificate and key, PEM. */
  readonly tls?: { readonly cert: Buffer | string; readonly key: Buffer | string };
}

const NOT_AUTHORIZED = 5;

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const secret = options.secret ?? randomBytes(18).toString('base64url');
  const refusals: string[] = [];
  const refuse = (what: string) => {
    refusals.push(what);
    if (refusals.length > 100) refusals.shift();
  };
  // aedes keeps no user name on its clients: the checks below need it
  const users = new WeakMap<object, string>();
  const userOf = (client: object): string | undefined => users.get(client);
  const { Aedes } = await import('aedes'); // loaded by MQTT rigs only
  const broker: AedesBroker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      if (password?.toString('utf8') === secret && username !== undefined && mayConnectAs(username)) {
        users.set(client, username);
        done(null, true);
        return;
      }
      refuse(`connect by ${username ?? '(no user name)'} (client ${client.id})`);
      const error = Object.assign(new Error('not authorized'), { returnCode: NOT_AUTHORIZED });
      done(error, false);
    },
    authorizePublish(client, packet, callback) {
      // client null: the broker's own publication; a client's last will is checked like its publications
      if (!client || mayPublish(userOf(client), packet.topic, client.id)) {
        callback(null);
        return;
      }
      refuse(`publish by ${userOf(client) ?? '?'} to ${packet.topic}`);
      callback(new Error(`${userOf(client) ?? '?'} may not publish to ${packet.topic}`));
    },
    authorizeSubscribe(client, subscription, callback) {
      if (maySubscribe(userOf(client), subscription.topic)) {
        callback(null, subscription);
        return;
      }
      refuse(`subscribe by ${userOf(client) ?? '?'} to ${subscription.topic}`);
      callback(null, null); // SUBACK 0x80 for this topic; the client stays connected
    },
  });
  const sockets = new Set<Socket>();
  const accept = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a client that vanishes is the broker's business (its last will), not a crash
    broker.handle(socket);
  };
  // TCP_NODELAY: an MQTT packet is small and answered at once; without it each one waits ~40 ms for a delayed ACK.
  const server: Server = options.tls
    ? createTlsServer({ ...options.tls, noDelay: true }, accept)
    : createServer({ noDelay: true }, accept);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `${options.tls ? 'mqtts' : 'mqtt'}://${host}:${port}`,
    port,
    secret,
    refusals,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await closed;
    },
  };
}

/** A user name posrig knows a role for (protocols/mqtt/acl.ts). */
function mayConnectAs(username: string): boolean {
  return /^(controller(-.+)?|terminal-[^+#/]+|relay-[^+#/]+)$/.test(username);
}
