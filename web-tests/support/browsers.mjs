// Launch options for WebGPU in headless Debian browsers without a GPU:
// Chromium on SwiftShader, Firefox ESR (over WebDriver BiDi, Playwright
// channel 'moz-firefox') on lavapipe. The package's own (npm/cli/browsers.js),
// so the tests, the demo, the CLI and the test kit start browsers alike.
import { chromiumLaunchOptions, firefoxLaunchOptions } from '../../npm/cli/browsers.js';

/** @type {import('@playwright/test').LaunchOptions} */
export const chromiumLaunch = chromiumLaunchOptions();

/** @type {import('@playwright/test').LaunchOptions} */
export const firefoxLaunch = firefoxLaunchOptions();
