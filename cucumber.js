// cucumber-js configuration: where the features and the steps are. `posrig run` (cli/run.ts) loads it through
// cucumber's API and adds the rest: the paths, tags and names given and the progress output; its report thread writes
// the reports (cucumber.html, junit.xml, cucumber.json, allure-results/) in --reports. TypeScript steps load through tsx.
export default {
  paths: ['features/**/*.feature'],
  import: ['steps/**/*.ts'],
  formatOptions: { snippetInterface: 'async-await' },
};
