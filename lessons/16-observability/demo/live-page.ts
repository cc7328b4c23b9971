// The live page in headless Chromium: two workers under a light load, one
// killed; the page's boxes before and after, and a screenshot (with
// SCREENSHOT=<file.png> it is saved: the README's picture).
import { basename } from 'node:path';
import { startLesson } from '@cluster-course/shared/harness';
import { findChromium, launchChromium } from '@cluster-course/shared/harness/browser';
import { startLoad } from '@cluster-course/shared/harness/http';
import { expect, say } from '@cluster-course/shared/harness/narrate';
import { printedUrl } from './observe.ts';

export async function livePage(dir: string): Promise<void> {
  const chromium = findChromium();
  if (!chromium) return say('(Chromium is not installed: the live page is skipped; open it in your own browser)');
  const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });
  const browser = await launchChromium(chromium);
  const load = startLoad(`${lesson.url}/work?ms=2`, { lanes: 2, intervalMs: 20 });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 520 } });
    await page.goto(printedUrl(lesson, 'live page'));
    const boxes = page.locator('article.worker');
    const text = async () =>
      (await boxes.evaluateAll((els) => els.map((el) => el.getAttribute('data-state') ?? ''))).join(', ');
    await page.locator('article.worker[data-state="serving"] >> nth=1').waitFor();
    await load.succeeded(100); // some requests/s in the boxes
    say(`boxes: ${await text()}`);
    const [victim] = await boxes.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-pid'))));
    const since = lesson.mark();
    process.kill(victim as number, 'SIGKILL');
    const [, replacement] = await lesson.waitForLine(/\(pid (\d+)\) listening$/, { since });
    await page.locator(`article.worker[data-pid="${replacement}"][data-state="serving"]`).waitFor({ timeout: 3_000 });
    // Its first answer to a gather: the box has numbers (the screenshot's moment).
    await page.locator(`article.worker[data-pid="${replacement}"][data-answered="true"]`).waitFor({ timeout: 3_000 });
    await page.locator(`article.worker[data-pid="${victim}"][data-state="exited"]`).waitFor({ timeout: 3_000 });
    say(`after kill -9 of pid ${victim}: ${await text()} (pid ${replacement} took its place)`);
    expect((await boxes.count()) === 3, 'the dead box and its replacement, side by side');
    // The README's picture comes from here: SCREENSHOT=<file.png> keeps it.
    const png = await page.screenshot({ path: process.env.SCREENSHOT });
    expect(png.subarray(1, 4).toString() === 'PNG', 'a PNG screenshot of the page');
    say(
      `screenshot of the page: ${Math.round(png.length / 1024)} KB${process.env.SCREENSHOT ? `, saved as ${basename(process.env.SCREENSHOT)}` : ''}`,
    );
    await load.stop();
    await lesson.stop('SIGTERM');
  } finally {
    await load.stop();
    await browser.close();
    await lesson.dispose();
  }
}
