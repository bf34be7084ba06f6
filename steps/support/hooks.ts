// Before each scenario: skip it when the rig lacks what its @needs-… tags ask for (capabilities.ts); reset the rig
// (renewing a broken one), note where the scenario starts and its balances.
// After each step: what the terminal did during it, attached to it (stepPictures.ts: voice, receipts, pictures).
// After: judge the payment-truth invariant and the behaviour monitor's rules once the transaction has ended, attach the
// evidence (the merged timeline — ECR messages and frames, ISO 8583 fields, network, faults, power — and on failure
// the ledger before and after and the pictures not attached yet; PANs masked), and renew a rig that broke during the
// scenario. The first failure of a scenario is the one reported: an invariant violation found after
// a step already failed is attached, not thrown over it.

import {
  After,
  AfterStep,
  Before,
  type ITestCaseHookParameter,
  type ITestStepHookParameter,
  Status,
  setDefaultTimeout,
} from '@cucumber/cucumber';
import { clock } from '../../protocols/domain/clock.ts';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import { monitorError } from '../../rigs/monitor/monitor.ts';
import { RigFault } from '../../rigs/verdict/culprit.ts';
import { judgeBehaviour } from './behaviourCheck.ts';
import { capabilitiesOf, markSkipped, missingNeed, skippedFor } from './capabilities.ts';
import { leasedTiming, renewRig, resetRig } from './rigLease.ts';
import { scenarioTimeline } from './scenarioTimeline.ts';
import { StepPictures } from './stepPictures.ts';
import { judgeScenarioTruth, scenarioLedger, settleScenario } from './truthCheck.ts';
import { withVerdict } from './verdicts.ts';
import type { PosWorld } from './world.ts';

const timing = leasedTiming();
/** Room for a rig renewal (stop, start: a PTY rig spawns socat and a terminal process). */
const RENEWAL_MS = 30_000;

setDefaultTimeout(timing.stepMs);

// First: a scenario whose @needs-… tags the rig or its terminal cannot meet is skipped with the reason, never failed.
Before(
  { name: 'skip when the rig lacks what the scenario needs' },
  function (this: PosWorld, { pickle }: ITestCaseHookParameter) {
    const reason = missingNeed(
      pickle.tags.map((tag) => tag.name),
      capabilitiesOf(this.rig),
    );
    if (!reason) return;
    markSkipped(this, reason);
    this.log(reason);
    console.error(`posrig: "${pickle.name}" (${pickle.uri}) ${reason}`);
    return 'skipped';
  },
);

Before(
  { name: 'reset the rig, note the balances', timeout: timing.stepMs + RENEWAL_MS },
  async function (this: PosWorld) {
    this.scenarioStarted = clock.date();
    this.transactionStarted = this.scenarioStarted;
    // Marked before the reset: even when it fails, nothing of an earlier scenario lands in this one's evidence.
    this.scenarioFrom = this.rig.terminal.history.mark();
    const rig = await resetRig();
    this.scenarioFrom = rig.terminal.history.mark();
    this.rigReadyAt = clock.date();
    this.transactionFrom = this.scenarioFrom;
    this.from = this.scenarioFrom;
    this.pictures = new StepPictures(this.scenarioFrom);
    this.faultsFrom = rig.faults?.mark() ?? 0;
    // A probe that cannot read the merchant's balance (a real host) fails only the steps about the merchant.
    this.merchantBaseline = await rig.bank.merchantBalance().catch((error: unknown) => {
      if (error instanceof RigFault) return error;
      throw error;
    });
    // Only a bank whose journal the probe sees can be judged by the invariant: no inquiries to a real host for nothing.
    this.balancesBefore = (await rig.bank.journal()) ? await rig.bank.balances() : undefined;
  },
);

// What the terminal did during the step, attached to it (stepPictures.ts).
AfterStep({ timeout: timing.stepMs }, async function (this: PosWorld, { result }: ITestStepHookParameter) {
  if (skippedFor(this) || this.rig.fault) return;
  await this.pictures?.afterStep(this, result.status === Status.FAILED);
});

After(
  {
    name: 'judge the payment-truth invariant and the behaviour monitor, attach the evidence',
    timeout: timing.stepMs + RENEWAL_MS,
  },
  async function (this: PosWorld, { result }: ITestCaseHookParameter) {
    if (skippedFor(this)) return; // nothing of it ran: nothing to judge
    const failed = result?.status === Status.FAILED;
    let violation: Error | undefined;
    const judged: Judged = {};
    try {
      if (!this.rig.fault) {
        await settleScenario(this);
        judged.truth = await judgeScenarioTruth(this);
        const behaviour = await judgeBehaviour(this);
        if (behaviour && behaviour.report.findings.length > 0) {
          judged.behaviour = monitorError(behaviour.report, behaviour.evidence);
        }
        violation = judged.behaviour ?? judged.truth;
      }
    } catch (error) {
      violation = withVerdict(error); // e.g. an invalid event the terminal sent, failing the waits of the judge too
    } finally {
      // What was found but is not this scenario's reported failure (a step failed first, or the monitor's came first)
      const attached = {
        truth: judged.truth !== violation || failed,
        behaviour: judged.behaviour !== violation || failed,
      };
      await attachEvidence(this, failed || violation !== undefined, {
        ...(attached.truth && judged.truth && { truth: judged.truth }),
        ...(attached.behaviour && judged.behaviour && { behaviour: judged.behaviour }),
      });
      if (this.rig.fault) await renewRig().catch(() => {}); // the next Before reports a rig that is gone
    }
    if (violation && !failed) throw violation;
  },
);

/** What the After hook judged: the payment-truth invariant's and the behaviour monitor's failures, if any. */
interface Judged {
  truth?: Error | undefined;
  behaviour?: Error | undefined;
}

async function attachEvidence(world: PosWorld, failed: boolean, later: Judged): Promise<void> {
  const text = (name: string, body: string) =>
    world.attach(maskPansIn(body), { mediaType: 'text/plain', fileName: name });
  const rig = world.rig;
  await text('timeline.txt', scenarioTimeline(world));
  if (rig.fault) await text('rig-fault.txt', `${rig.fault.message}\n\n${rig.simulatorLog() || '(no simulator log)'}`);
  if (later.truth) await text('payment-truth.txt', later.truth.message);
  if (later.behaviour) await text('behaviour-monitor.txt', later.behaviour.message);
  if (world.notes.length > 0) await text('posrig-notes.txt', world.notes.join('\n'));
  if (!rig.fault) await world.pictures?.afterScenario(world, failed);
  if (failed && !rig.fault) {
    const ledger = await scenarioLedger(world);
    if (ledger) await text('ledger before and after.txt', ledger);
  }
}
