// Before each scenario: reset the rig, note where the scenario starts and the balances it starts from.
// After: the payment-truth check (runs first), then the evidence — what the terminal did (display, voice,
// print, result, with timestamps), the network and ISO 8583 traces and the fault log, PANs masked.
// (cucumber runs After hooks in the reverse order of their definition.)

import { After, Before, Status, setDefaultTimeout } from '@cucumber/cucumber';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import { localTimeOfDay } from '../../protocols/domain/time.ts';
import { quoteTraffic } from '../../rigs/faults/proxyFaults.ts';
import { formatRecord } from '../../rigs/terminal/eventHistory.ts';
import { checkScenarioTruth } from './truthCheck.ts';
import type { PosWorld } from './world.ts';

setDefaultTimeout(15_000);

Before(async function (this: PosWorld) {
  await this.rig.reset();
  this.scenarioFrom = this.rig.terminal.history.mark();
  this.transactionFrom = this.scenarioFrom;
  this.from = this.scenarioFrom;
  this.merchantBaseline = await this.rig.bank.merchantBalance();
  this.balancesBefore = await this.rig.bank.balances();
});

After(async function (this: PosWorld, { result }) {
  const text = (name: string, body: string) =>
    this.attach(maskPansIn(body), { mediaType: 'text/plain', fileName: name });
  const history = this.rig.terminal.history.all(this.scenarioFrom).map(formatRecord).join('\n');
  await text('terminal-history.txt', history || 'the terminal sent nothing');
  const iso = this.rig.isoTrace.map(
    (t) => `${localTimeOfDay(t.at)} ${t.dir === 'in' ? '→ host' : '← host'} ${JSON.stringify(t.message)}`,
  );
  if (iso.length > 0) await text('iso8583-trace.txt', iso.join('\n'));
  const faults = this.rig.faults;
  if (faults)
    await text('network.txt', `${quoteTraffic(faults.messages())}\n\nfaults:\n${faults.log().join('\n') || '(none)'}`);
  if (result?.status === Status.FAILED) {
    const journal = await this.rig.bank.journal();
    if (journal) await text('ledger-journal.json', JSON.stringify(journal, null, 2));
  }
});

// Waits (all reversals at once) up to 10 s for reversals still owed, then reads the ledger.
After({ timeout: 20_000 }, async function (this: PosWorld) {
  await checkScenarioTruth(this);
});
