// Launch options for WebGPU in headless Debian browsers without a GPU:
// Chromium on SwiftShader, Firefox ESR (over WebDriver BiDi, Playwright
// channel 'moz-firefox') on lavapipe. Shared by the tests and the demo.
/** @type {import('@playwright/test').LaunchOptions} */
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    '--use-vulkan=swiftshader',
    '--use-webgpu-adapter=swiftshader',
    '--use-angle=swiftshader',
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/** @type {import('@playwright/test').LaunchOptions} */
export const firefoxLaunch = {
  executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
  firefoxUserPrefs: {
    'dom.webgpu.enabled': true,
    'gfx.webgpu.ignore-blocklist': true,
    'gfx.webgpu.force-enabled': true,
  },
};
