import { defineConfig } from '@playwright/test';
import { chromiumLaunch, firefoxLaunch } from './web-tests/support/browsers.mjs';

export default defineConfig({
  testDir: './web-tests',
  testMatch: '*.spec.ts',
  timeout: 90_000,
  // Two cores: one worker per browser keeps the CPU rasterizers from starving.
  workers: 2,
  fullyParallel: false,
  reporter: 'list',
  // Every test runs on both of jco's import paths: its default glue, and
  // `--import-bindings hybrid`, where the hot calls go through the shim's
  // raw bindings (npm/generated/raw-bindings.js). Same assertions, same results.
  projects: [
    { name: 'chromium', use: { browserName: 'chromium', launchOptions: chromiumLaunch } },
    { name: 'firefox', use: { browserName: 'firefox', channel: 'moz-firefox', launchOptions: firefoxLaunch } },
    { name: 'chromium-hybrid', use: { browserName: 'chromium', launchOptions: chromiumLaunch, bindings: 'hybrid' } },
    { name: 'firefox-hybrid', use: { browserName: 'firefox', channel: 'moz-firefox', launchOptions: firefoxLaunch, bindings: 'hybrid' } },
  ],
});
