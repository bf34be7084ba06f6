// The live virtual terminal (`posrig sim --ui`) driven through its page in Debian's headless Chromium, on the
// sim-serial rig in-process: a sale clicked through is approved (screen, roll, ledger); a power cut while online is
// reversed after power-on with no money lost; a dropped host answer times out and nets to zero. Every wait is on page
// state (Playwright's polling with a timeout), never a sleep; balances read from the page are checked against the bank.
// One browser for the file, closed in `after`.
//   POSRIG_LIVE_SCREENSHOT=docs/images/live-terminal.png node --import tsx --test test/integration/live-terminal.test.ts
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type LiveTerminal, startLiveTerminal } from '../../cli/liveTerminal/server.ts';
import type { Money } from '../../protocols/domain/money.ts';
import { findUnmaskedPans } from '../../protocols/domain/pan.ts';
import { launchOptions } from '../../reporting/pictures/pictureRenderer.ts';
import type { TestCard } from '../../rigs/file/cardBook.ts';
import { type Rig, startRig } from '../../rigs/rig.ts';
import { startPosrig } from '../support/cli.ts';
import { waitFor } from '../support/events.ts';

const WAIT_MS = 15_000;
const MERCHANT = 'merchant:898310048160001';
const SCREENSHOT = process.env.POSRIG_LIVE_SCREENSHOT;

describe('posrig sim --ui: the live virtual terminal in Chromium', () => {
  let rig: Rig;
  let live: LiveTerminal;
  let browser: Browser;
  let alice: TestCard;

  before(async () => {
    rig = await startRig('rigs/sim-serial.yaml');
    live = await startLiveTerminal({ rig, port: 0 });
    alice = rig.cards.get('alice');
    browser = await chromium.launch(launchOptions());
  });
  /** The page shows no change for alice and the merchant, and the bank agrees: their balances are what they were. */
  async function noMoneyMoved(page: Page, aliceBefore: Money, merchantBefore: Money): Promise<void> {
    await accountChanged(page, 'card:alice', 0);
    await accountChanged(page, MERCHANT, 0);
    assert.equal((await rig.bank.balance(alice)).minor, aliceBefore.minor);
    assert.equal((await rig.bank.merchantBalance()).minor, merchantBefore.minor);
  }

  after(async () => {
    await browser?.close();
    await live?.close();
    await rig?.stop();
  });

  /** A fresh page on a freshly reset rig (reset from the page: the ledger's changes start from zero). */
  async function openPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(live.url);
    await page.locator('#chip-link[data-link="live"]').waitFor({ timeout: WAIT_MS });
    const [reset] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/reset'), { timeout: WAIT_MS }),
      page.click('#reset'),
    ]);
    assert.equal(reset.status(), 200, await reset.text());
    // The page starts over: what it showed before the reset is gone, the reset is noted.
    await page.waitForFunction(
      () =>
        document.querySelectorAll('#roll .receipt, #results li').length === 0 &&
        document.querySelector('#notices li')?.textContent?.includes('rig reset'),
      undefined,
      { timeout: WAIT_MS },
    );
    await page.locator(`#ledger tr[data-account="card:alice"] td.change[data-minor="0"]`).waitFor({ timeout: WAIT_MS });
    return page;
  }

  /** What the page shows for an account: its balance and its change since the reset, in minor units. */
  async function shownAccount(page: Page, account: string): Promise<{ balance: number; change: number }> {
    const row = page.locator(`#ledger tr[data-account="${account}"]`);
    return {
      balance: Number(await row.locator('td.balance').getAttribute('data-minor')),
      change: Number(await row.locator('td.change').getAttribute('data-minor')),
    };
  }

  /** Waits until the page shows this account changed by `change` minor units since the reset. */
  async function accountChanged(page: Page, account: string, change: number): Promise<void> {
    const cell = page.locator(`#ledger tr[data-account="${account}"] td.change[data-minor="${change}"]`);
    await cell.waitFor({ timeout: WAIT_MS });
  }

  async function screenShows(page: Page, text: string): Promise<void> {
    await page.locator('#screen .line', { hasText: text }).first().waitFor({ timeout: WAIT_MS });
  }

  /** Amount, Sale, card alice, swipe, her PIN on the keypad, ENTER: all clicked on the page. */
  async function saleByHand(page: Page, amount: string): Promise<void> {
    await page.fill('#amount', amount);
    await page.click('#sale');
    await page.locator('#terminal-state', { hasText: 'card' }).waitFor({ timeout: WAIT_MS });
    await page.selectOption('#card', 'alice');
    await page.click('#card-methods button[data-method="swipe"]');
    await page.locator('#terminal-state', { hasText: 'pin' }).waitFor({ timeout: WAIT_MS });
    for (const digit of alice.pin) await page.click(`#keypad button[data-key="${digit}"]`);
    // The keypad's echo shows a dot per digit, never the digit.
    await page.locator('#key-echo', { hasText: '•'.repeat(alice.pin.length) }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.textContent('#key-echo'), '•'.repeat(alice.pin.length));
    await page.click('#keypad button[data-key="ENTER"]');
  }

  test('a sale clicked through the page is approved: screen, receipts on the roll, the ledger moves', async () => {
    const page = await openPage();
    const aliceBefore = await rig.bank.balance(alice);
    const merchantBefore = await rig.bank.merchantBalance();
    assert.equal((await shownAccount(page, 'card:alice')).balance, aliceBefore.minor);

    await saleByHand(page, '12.34');

    await screenShows(page, rig.texts.expected('交易成功'));
    await page.locator('#results li[data-outcome="approved"]').waitFor({ timeout: WAIT_MS });
    const receipts = page.locator('#roll .receipt', { hasText: '¥12.34' });
    await receipts.nth(1).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await receipts.evaluateAll((all) => all.map((r) => (r as HTMLElement).dataset.copy)), [
      'merchant',
      'cardholder',
    ]);
    await accountChanged(page, 'card:alice', -1234);
    await accountChanged(page, MERCHANT, 1234);
    const shownAlice = await shownAccount(page, 'card:alice');
    const shownMerchant = await shownAccount(page, MERCHANT);
    assert.equal(shownAlice.balance, aliceBefore.minor - 1234);
    assert.equal(shownMerchant.balance, merchantBefore.minor + 1234);
    assert.equal((await rig.bank.balance(alice)).minor, shownAlice.balance, "the page shows the bank's balance");
    assert.equal((await rig.bank.merchantBalance()).minor, shownMerchant.balance);
    const html = await page.content();
    assert.ok(!html.includes(alice.pan), 'no clear card number reaches the page');
    assert.match((await page.textContent('#ledger')) ?? '', /622848\*+0018/);

    if (SCREENSHOT) {
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      assert.ok(statSync(SCREENSHOT).size < 300_000, `${SCREENSHOT} is under 300 KB`);
    }
    await page.close();
  });

  test('a power cut while the host answers, then power on from the page: reversed, no money lost', async () => {
    const page = await openPage();
    const aliceBefore = await rig.bank.balance(alice);
    const merchantBefore = await rig.bank.merchantBalance();

    await page.click('#fault-cut');
    await page.locator('#armed li', { hasText: 'cut the power' }).waitFor({ timeout: WAIT_MS });
    await saleByHand(page, '10.00');
    // The host approved and posted; its answer was swallowed and the power went.
    await page.locator('#chip-power[data-power="off"]').waitFor({ timeout: WAIT_MS });
    await page.locator('#network tbody tr[data-mti="0210"].lost').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator('#armed li').count(), 0, 'the cut fired and is no longer armed');

    await page.click('#power-on');
    await page.locator('#chip-power[data-power="on"]').waitFor({ timeout: WAIT_MS });
    await page.locator('#results li[data-reversal="confirmed"]').waitFor({ timeout: WAIT_MS });
    await page.locator('#journal tbody tr[data-kind="reversal"]').waitFor({ timeout: WAIT_MS });
    await noMoneyMoved(page, aliceBefore, merchantBefore);
    assert.equal((await shownAccount(page, 'card:alice')).balance, aliceBefore.minor);
    assert.equal((await shownAccount(page, MERCHANT)).balance, merchantBefore.minor);
    await page.close();
  });

  test("the host's answer dropped: the terminal shows its timeout, reverses, and the ledger nets to zero", async () => {
    const page = await openPage();
    const aliceBefore = await rig.bank.balance(alice);
    const merchantBefore = await rig.bank.merchantBalance();

    await page.click('#fault-drop');
    await page.locator('#armed li', { hasText: 'drop' }).waitFor({ timeout: WAIT_MS });
    await saleByHand(page, '20.00');

    await screenShows(page, rig.texts.expected('交易超时'));
    await page.locator('#results li[data-outcome="timeout"]').waitFor({ timeout: WAIT_MS });
    await page.locator('#results li[data-reversal="confirmed"]').waitFor({ timeout: WAIT_MS });
    await noMoneyMoved(page, aliceBefore, merchantBefore);
    await page.close();
  });

  test("the endpoints take JSON from the page's own origin only, and the stream carries no clear card number", async () => {
    const post = (action: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${live.url}api/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    assert.equal((await post('sale', '{"amount":"1.00"}', { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await post('sale', '{"amount":"1.00"}', { origin: 'http://evil.example' })).status, 403);
    assert.equal((await post('nothing', '{}')).status, 404);
    assert.equal((await post('keys', '{not json')).status, 400);
    const badKey = await post('keys', '{"keys":["X"]}');
    assert.equal(badKey.status, 400);
    assert.match(((await badKey.json()) as { error: string }).error, /^keys: keys must be a list of 0-9, ENTER/);
    const badCard = await post('card', '{"alias":"alicia","method":"swipe"}');
    assert.equal(badCard.status, 400);
    assert.match(((await badCard.json()) as { error: string }).error, /unknown card "alicia"; did you mean "alice"/);

    const stream = await fetch(`${live.url}events`);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('event: status')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += Buffer.from(chunk.value).toString('utf8');
    }
    await reader.cancel();
    assert.match(text, /event: ledger/);
    assert.match(text, /event: status/);
    assert.deepEqual(findUnmaskedPans(text), []);
  });

  test('a command the terminal refuses is shown on the page, not a crash', async () => {
    const page = await openPage();
    await page.click('#keypad button[data-key="ENTER"]');
    await page.click('#reprint'); // nothing printed since the reset: a refusal or a no-op, never a crash
    await page.fill('#amount', 'abc');
    await page.click('#sale');
    await page.locator('#toast', { hasText: 'amount must be' }).waitFor({ timeout: WAIT_MS });
    await page.locator('#notices li.error', { hasText: 'amount must be' }).waitFor({ timeout: WAIT_MS });
    await page.fill('#amount', '1.00');
    await page.click('#sale');
    await page.locator('#terminal-state', { hasText: 'card' }).waitFor({ timeout: WAIT_MS });
    await page.click('#sale');
    await page.locator('#toast', { hasText: 'refused "sale"' }).waitFor({ timeout: WAIT_MS });
    await page.click('#cancel');
    await page.locator('#results li[data-outcome="cancelled"]').waitFor({ timeout: WAIT_MS });
    await page.close();
  });
});

describe('posrig sim --ui on the command line', () => {
  test('prints the one ready line, serves the page, and stops cleanly on SIGTERM', async () => {
    const ui = startPosrig(['sim', '--ui', '--rig', 'rigs/sim-serial.yaml', '--port', '0']);
    const ready = /^posrig sim --ui: (http:\/\/127\.0\.0\.1:\d+\/) \(rig sim-serial\)$/m;
    await waitFor(ui.child.stdout as Readable, 'data', () => ready.test(ui.output()), 60_000);
    const url = ready.exec(ui.output())?.[1] as string;
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /live virtual terminal/);
    ui.child.kill('SIGTERM');
    const run = await ui.done;
    assert.equal(run.code, 0, run.output);
    assert.match(run.stderr, /posrig sim --ui: SIGTERM, stopping/);
  });

  test('a page port in use is one line naming it, exit code 2, and nothing left running', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const run = await startPosrig(['sim', '--ui', '--port', String(port)]).done;
      assert.equal(run.code, 2, run.output);
      assert.equal(run.stderr.trim(), `posrig: the live terminal cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    } finally {
      taken.close();
    }
  });

  test('`posrig sim` alone prints its help, naming --ui, as a usage error', async () => {
    const run = await startPosrig(['sim']).done;
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--ui/);
    assert.match(run.stderr, /terminal \[options\]/);
  });
});
