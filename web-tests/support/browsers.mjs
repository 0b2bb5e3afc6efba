// Launch options for WebGPU in headless Debian browsers without a GPU:
// Chromium on SwiftShader, Firefox ESR (over WebDriver BiDi, Playwright
// channel 'moz-firefox') on lavapipe. The package's own (npm/cli/browsers.js),
// so the tests, the demo, the CLI and the test kit start browsers alike.
import { chromiumLaunchOptions, firefoxLaunchOptions } from '../../npm/cli/browsers.js';

/**
 * WASI_WEBGPU_HARDWARE=1 puts both browsers on the machine's GPU and makes
 * every test fail whose browser gives a software adapter (fixtures.ts
 * gpuAdapter): scripts/gpu/run.sh runs the suites so on a GPU machine.
 */
export const hardware = process.env.WASI_WEBGPU_HARDWARE === '1';

/** @type {import('@playwright/test').LaunchOptions} */
export const chromiumLaunch = chromiumLaunchOptions({ software: !hardware });

/** @type {import('@playwright/test').LaunchOptions} */
export const firefoxLaunch = firefoxLaunchOptions({ software: !hardware });
