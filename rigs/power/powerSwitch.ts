// PowerSwitch: something that can cut and restore a terminal's power — a simulated relay, an MQTT relay.
//   await rig.power.off(); await rig.power.on();

export interface PowerSwitch {
  /** Cuts the power at once: the terminal keeps only what is in its non-volatile storage. */
  off(): Promise<void>;
  /** Restores the power; resolves once the terminal has booted and said who it is. */
  on(): Promise<void>;
  /** Whether the relay says the terminal is powered, where it can tell (a command relay's status command). */
  status?(): Promise<'on' | 'off' | undefined>;
}
