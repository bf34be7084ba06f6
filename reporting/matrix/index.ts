// The certification matrix: requirement by requirement, the scenarios that verify it (their `@req:` tags) and how
// they ended on each rig. Pure computation and renderers; the requirement catalogue is given (rigs/certification).
//   const matrix = computeMatrix({ requirements, scenarios: await scenariosIn(['features']), runs: readRigRuns(['reports']) });
//   process.stdout.write(matrixText(matrix));  writeMatrixFiles('reports/allure-report', matrix);

export {
  computeMatrix,
  conformanceCheckId,
  type MatrixInput,
  scenarioKey,
  statusCounts,
  uncovered,
} from './compute.ts';
export { csvField, matrixCsv } from './csv.ts';
export { MatrixInputError } from './errors.ts';
export { escapeHtml, type HtmlOptions, matrixHtml } from './html.ts';
export { writeMatrixFiles } from './pages.ts';
export {
  conformanceStatuses,
  elementStatus,
  featuresRun,
  readRigRuns,
  rigNameOf,
  scenarioStatuses,
} from './results.ts';
export { scenariosIn, scenariosOf } from './scenarios.ts';
export { AREA_TAG, AREAS, type Declared, declared, REQ_TAG, SEVERITIES, SEVERITY_TAG, type Severity } from './tags.ts';
export { matrixText, summaryLine } from './text.ts';
export * from './types.ts';
