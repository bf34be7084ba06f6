// Before each scenario: reset the rig and note where the scenario starts. After: attach the evidence —
// what the terminal did (display, voice, print, result, with timestamps) and the ISO 8583 trace, PANs masked.

import { After, Before, Status, setDefaultTimeout } from '@cucumber/cucumber';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import { formatRecord } from '../../rigs/terminal/eventHistory.ts';
import type { PosWorld } from './world.ts';

setDefaultTimeout(15_000);

Before(async function (this: PosWorld) {
  await this.rig.reset();
  this.from = this.rig.terminal.history.mark();
  this.merchantBaseline = await this.rig.bank.merchantBalance();
});

After(async function (this: PosWorld, { result }) {
  const history = this.rig.terminal.history.all(this.from).map(formatRecord).join('\n');
  await this.attach(maskPansIn(history || 'the terminal sent nothing'), {
    mediaType: 'text/plain',
    fileName: 'terminal-history.txt',
  });
  const iso = this.rig.isoTrace.map(
    (t) => `${t.at.toISOString().slice(11, 23)} ${t.dir === 'in' ? '→ host' : '← host'} ${JSON.stringify(t.message)}`,
  );
  if (iso.length > 0)
    await this.attach(maskPansIn(iso.join('\n')), { mediaType: 'text/plain', fileName: 'iso8583-trace.txt' });
  if (result?.status === Status.FAILED) {
    const journal = await this.rig.bank.journal();
    if (journal)
      await this.attach(maskPansIn(JSON.stringify(journal, null, 2)), {
        mediaType: 'application/json',
        fileName: 'ledger-journal.json',
      });
  }
});
