// Pictures of the terminal's display and of its printed receipts, as PNG, rendered in headless Chromium for the
// report. One Chromium per renderer (make one per process), launched on first use; one page, renders taken in turn.
// A picture of content already rendered comes from a bounded cache (`fresh: false`) without touching Chromium.
//   const pictures = new PictureRenderer();
//   const shot = await pictures.display(['交易成功', '金额: ¥100.00']);   // { png, source, fresh: true }
//   await pictures.receipt({ copy: 'cardholder', reprint: true, lines });  // REPRINT / 重打印 stamped
//   await pictures.close();
// `pictures.start()` launches Chromium ahead of the first picture. Asking early for a picture (not awaited) and again
// later costs one render: callers asking for the same content share it.
// A card number still readable after masking stops the picture with PanInPicture; no Chromium: PictureError.

import type { Browser, CDPSession, LaunchOptions, Page } from 'playwright-core';
import { clock } from '../../protocols/domain/clock.ts';
import { displayPage } from './displayPage.ts';
import { type PictureKind, pictureLines } from './pictureText.ts';
import { copyCaption, type ReceiptPrint, receiptPage } from './receiptPage.ts';

/** A rendered picture: the PNG, the text it shows (masked) and whether it was rendered now or came from the cache. */
export interface Picture {
  readonly png: Buffer;
  readonly source: string;
  readonly fresh: boolean;
}

/** Chromium could not be started or could not render; the message says what and where. */
export class PictureError extends Error {
  override readonly name = 'PictureError';
}

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** How posrig launches Chromium (Debian's, or POSRIG_CHROMIUM): headless, offline, never downloading a browser. */
export function launchOptions(env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  return {
    executablePath: env.POSRIG_CHROMIUM || DEFAULT_CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--no-first-run',
    ],
  };
}

export interface PictureRendererOptions {
  /** Launch options (default: launchOptions()). */
  readonly launch?: LaunchOptions;
  /** A browser someone else owns and closes; the renderer then opens only its page in it. */
  readonly browser?: Browser;
  /** How many pictures the cache keeps, least recently used dropped first (default 200). */
  readonly cacheSize?: number;
}

export class PictureRenderer {
  readonly #options: PictureRendererOptions;
  readonly #cache: PictureCache;
  #page: Promise<PicturePage> | undefined;
  #turn: Promise<unknown> = Promise.resolve();
  #closed = false;
  #rendered = 0;
  #cached = 0;

  constructor(options: PictureRendererOptions = {}) {
    this.#options = options;
    this.#cache = new PictureCache(options.cacheSize ?? 200);
  }

  /** How many pictures were rendered in Chromium, and how many came from the cache. */
  get stats(): { readonly rendered: number; readonly cached: number } {
    return { rendered: this.#rendered, cached: this.#cached };
  }

  /** The terminal's display showing these lines. */
  async display(lines: readonly string[]): Promise<Picture> {
    const source = pictureLines(lines, 'display').join('\n');
    return this.#picture('display', source, () => displayPage(lines));
  }

  /** One printed receipt copy (a print event of the ECR link). */
  async receipt(print: ReceiptPrint): Promise<Picture> {
    const source = [copyCaption(print), ...pictureLines(print.lines, 'receipt')].join('\n');
    return this.#picture('receipt', source, () => receiptPage(print));
  }

  /**
   * Launches Chromium now (once), so the first picture does not wait for it: e.g. `pictures.start().catch(() => {})`
   * in BeforeAll, not awaited (a failure is a PictureError, and shows again on the first picture).
   */
  async start(): Promise<void> {
    if (this.#closed) throw new PictureError('picture renderer is closed: cannot start Chromium');
    await this.#openPage();
  }

  /** Waits for the renders under way, then closes the page and the browser it launched. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#turn;
    const page = (await this.#page?.catch(() => undefined))?.page;
    this.#page = undefined;
    if (!page) return;
    if (this.#options.browser) await page.close().catch(() => undefined);
    else await page.context().browser()?.close();
  }

  /** Simulated time stands still while Chromium draws (protocols/domain/clock.ts `hold`). */
  #picture(kind: PictureKind, source: string, html: () => string): Promise<Picture> {
    return clock.hold(() => this.#drawn(kind, source, html));
  }

  async #drawn(kind: PictureKind, source: string, html: () => string): Promise<Picture> {
    const key = `${kind}\n${source}`;
    const cached = this.#cache.get(key);
    if (cached) {
      this.#cached++;
      return { png: await cached, source, fresh: false };
    }
    if (this.#closed) throw new PictureError(`picture renderer is closed: cannot render the ${kind}`);
    const page = html();
    const png = this.#inTurn(() => this.#render(kind, page));
    this.#cache.set(key, png);
    return { png: await png, source, fresh: true };
  }

  /** Runs one render after the ones before it: the page shows one thing at a time. */
  #inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(work);
    this.#turn = run.catch(() => undefined);
    return run;
  }

  async #render(kind: PictureKind, html: string): Promise<Buffer> {
    const { page, cdp } = await this.#openPage();
    try {
      const clip = await page.evaluate(showPicture, html);
      const shot = await cdp.send('Page.captureScreenshot', { format: 'png', clip, captureBeyondViewport: true });
      this.#rendered++;
      return Buffer.from(shot.data, 'base64');
    } catch (error) {
      throw new PictureError(`cannot render the ${kind} picture in Chromium: ${firstLine(error)}`);
    }
  }

  #openPage(): Promise<PicturePage> {
    this.#page ??= this.#launch().catch((error: unknown) => {
      this.#page = undefined; // the next picture tries again
      throw error;
    });
    return this.#page;
  }

  async #launch(): Promise<PicturePage> {
    const browser = this.#options.browser ?? (await launchBrowser(this.#options.launch ?? launchOptions()));
    browser.once('disconnected', () => {
      this.#page = undefined; // crashed or closed: the next picture launches again
    });
    const page = await browser.newPage({ viewport: { width: 420, height: 480 }, deviceScaleFactor: 1 });
    return { page, cdp: await page.context().newCDPSession(page) };
  }
}

/** The renderer's one page, and a DevTools session on it for the screenshots. */
interface PicturePage {
  readonly page: Page;
  readonly cdp: CDPSession;
}

/**
 * In the page: replaces the document with the picture's HTML and returns the `#picture` element's box, whole pixels.
 * (Writing the document and clipping a DevTools screenshot to the element gives the same PNG as
 * `locator.screenshot()` at about a third of its time: no navigation, no waiting for stable frames.)
 */
function showPicture(html: string): { x: number; y: number; width: number; height: number; scale: number } {
  document.open();
  document.write(html);
  document.close();
  const box = document.getElementById('picture')?.getBoundingClientRect();
  if (!box) throw new Error('the picture page has no #picture element');
  const x = Math.floor(box.x + window.scrollX);
  const y = Math.floor(box.y + window.scrollY);
  return {
    x,
    y,
    width: Math.ceil(box.right + window.scrollX) - x,
    height: Math.ceil(box.bottom + window.scrollY) - y,
    scale: 1,
  };
}

async function launchBrowser(options: LaunchOptions): Promise<Browser> {
  try {
    const { chromium } = await import('playwright-core'); // loaded when the first picture is drawn
    return await chromium.launch(options);
  } catch (error) {
    const why = firstLine(error).replace(/^browserType\.launch: /, '');
    throw new PictureError(`cannot start Chromium at ${options.executablePath}: ${why} (apt-get install chromium)`);
  }
}

/** The first line of an error's message (Playwright's messages go on with logs and hints). */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** Rendered pictures by content, least recently used dropped first; a failed render is forgotten. */
class PictureCache {
  readonly #pngs = new Map<string, Promise<Buffer>>();
  constructor(readonly size: number) {}

  get(key: string): Promise<Buffer> | undefined {
    const png = this.#pngs.get(key);
    if (png) {
      this.#pngs.delete(key);
      this.#pngs.set(key, png);
    }
    return png;
  }

  set(key: string, png: Promise<Buffer>): void {
    this.#pngs.set(key, png);
    png.catch(() => {
      if (this.#pngs.get(key) === png) this.#pngs.delete(key);
    });
    for (const oldest of this.#pngs.keys()) {
      if (this.#pngs.size <= this.size) break;
      this.#pngs.delete(oldest);
    }
  }
}
