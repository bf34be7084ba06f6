// The fault suite's time against the waits it must take: a scenario that waits out the terminal's response timeout
// (a lost or late response) or a deliberate delay cannot be faster than that wait; the rest should be overhead only.

import { readFileSync } from 'node:fs';

export const FAULT_FEATURES = ['features/resilience', 'features/receipts', 'features/pin', 'features/power'];

interface CucumberStep {
  name?: string;
  result: { duration?: number };
}
interface CucumberScenario {
  name: string;
  type: string;
  steps: CucumberStep[];
}

export interface ScenarioTime {
  readonly name: string;
  readonly seconds: number;
  /** The waits the scenario takes on purpose: the response timeout it waits out, or a delay it injects. */
  readonly deliberateSeconds: number;
}

/** Each scenario's duration (from cucumber.json) and its deliberate wait, given the terminal's response timeout. */
export function scenarioTimes(cucumberJson: string, responseTimeoutMs: number): ScenarioTime[] {
  const features = JSON.parse(readFileSync(cucumberJson, 'utf8')) as Array<{ elements?: CucumberScenario[] }>;
  return features.flatMap((feature) =>
    (feature.elements ?? [])
      .filter((e) => e.type === 'scenario')
      .map((scenario) => ({
        name: scenario.name,
        seconds: scenario.steps.reduce((sum, s) => sum + (s.result.duration ?? 0), 0) / 1e9,
        deliberateSeconds:
          deliberateWaitMs(
            scenario.steps.map((s) => s.name ?? ''),
            responseTimeoutMs,
          ) / 1000,
      })),
  );
}

function deliberateWaitMs(steps: string[], timeoutMs: number): number {
  let wait = 0;
  for (const step of steps) {
    const delay = /delayed by (\d+) ms|延迟(\d+)毫秒/.exec(step);
    if (delay) wait += Math.min(Number(delay[1] ?? delay[2]), timeoutMs);
    if (/response is lost|应答丢失/.test(step)) wait += timeoutMs;
  }
  return wait;
}
