// Where allure-cucumberjs's formatter writes each result, container and attachment: straight into the results folder,
// one plain write per file. Allure's own FileSystemWriter writes each file to a temporary name, fsyncs it and renames
// it, so that a reader watching the folder never sees half a file; posrig reads the folder only after the run has
// ended (`posrig report`), and the fsyncs were a quarter of a simulated-time suite run (about 1 s for 96 scenarios).
// A crash mid-run loses the results of that run either way: cucumber.json and junit.xml are written at its end too.
//   parsedArgvOptions: { ...allureFormatOptions(dir, rig) }   // → writer: new ResultsWriter(dir)

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestResult, TestResultContainer } from 'allure-js-commons';
import type { Category, EnvironmentInfo } from 'allure-js-commons/sdk';
import { stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';

type Globals = Parameters<Writer['writeGlobals']>[1];

/** Allure's Writer, without the temporary file and fsync per file. */
export class ResultsWriter implements Writer {
  #ready = false;

  constructor(readonly resultsDir: string) {}

  writeResult(result: TestResult): void {
    this.#json(`${result.uuid}-result.json`, result);
  }

  writeGroup(result: TestResultContainer): void {
    this.#json(`${result.uuid}-container.json`, result);
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    writeFileSync(this.#path(distFileName), content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    copyFileSync(from, this.#path(distFileName));
  }

  writeEnvironmentInfo(info: EnvironmentInfo): void {
    writeFileSync(this.#path('environment.properties'), stringifyEnvInfo(info), 'utf8');
  }

  writeCategoriesDefinitions(categories: Category[]): void {
    this.#json('categories.json', categories);
  }

  writeGlobals(distFileName: string, info: Globals): void {
    this.#json(distFileName, info);
  }

  #json(name: string, data: unknown): void {
    writeFileSync(this.#path(name), JSON.stringify(data), 'utf8');
  }

  #path(name: string): string {
    if (!this.#ready) mkdirSync(this.resultsDir, { recursive: true });
    this.#ready = true;
    return path.join(this.resultsDir, name);
  }
}
