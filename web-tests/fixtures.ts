import { test as base, expect, type Page } from '@playwright/test';
import type { AddressInfo } from 'node:net';
import { serve } from './server.mjs';

/** A page that can import the package and the transpiled guests. */
export async function openGuestPage(page: Page, origin: string): Promise<Page> {
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.goto(`${origin}/web-tests/pages/guest.html`);
  await page.waitForFunction(() => typeof (window as any).loadGuest === 'function');
  return page;
}

export const test = base.extend<{ guestPage: Page }, { origin: string }>({
  origin: [
    async ({}, use) => {
      const server = await serve(0);
      await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      server.close();
    },
    { scope: 'worker' },
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
