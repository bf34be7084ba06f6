// The simulated bank's test seeds (cards, merchant, TID), a ledger seeded with them, and a host + client around it.
import type { Money } from '../../protocols/domain/money.ts';
import {
  AcquirerHost,
  type AcquirerOptions,
  type CardAccountSeed,
  IsoTcpClient,
  Ledger,
  type MerchantSeed,
} from '../../simulators/acquirer/index.ts';

export const MID = '104110045110012';
export const TID = 'TID00001';

/** An amount in CNY minor units (fen). */
export const cny = (minor: number): Money => ({ minor, currency: 'CNY' });

export const ALICE: CardAccountSeed = {
  alias: 'alice',
  pan: '6228480402564890018',
  expiry: '3012',
  pin: '123456',
  balance: cny(50000),
  status: 'active',
};
export const BOB: CardAccountSeed = {
  alias: 'bob',
  pan: '6214831234567890125',
  expiry: '3012',
  pin: '654321',
  balance: cny(5000),
  status: 'active',
};
/** Expired (2001). */
export const CAROL: CardAccountSeed = {
  alias: 'carol',
  pan: '6258076543210005',
  expiry: '2001',
  pin: '111111',
  balance: cny(50000),
  status: 'active',
};
/** Reported lost. */
export const DAVE: CardAccountSeed = {
  alias: 'dave',
  pan: '6222021234123412342',
  expiry: '3012',
  pin: '222222',
  balance: cny(50000),
  status: 'lost',
};
/** A Visa test card with a 4-digit PIN. */
export const VISA: CardAccountSeed = {
  alias: 'visa',
  pan: '4111111111111111',
  expiry: '3012',
  pin: '1234',
  balance: cny(50000),
  status: 'active',
};

export const MERCHANTS: MerchantSeed[] = [{ mid: MID, name: 'Test Shop', currency: 'CNY' }];

/** The acquirer host's fixed clock: five seconds after the requests' DE7. */
export const hostClock = () => new Date('2026-05-04T10:00:05Z');

/** An in-memory ledger seeded with these cards (default: ALICE) and the test merchant. */
export function seededLedger(cards: CardAccountSeed[] = [ALICE], merchants: MerchantSeed[] = MERCHANTS): Ledger {
  const ledger = Ledger.open(':memory:');
  ledger.seed(cards, merchants);
  return ledger;
}

/** A ledger seeded with ALICE, a started host on the fixed clock with these options, a connected client, and close(). */
export async function startBank(options: Omit<AcquirerOptions, 'ledger'> = {}) {
  const ledger = seededLedger();
  const host = new AcquirerHost({ ledger, now: hostClock, ...options });
  const client = await IsoTcpClient.connect(await host.start());
  const close = async () => {
    client.close();
    await host.stop();
    ledger.close();
  };
  return { ledger, host, client, close };
}
