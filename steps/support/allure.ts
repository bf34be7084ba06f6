// The Allure side of the steps. Evidence goes through cucumber's `this.attach` (in a step or an AfterStep hook it lands
// on that step of the Allure result; in an After hook on the scenario's tear-down): allure-js-commons' runtime API is
// not loaded, as it would add a hook to every scenario. What is here: once a rig has started, the run's
// environment.properties names the terminal it tests (its `info`: model, serial, firmware, protocol version).
//   recordEnvironment(rig);  // in BeforeAll, right after startRig (rigLease.ts)

import { clock } from '../../protocols/domain/clock.ts';
import { runFacts, writeEnvironment } from '../../reporting/allure/environment.ts';
import type { Rig } from '../../rigs/rig.ts';

/** Writes the Allure environment of this run (POSRIG_REPORTS/allure-results) with the rig's terminal; nothing outside
 * `posrig run` (no POSRIG_REPORTS), nothing when the run writes no Allure results (POSRIG_ALLURE=off,
 * `posrig run --reports-only` without allure). */
export function recordEnvironment(rig: Rig): void {
  const reports = process.env.POSRIG_REPORTS;
  if (!reports || process.env.POSRIG_ALLURE === 'off') return;
  const info = rig.terminal.info;
  writeEnvironment(`${reports}/allure-results`, {
    ...runFacts(),
    rig: rig.name,
    rigFile: rig.file.file,
    clock: clock.simulated() ? 'virtual' : 'real',
    terminal: info && { model: info.model, serial: info.serial, firmware: info.firmware, protocol: info.protocol },
  });
}
