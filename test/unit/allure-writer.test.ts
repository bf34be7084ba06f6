// The writer allure-cucumberjs is handed on every run: the files Allure 2 reads, under the names it reads them by, and
// nothing else left in the folder (no temporary file per write).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { TestResult, TestResultContainer } from 'allure-js-commons';
import { allureFormatOptions, CATEGORIES } from '../../reporting/allure/formatterOptions.ts';
import { ResultsWriter } from '../../reporting/allure/resultsWriter.ts';

describe('ResultsWriter', () => {
  it('writes results, containers, attachments, environment and categories where Allure 2 reads them', () => {
    const results = path.join(mkdtempSync(path.join(tmpdir(), 'posrig-allure-writer-')), 'allure-results');
    const writer = new ResultsWriter(results);
    writer.writeResult({ uuid: 'r1', name: 'Approved purchase' } as TestResult);
    writer.writeGroup({ uuid: 'c1', children: ['r1'] } as unknown as TestResultContainer);
    writer.writeAttachment('a1-attachment.txt', Buffer.from('APPROVED'));
    const source = path.join(path.dirname(results), 'receipt.txt');
    writeFileSync(source, 'RECEIPT');
    writer.writeAttachmentFromPath('a2-attachment.txt', source);
    writer.writeEnvironmentInfo({ rig: 'sim-serial', clock: 'virtual' });
    writer.writeCategoriesDefinitions([...CATEGORIES] as never);
    const read = (name: string) => readFileSync(path.join(results, name), 'utf8');
    assert.deepEqual(readdirSync(results).sort(), [
      'a1-attachment.txt',
      'a2-attachment.txt',
      'c1-container.json',
      'categories.json',
      'environment.properties',
      'r1-result.json',
    ]);
    assert.equal(JSON.parse(read('r1-result.json')).name, 'Approved purchase');
    assert.deepEqual(JSON.parse(read('c1-container.json')).children, ['r1']);
    assert.equal(read('a1-attachment.txt'), 'APPROVED');
    assert.equal(read('a2-attachment.txt'), 'RECEIPT');
    assert.equal(read('environment.properties'), 'rig=sim-serial\nclock=virtual');
    assert.equal(JSON.parse(read('categories.json'))[0].name, 'Firmware defects');
  });

  it('is the writer every run hands the formatter, writing into the run’s results folder', () => {
    const options = allureFormatOptions('reports/allure-results', 'sim-serial');
    assert.ok(options.writer instanceof ResultsWriter);
    assert.equal(options.writer.resultsDir, 'reports/allure-results');
  });
});
