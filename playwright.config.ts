import { defineConfig } from '@playwright/test';
import { chromiumLaunch, firefoxLaunch } from './web-tests/browsers.mjs';

export default defineConfig({
  testDir: './web-tests',
  testMatch: '*.spec.ts',
  timeout: 90_000,
  // Two cores: one worker per browser keeps the CPU rasterizers from starving.
  workers: 2,
  fullyParallel: false,
  reporter: 'list',
  projects: [
    { name: 'chromium', use: { browserName: 'chromium', launchOptions: chromiumLaunch } },
    { name: 'firefox', use: { browserName: 'firefox', channel: 'moz-firefox', launchOptions: firefoxLaunch } },
  ],
});
