// cucumber-js profiles. TypeScript steps run through tsx (NODE_OPTIONS=--import tsx, set by `posrig run`).
// Reports: progress on the terminal; cucumber.html, junit.xml and cucumber.json under POSRIG_REPORTS (default reports/).
const reports = process.env.POSRIG_REPORTS ?? 'reports';
const files = [`html:${reports}/cucumber.html`, `junit:${reports}/junit.xml`, `json:${reports}/cucumber.json`];

// `posrig run -- features/purchase` replaces the default paths (cucumber itself would add to them).
const paths = process.env.POSRIG_FEATURES ? JSON.parse(process.env.POSRIG_FEATURES) : ['features/**/*.feature'];

const common = {
  paths,
  import: ['steps/**/*.ts'],
  format: ['progress-bar', ...files],
  formatOptions: { snippetInterface: 'async-await', junit: { suiteName: 'posrig' } },
};

export default common;

/** CI: plain progress, no redrawn bars in the log. */
export const ci = { ...common, format: ['progress', ...files] };
