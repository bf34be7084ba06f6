// The report scan finds an unmasked card number however a report wrote it — plain, inside a base64 attachment,
// grouped with spaces or dashes, UTF-16LE or UTF-16BE — reports it masked, and leaves masked numbers, timestamps,
// STANs, RRNs and UUIDs alone.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { luhnValid } from '../../protocols/domain/pan.ts';
import { CARD_GROUPINGS, findPansInText } from '../../reporting/panForms.ts';
import { type PanLeak, scanFilesForPans, scanForPans } from '../../reporting/panScan.ts';

const VISA = '4111111111111111';
const UNIONPAY = '6228480402564890018'; // 19 digits
const AMEX = '378282246310005'; // 15 digits, printed 4-6-5
const BOB = '6214831234567890125';

const root = mkdtempSync(path.join(tmpdir(), 'posrig-panscan-'));
let folders = 0;

/** A fresh reports folder holding one file with these contents. */
function reportsWith(name: string, contents: string | Buffer): string {
  const folder = path.join(root, `reports-${++folders}`);
  mkdirSync(path.join(folder, 'nested'), { recursive: true });
  writeFileSync(path.join(folder, 'nested', name), contents);
  return folder;
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
/** The leaks without the folder prefix: [file name, masked, form]. */
const found = (leaks: PanLeak[]) => leaks.map((l) => [path.basename(l.file), l.masked, l.form]);

describe('report scan: every way a report can write a card number', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the planted numbers are Luhn-valid test cards (so a miss is the scan, not the fixture)', () => {
    for (const pan of [VISA, UNIONPAY, AMEX, BOB]) assert.ok(luhnValid(pan), pan);
  });

  test('plain digits in a text file', () => {
    const folder = reportsWith('run.log', `12:00:01.234 → card ${VISA} inserted\n`);
    assert.deepEqual(found(scanForPans(folder)), [['run.log', '411111******1111', 'digits']]);
  });

  test('base64 inside a cucumber.json attachment (embeddings[].data)', () => {
    const log = `display: 交易成功\nreceipt: card ${UNIONPAY}\n`;
    const json = JSON.stringify([
      { elements: [{ steps: [{ embeddings: [{ data: base64(log), mime_type: 'text/plain' }] }] }] },
    ]);
    assert.ok(!json.includes(UNIONPAY), 'the number is only in the base64');
    assert.deepEqual(found(scanForPans(reportsWith('cucumber.json', json))), [
      ['cucumber.json', '622848*********0018', 'base64, digits'],
    ]);
  });

  test('base64 inside a cucumber.html message attachment, spaced, at any alignment', () => {
    const body = base64(`ECR trace\ncard: ${VISA.replace(/(\d{4})(?=\d)/g, '$1 ')}\n`);
    for (const prefix of ['', 'x', 'xy', 'xyz']) {
      // a prefix of base64 characters glued to the run shifts it off its 4-character quantum
      const html = `<script>window.CUCUMBER_MESSAGES = [{"attachment":{"body":"${prefix}${body}","contentEncoding":"BASE64","mediaType":"text/plain"}}];</script>`;
      assert.deepEqual(found(scanForPans(reportsWith('cucumber.html', html))), [
        ['cucumber.html', '411111******1111', 'base64, spaced'],
      ]);
    }
  });

  test('grouped with spaces: 4-4-4-4, 4-4-4-4-3 and the 4-6-5 of American Express', () => {
    const folder = reportsWith(
      'junit.xml',
      `<failure>4111 1111 1111 1111 / 6228 4804 0256 4890 018 / 3782 822463 10005</failure>`,
    );
    assert.deepEqual(found(scanForPans(folder)), [
      ['junit.xml', '411111******1111', 'spaced'],
      ['junit.xml', '622848*********0018', 'spaced'],
      ['junit.xml', '378282*****0005', 'spaced'],
    ]);
  });

  test('grouped with dashes, even glued to words in another script or followed by more groups', () => {
    const folder = reportsWith('notes.txt', `卡号6214-8312-3456-7890-125 and 4111-1111-1111-1111-000`);
    assert.deepEqual(found(scanForPans(folder)), [
      ['notes.txt', '621483*********0125', 'dashed'],
      ['notes.txt', '411111******1111', 'dashed'],
    ]);
  });

  test('UTF-16LE text (with a BOM) and UTF-16BE text', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`交易成功 卡号 ${BOB}`, 'utf16le')]);
    assert.deepEqual(found(scanForPans(reportsWith('le.txt', le))), [
      ['le.txt', '621483*********0125', 'utf-16le, digits'],
    ]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(`card ${VISA.replace(/(\d{4})(?=\d)/g, '$1-')}`)]);
    assert.deepEqual(found(scanForPans(reportsWith('be.txt', be))), [
      ['be.txt', '411111******1111', 'utf-16be, dashed'],
    ]);
  });

  test('UTF-16 inside base64, and base64 inside base64', () => {
    const inner = Buffer.from(`PAN ${AMEX}`, 'utf16le').toString('base64');
    const folder = reportsWith('nested.json', JSON.stringify({ data: inner, again: base64(base64(`pan=${VISA}`)) }));
    assert.deepEqual(found(scanForPans(folder)), [
      ['nested.json', '378282*****0005', 'base64, utf-16le, digits'],
      ['nested.json', '411111******1111', 'base64, base64, digits'],
    ]);
  });

  test('a number written many times and in many forms is one hit per file, never unmasked', () => {
    const folder = reportsWith('cucumber.json', `${VISA} ${VISA} 4111 1111 1111 1111 ${base64(VISA)}`);
    const leaks = scanForPans(folder);
    assert.deepEqual(found(leaks), [['cucumber.json', '411111******1111', 'digits']]);
    assert.doesNotMatch(JSON.stringify(leaks), /4111111111111111|4111 1111/);
  });

  test('masked numbers, timestamps, STANs, RRNs, DE7, amounts and UUIDs are not card numbers', () => {
    const benign = [
      '411111******1111',
      '622848*********0018',
      '411111••••••1111',
      '411111…1111',
      '6228 48** **** **** 018',
      '4111-11••-••••-1111',
      '2026-05-04T10:00:05.123Z 2026-05-04 10:00:05',
      'STAN 000042 DE7 0504100000 RRN 612410000001 auth 123456',
      '000042 0504100000 612410000001 100.00 CNY',
      'epoch 1746352805003 ms, 1746352805000009 µs',
      'id 3cc84f32-3300-4678-9836-792dd93f260f',
      'Luhn-invalid 4111111111111112 and 4111 1111 1111 1112',
      'not a card grouping: 41 11 11 11 11 11 11 11, 411 111 111 111 1111',
      '0000 0000 0000 0000 and 0000000000000000',
      base64('card 411111******1111, STAN 000042'),
    ].join('\n');
    for (const [name, bytes] of [
      ['benign.txt', Buffer.from(benign, 'utf8')],
      ['benign-le.txt', Buffer.from(benign, 'utf16le')],
      ['benign-be.txt', utf16be(benign)],
    ] as const) {
      assert.deepEqual(scanForPans(reportsWith(name, bytes)), [], name);
    }
  });

  test('the card groupings are the ones cards are printed with, 13 to 19 digits', () => {
    for (const grouping of CARD_GROUPINGS) {
      const digits = grouping.split('-').reduce((sum, n) => sum + Number(n), 0);
      assert.ok(digits >= 13 && digits <= 19, grouping);
    }
    assert.deepEqual(findPansInText('4111 1111 1111 1111'), [{ pan: VISA, written: 'spaced' }]);
    assert.deepEqual(findPansInText('4111  1111 1111 1111'), [], 'two spaces are not a grouping');
    assert.deepEqual(findPansInText('4111 1111-1111 1111'), [], 'mixed separators are not one number');
  });

  test('a missing reports folder has nothing to leak', () => {
    assert.deepEqual(scanForPans(path.join(root, 'no-such-folder')), []);
  });

  test('scanning files: only the files named, each once, wherever they are; missing ones and folders are skipped', () => {
    const reports = reportsWith('notes.txt', `stale: ${VISA}\n`);
    const written = path.join(reports, 'junit.xml');
    writeFileSync(written, '<testsuite name="posrig sim-serial" tests="1" failures="0"/>');
    const elsewhere = path.join(reportsWith('run.ndjson', `{"attachment":{"body":"${base64(UNIONPAY)}"}}`), 'nested');
    const ndjson = path.join(elsewhere, 'run.ndjson');
    const leaks = scanFilesForPans([written, ndjson, ndjson, path.join(reports, 'missing.html'), elsewhere]);
    assert.deepEqual(
      leaks.map((l) => [l.file, l.masked, l.form]),
      [[ndjson, '622848*********0018', 'base64, digits']],
    );
    assert.deepEqual(scanFilesForPans([]), []);
  });
});
