// What a scenario declares with its tags: the requirements it verifies (`@req:<id>`), its feature area
// (`@area:<name>`) and its Allure severity (`@severity:<level>`). Feature tags apply to all its scenarios.
//   declared(['@needs-pin', '@req:copy-once', '@area:receipts', '@severity:critical'])
//     → { requirements: ['copy-once'], area: 'receipts', severity: 'critical' }

/** Allure's severities, most severe first. */
export const SEVERITIES = ['blocker', 'critical', 'normal', 'minor', 'trivial'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** posrig's feature areas (the folders of features/). */
export const AREAS = ['purchase', 'pin', 'receipts', 'power', 'resilience'] as const;

export const REQ_TAG = '@req:';
export const AREA_TAG = '@area:';
export const SEVERITY_TAG = '@severity:';

export interface Declared {
  /** Requirement ids, once each, in tag order. */
  readonly requirements: readonly string[];
  readonly area?: string;
  readonly severity?: string;
}

/** The requirements, area and severity a scenario's tags declare (the last of each kind wins, as in Allure). */
export function declared(tags: readonly string[]): Declared {
  const valuesOf = (prefix: string) => tags.filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
  const requirements = [...new Set(valuesOf(REQ_TAG))];
  const area = valuesOf(AREA_TAG).at(-1);
  const severity = valuesOf(SEVERITY_TAG).at(-1);
  return { requirements, ...(area ? { area } : {}), ...(severity ? { severity } : {}) };
}
