// Evidence where it happened: after each step, what the terminal did during it is attached to that step — its voice
// prompts and each receipt as text always; pictures of the display (each state that changed) and of each receipt
// (thermal paper, reprints stamped) for every scenario with `--evidence all` (or the rig's `evidence.pictures: all`),
// and for a failed scenario by default: with `failed`, the pictures taken so far are attached where it failed — the
// failing step, or the After hook when the invariant or the monitor failed it. `none` draws nothing (the selfcheck's
// many failing runs: text evidence is enough to count a catch).
// One Chromium per cucumber worker, reused; a state already rendered comes from the renderer's cache. Card numbers are
// masked in every form before anything is drawn (a terminal that sends one fails at once: [pan-masked], the driver).

import { AfterAll, BeforeAll } from '@cucumber/cucumber';
import { maskPansIn } from '../../protocols/domain/pan.ts';
import { localTimeOfDay } from '../../protocols/domain/time.ts';
import type { EcrMessage } from '../../protocols/ecr/index.ts';
import { PictureError, PictureRenderer } from '../../reporting/pictures/pictureRenderer.ts';
import type { HistoryRecord } from '../../rigs/terminal/eventHistory.ts';
import type { PosWorld } from './world.ts';

type Display = Extract<EcrMessage, { type: 'display' }>;
type Print = Extract<EcrMessage, { type: 'print' }>;

/** A state worth a picture: a display that changed, or a receipt copy. */
interface Shot {
  readonly at: Date;
  readonly message: Display | Print;
}

export type PictureMode = 'all' | 'failed' | 'none';

const renderer = new PictureRenderer();
// Chromium starts while the rig does, when every scenario will want pictures; otherwise at the first failure.
BeforeAll(() => {
  if (pictureMode() === 'all') renderer.start().catch(() => {});
});
AfterAll(async () => renderer.close());

/** `--evidence` of posrig run (or the rig's evidence.pictures), handed to the steps: `failed` unless `all` or `none`. */
export function pictureMode(env: NodeJS.ProcessEnv = process.env): PictureMode {
  return env.POSRIG_EVIDENCE === 'all' || env.POSRIG_EVIDENCE === 'none' ? env.POSRIG_EVIDENCE : 'failed';
}

/** What one scenario has shown and printed that is not pictured yet. */
export class StepPictures {
  private from: number;
  private lastDisplay: string | undefined;
  private readonly waiting: Shot[] = [];

  constructor(
    from: number,
    private readonly mode: PictureMode = pictureMode(),
  ) {
    this.from = from;
  }

  /** After a step: its voice prompts and receipts as text, the pictures of what changed (now, or when it failed). */
  async afterStep(world: PosWorld, failed: boolean): Promise<void> {
    await this.collect(world);
    if (this.wanted(failed)) await this.attachWaiting(world);
  }

  /** After the scenario (its hook): what came after the last step, and for a failure found by the judges every
   * picture not attached yet. */
  async afterScenario(world: PosWorld, failed: boolean): Promise<void> {
    await this.collect(world);
    if (this.wanted(failed)) await this.attachWaiting(world);
  }

  /** Pictures now: of every step with `all`, of a failure with `failed`, never with `none` (text evidence only). */
  private wanted(failed: boolean): boolean {
    return this.mode === 'all' || (failed && this.mode === 'failed');
  }

  /** What the terminal did since the last look: voice and receipts attached as text, pictures noted. */
  private async collect(world: PosWorld): Promise<void> {
    const records = world.rig.terminal.history.all(this.from);
    this.from += records.length;
    const voice = records.flatMap((r) => (r.dir === 'in' && r.message.type === 'voice' ? [voiceLine(r)] : []));
    if (voice.length > 0) await text(world, 'voice prompts.txt', maskPansIn(voice.join('\n')));
    for (const record of records) await this.note(world, record);
  }

  private async note(world: PosWorld, record: HistoryRecord): Promise<void> {
    const { message } = record;
    if (record.dir !== 'in') return;
    if (message.type === 'display') {
      const key = message.lines.join('\n');
      if (key === this.lastDisplay) return;
      this.lastDisplay = key;
      if (this.mode !== 'none') this.waiting.push({ at: record.at, message });
    }
    if (message.type === 'print') {
      await text(world, `${receiptName(message, record.at)}.txt`, maskPansIn(message.lines.join('\n')));
      if (this.mode !== 'none') this.waiting.push({ at: record.at, message });
    }
  }

  private async attachWaiting(world: PosWorld): Promise<void> {
    for (const shot of this.waiting.splice(0)) {
      const { message, at } = shot;
      const name = message.type === 'display' ? `display ${localTimeOfDay(at)}` : receiptName(message, at);
      try {
        const picture =
          message.type === 'display' ? await renderer.display(message.lines) : await renderer.receipt(message);
        await world.attach(picture.png, { mediaType: 'image/png', fileName: `${name}.png` });
      } catch (error) {
        // No Chromium on this machine: the evidence says so; the verdict is not the picture's to change.
        if (!(error instanceof PictureError)) throw error;
        warnOnce(error.message);
        await text(world, `${name} (no picture).txt`, error.message);
      }
    }
  }
}

let warned = false;
function warnOnce(why: string): void {
  if (warned) return;
  warned = true;
  console.error(`posrig: no evidence pictures in this run: ${why}`);
}

function receiptName(print: Print, at: Date): string {
  return `receipt ${print.copy} copy${print.reprint ? ' reprint' : ''} ${localTimeOfDay(at)}`;
}

function voiceLine(record: HistoryRecord): string {
  return `${localTimeOfDay(record.at)} "${record.message.type === 'voice' ? record.message.text : ''}"`;
}

async function text(world: PosWorld, name: string, body: string): Promise<void> {
  await world.attach(body, { mediaType: 'text/plain', fileName: name });
}
