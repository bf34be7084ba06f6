// A fresh FaultProxy in front of an acquirer host for each test, with the clients it opened closed after each.
import { after, afterEach, before, beforeEach } from 'node:test';
import type { AcquirerHost, Ledger } from '../../simulators/acquirer/index.ts';
import { IsoTcpClient } from '../../simulators/acquirer/index.ts';
import { FaultProxy } from '../../simulators/faultproxy/index.ts';

type Address = { host: string; port: number };

export interface FaultProxyRig {
  proxy: FaultProxy; // this test's proxy
  address: Address; // where this test's proxy listens
  readonly clients: IsoTcpClient[]; // closed after each test
  connect(): Promise<IsoTcpClient>; // a client of this test's proxy, closed after the test
}

/**
 * Registers hooks in the calling describe: the host starts once; before each test `resetEach` runs and a fresh proxy
 * starts in front of the host; after each its clients close and the proxy stops; at the end the host stops and the
 * ledger closes.
 */
export function faultProxyRig(host: AcquirerHost, ledger: Ledger, resetEach: () => void = () => {}): FaultProxyRig {
  let upstream: Address;
  const clients: IsoTcpClient[] = [];
  const rig: FaultProxyRig = {
    proxy: undefined as unknown as FaultProxy,
    address: { host: '', port: 0 },
    clients,
    connect: async () => {
      const client = await IsoTcpClient.connect(rig.address);
      clients.push(client);
      return client;
    },
  };
  before(async () => {
    upstream = await host.start();
  });
  beforeEach(async () => {
    resetEach();
    rig.proxy = new FaultProxy({ upstream });
    rig.address = await rig.proxy.start();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await rig.proxy.stop();
  });
  after(async () => {
    await host.stop();
    ledger.close();
  });
  return rig;
}
