// Lesson 12's chat page, opened the way a learner opens it: in a real
// browser (headless Chromium), running Socket.IO's own browser client.
import { startLesson } from '@cluster-course/shared/harness';
import {
  type Browser,
  CHROMIUM_HINT,
  findChromium,
  launchChromium,
  type Page,
} from '@cluster-course/shared/harness/browser';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const dir = lessonDir('12');
const chromium = findChromium();
if (!chromium)
  console.warn(`lesson 12: tests of the chat page in Chromium skipped: chromium not found; ${CHROMIUM_HINT}`);

/** "Connected to worker 2 (pid 123) over polling": the worker, once connected. */
async function connectedWorker(page: Page): Promise<string> {
  const me = page.locator('#me');
  await expect.poll(() => me.textContent(), { timeout: 10_000 }).toMatch(/^Connected to worker/);
  return /worker (\d+)/.exec((await me.textContent()) ?? '')?.[1] ?? '';
}

describe.skipIf(!chromium)('lesson 12: the chat page in real headless Chromium', () => {
  let browser: Browser;
  beforeEach(async () => {
    browser = await launchChromium(chromium as string);
  });
  afterEach(async () => {
    await browser?.close();
  });

  it("MODE=library: two pages on two different workers see each other's messages", async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2', MODE: 'library' } });
    // New pages until two sit on different workers (the library deals new
    // connections round-robin, so it takes two or three).
    const pages = new Map<string, Page>();
    for (let i = 0; i < 6 && pages.size < 2; i++) {
      const page = await browser.newPage();
      await page.goto(`${lesson.url}/`);
      const worker = await connectedWorker(page);
      if (!pages.has(worker)) pages.set(worker, page);
    }
    expect(pages.size, 'pages on two workers').toBe(2);
    const [a, b] = [...pages.values()] as [Page, Page];
    await a.fill('#text', 'hello from page A');
    await a.press('#text', 'Enter');
    await b.getByText('hello from page A').waitFor({ timeout: 5_000 });
    await b.fill('#text', 'and back from B');
    await b.press('#text', 'Enter');
    await a.getByText('and back from B').waitFor({ timeout: 5_000 });
  });

  it('MODE=plain with ?polling, each request on a new connection: the page shows the session broken (a connect error, or a disconnect once a request meets the other worker) and the workers say "Session ID unknown"', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2', MODE: 'plain' } });
    // A browser keeps its connection alive, and one connection stays with
    // one worker; behind a proxy (or after an idle timeout) requests come on
    // new connections. `Connection: close` makes every request do so here.
    const context = await browser.newContext({ extraHTTPHeaders: { Connection: 'close' } });
    const page = await context.newPage();
    await page.goto(`${lesson.url}/?polling`);
    const broken = page.getByText(/^(connect error|disconnected): /).first();
    const connected = async () => /^Connected/.test((await page.locator('#me').textContent()) ?? '');
    await expect.poll(async () => (await broken.isVisible()) || (await connected()), { timeout: 10_000 }).toBe(true);
    // node:cluster deals a connection only to a worker that has taken its
    // last one (RoundRobinHandle's free list): on a busy machine the other
    // worker can be late, every request of the handshake lands on one
    // worker, and the page connects (the likely reason a busy soak once saw
    // no error within 10 s). Its next new connections meet the other worker.
    for (let sent = 0; sent < 10 && !(await broken.isVisible()); sent++) {
      const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/socket.io/'));
      await page.fill('#text', `message ${sent}`);
      await page.press('#text', 'Enter');
      if ((await posted).status() === 400) break; // the other worker: "Session ID unknown"
    }
    await broken.waitFor({ timeout: 10_000 }).catch(async (err: Error) => {
      const shown = await page.locator('body').textContent();
      throw new Error(`${err.message}\nthe page said:\n${shown}\nthe lesson said:\n${lesson.transcript()}`);
    });
    await lesson.waitForLine(/Session ID unknown/, { timeoutMs: 10_000 });
  });
});
