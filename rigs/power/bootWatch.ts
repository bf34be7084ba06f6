// Wraps a PowerSwitch so that on() resolves only once the terminal has booted and said `info` on the link,
// and so a rig can tell whether the power is off (a scenario that failed mid power cut is powered up on reset).

import { clock } from '../../protocols/domain/clock.ts';
import type { TerminalDriver } from '../terminal/terminalDriver.ts';
import { RigFault } from '../verdict/culprit.ts';
import type { PowerSwitch } from './powerSwitch.ts';

const BOOT_TIMEOUT_MS = 15_000;

/** A terminal's power as a rig offers it: a switch that knows whether it is on. */
export interface TerminalPower extends PowerSwitch {
  /** False between off() and on(). */
  readonly isOn: boolean;
  /** History cursor of the last power-on, if any: a transaction open before it ended with the power cut. */
  readonly lastPowerOn: number | undefined;
  /** Every switching since the rig was last reset, oldest first (the behaviour monitor judges the power-up order by
   * it; a scenario's start is never before its rig's reset, so it sees all of its own). */
  readonly switched: readonly PowerSwitching[];
}

/** The relay was switched: when, and to what. */
export interface PowerSwitching {
  readonly at: Date;
  readonly on: boolean;
}

export class BootWatchedPower implements TerminalPower {
  private powered = true;
  private poweredOnAt: number | undefined;
  private readonly switchings: PowerSwitching[] = [];

  constructor(
    private readonly relay: PowerSwitch,
    private readonly terminal: TerminalDriver,
    private readonly bootMs = BOOT_TIMEOUT_MS,
  ) {}

  /** False between off() and on(). */
  get isOn(): boolean {
    return this.powered;
  }

  get switched(): readonly PowerSwitching[] {
    return this.switchings;
  }

  /** Forgets the switchings so far (the rig's reset, before it powers the terminal up): a long run keeps only its
   * current scenario's, not two for every scenario it ever ran. */
  forgetSwitchings(): void {
    this.switchings.length = 0;
  }

  async off(): Promise<void> {
    this.powered = false;
    this.switchings.push({ at: clock.date(), on: false });
    this.terminal.powerLost();
    await this.relay.off();
  }

  /** History cursor of the last power-on, if any: a transaction open before it ended with the power cut. */
  get lastPowerOn(): number | undefined {
    return this.poweredOnAt;
  }

  async on(): Promise<void> {
    const from = this.terminal.history.mark();
    this.poweredOnAt = from;
    this.switchings.push({ at: clock.date(), on: true });
    await this.relay.on();
    this.powered = true;
    await this.terminal.history
      .waitFor('the terminal to boot and send "info"', (r) => r.message.type === 'info', {
        timeoutMs: this.bootMs,
        from,
      })
      .catch(async (error: unknown) => {
        // No boot: the firmware's, unless the relay itself says the terminal never got power.
        if ((await this.relayState()) === 'off')
          throw new RigFault(
            `the power relay reports the terminal still off after switching it on (its status command), so it could not boot; ${(error as Error).message}`,
          );
        throw error;
      });
  }

  /** What a relay that can tell says about the power; undefined when it cannot tell. */
  private async relayState(): Promise<'on' | 'off' | undefined> {
    return this.relay.status?.().catch(() => undefined);
  }
}
