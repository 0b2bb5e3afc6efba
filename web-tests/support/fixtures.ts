import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { hardware } from './browsers.mjs';

// API coverage (see pages/coverage.js): every page opened by openGuestPage
// records which WIT functions its guests called. The set is collected from
// the page just before it closes, however it closes: page.close(), its
// context's close() (which is how Playwright ends the `page`/`guestPage`
// fixtures) or, for pages still open when the worker ends, before the browser
// closes. Each collection goes to test-results/coverage/<browser>-<unique>.json;
// scripts/test.mjs merges them and prints the report.
const coverageDir = fileURLToPath(new URL('../../test-results/coverage/', import.meta.url));
const guestPages = new Set<Page>();
const wrappedContexts = new WeakSet<BrowserContext>();
let workerBrowserName: string | undefined;
let files = 0;
let reportedError = false;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Writes the WIT functions the guests in `page` have called so far to
 * test-results/coverage/ and returns them. Pages opened by openGuestPage are
 * collected automatically; specs need not call this.
 */
export async function collectCoverage(page: Page, browserName?: string): Promise<string[]> {
  if (page.isClosed()) return [];
  const browser = browserName ?? workerBrowserName ?? page.context().browser()?.browserType().name() ?? 'unknown';
  let got: { names: string[]; error?: string };
  try {
    got = await withTimeout(
      page.evaluate(() => ({
        names: [...((globalThis as any).__wasiWebgpuCoverage ?? [])] as string[],
        error: (globalThis as any).__wasiWebgpuCoverageError as string | undefined,
      })),
      5_000,
    );
  } catch (error) {
    console.log(`[coverage] could not collect from ${page.url()}: ${(error as Error).message}`);
    return [];
  }
  if (got.error && !reportedError) {
    reportedError = true;
    console.log(`[coverage] recording is not installed in ${browser}: ${got.error}`);
  }
  if (got.names.length) {
    mkdirSync(coverageDir, { recursive: true });
    writeFileSync(`${coverageDir}${browser}-${process.pid}-${Date.now()}-${++files}.json`, `${JSON.stringify(got.names.sort())}\n`);
  }
  return got.names;
}

/** Collects the tracked guest pages among `pages` (once each). */
async function collectTracked(pages: Page[]) {
  for (const page of pages) {
    if (!guestPages.delete(page)) continue;
    await collectCoverage(page);
  }
}

function collectBeforeClose(page: Page) {
  if (guestPages.has(page)) return;
  guestPages.add(page);
  page.once('close', () => guestPages.delete(page));
  const closePage = page.close.bind(page);
  page.close = async (...args: Parameters<Page['close']>) => {
    await collectTracked([page]);
    return closePage(...args);
  };
  const context = page.context();
  if (wrappedContexts.has(context)) return;
  wrappedContexts.add(context);
  const closeContext = context.close.bind(context);
  context.close = async (...args: Parameters<BrowserContext['close']>) => {
    await collectTracked(context.pages());
    return closeContext(...args);
  };
}

/** A page that can import the package and the transpiled guests. */
export async function openGuestPage(page: Page, origin: string): Promise<Page> {
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  collectBeforeClose(page);
  await page.goto(`${origin}/web-tests/pages/guest.html`);
  await page.waitForFunction(() => typeof (window as any).loadGuest === 'function');
  return page;
}

export const test = base.extend<{ guestPage: Page }, { bindings: 'js' | 'hybrid'; origin: string; apiCoverage: void; gpuAdapter: void }>({
  // Which transpile of the guests the pages load: jco's default glue, or its
  // hybrid bindings that call the shim's raw (cabiLower) forms. Set per
  // project in playwright.config.ts.
  bindings: ['js', { option: true, scope: 'worker' }],
  origin: [
    async ({ bindings }, use) => {
      const server = await serve(0, { bindings });
      await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      server.close();
    },
    { scope: 'worker' },
  ],
  // Collects guest pages still open when the worker ends. Depends on
  // `browser` so that its teardown runs before the browser closes.
  apiCoverage: [
    async ({ browser, browserName }, use) => {
      workerBrowserName = browserName;
      await use();
      await collectTracked([...guestPages]);
    },
    { scope: 'worker', auto: true },
  ],
  // With WASI_WEBGPU_HARDWARE=1 (scripts/gpu/run.sh): which adapter this
  // worker's browser gives, asked once in a fresh page and printed; every
  // test of a worker whose browser gives a software adapter fails with the
  // reason.
  gpuAdapter: [
    async ({ browser, browserName, origin }, use) => {
      if (hardware) {
        const page = await browser.newPage();
        await page.goto(`${origin}/web-tests/pages/guest.html`);
        const adapter = await page.evaluate(async () => (await import('/npm/runner/run.js' as string)).probeAdapter());
        await page.close();
        const { describeAdapter, hardwareRefusal } = await import('../../npm/runner/run.js');
        console.log(`[adapter] ${browserName}: ${describeAdapter(adapter)}`);
        const refusal = hardwareRefusal(adapter, browserName);
        if (refusal) throw new Error(refusal);
      }
      await use();
    },
    { scope: 'worker', auto: true },
  ],
  guestPage: async ({ page, origin }, use) => {
    await use(await openGuestPage(page, origin));
  },
});

export { expect };

/** Deterministic inputs: a small linear congruential generator. */
export function randomMatrix(count: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    // Values in [-2, 2) with a few bits, so f32 products stay well conditioned.
    return Math.fround((state >>> 8) / (1 << 22) - 2);
  });
}
