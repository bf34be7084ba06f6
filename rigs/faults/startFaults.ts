// Puts posrig's fault proxy between the terminal and its host when the rig file asks for it (host.faults).

import { FaultProxy } from '../../simulators/faultproxy/index.ts';
import type { RigFile } from '../file/rigFile.ts';
import type { Faults } from './faults.ts';
import { ProxyFaults } from './proxyFaults.ts';

export interface Address {
  readonly host: string;
  readonly port: number;
}

export interface StartedFaults {
  readonly faults: Faults;
  /** Where the terminal must dial: the proxy. */
  readonly address: Address;
  stop(): Promise<void>;
}

/** Starts the proxy in front of `upstream`, listening where host.faults.listen says (an ephemeral port by default). */
export async function startFaults(rig: RigFile, upstream: Address): Promise<StartedFaults | undefined> {
  if (rig.host.faults === false) return undefined;
  const listen = rig.host.faults === true ? undefined : parseAddress(rig.host.faults.listen);
  const proxy = new FaultProxy({ upstream, packaging: rig.host.packaging, ...(listen ? { listen } : {}) });
  const address = await proxy.start();
  return { faults: new ProxyFaults(proxy), address, stop: () => proxy.stop() };
}

/** "host:port" → Address (the rig file schema has checked the shape). */
export function parseAddress(text: string): Address {
  const at = text.lastIndexOf(':');
  return { host: text.slice(0, at), port: Number(text.slice(at + 1)) };
}
