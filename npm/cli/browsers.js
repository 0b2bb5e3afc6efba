// Where the browsers are and how to start them with WebGPU on: Debian's
// Chromium on SwiftShader and Firefox ESR on lavapipe (a CPU Vulkan driver),
// or the usual installed Chrome and Firefox. Used by the CLI, the
// Playwright kit and this repository's own tests.
import { existsSync } from 'node:fs';

const CANDIDATES = {
  chromium: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  firefox: ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'],
};
const ENV = { chromium: 'CHROMIUM_PATH', firefox: 'FIREFOX_PATH' };

/** The browser's executable: $CHROMIUM_PATH / $FIREFOX_PATH, else the first installed one; null if none. */
export function findBrowser(browser) {
  const fromEnv = process.env[ENV[browser]];
  if (fromEnv) return fromEnv;
  return CANDIDATES[browser].find((path) => existsSync(path)) ?? null;
}

/** What to tell someone whose browser is missing. */
export function missingBrowserMessage(browser) {
  const debian = browser === 'chromium' ? 'chromium' : 'firefox-esr mesa-vulkan-drivers';
  return `no ${browser === 'chromium' ? 'Chromium or Chrome' : 'Firefox'} found (looked for ${CANDIDATES[browser].join(', ')}): ` +
    `install one (Debian: apt-get install ${debian}) or set ${ENV[browser]} to its path`;
}

/**
 * Playwright launch options with WebGPU enabled.
 * `software: true` (the default) puts Chromium's WebGPU on SwiftShader, which
 * works on any machine, headless included; `false` leaves the choice of
 * adapter to Chromium (a real GPU where the driver allows it).
 */
export function chromiumLaunchOptions({ executablePath = findBrowser('chromium'), software = true } = {}) {
  return {
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      ...(software ? ['--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--use-angle=swiftshader'] : []),
      '--no-sandbox',
      // A closed network makes these fail loudly and slowly.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}

/** Firefox over WebDriver BiDi (Playwright's `moz-firefox` channel) with WebGPU forced on. */
export function firefoxLaunchOptions({ executablePath = findBrowser('firefox') } = {}) {
  return {
    ...(executablePath ? { executablePath } : {}),
    firefoxUserPrefs: {
      'dom.webgpu.enabled': true,
      'gfx.webgpu.ignore-blocklist': true,
      'gfx.webgpu.force-enabled': true,
    },
  };
}

/** Playwright's `use` for a browser: the browser name, channel and launch options. */
export function playwrightUse(browser, options = {}) {
  return browser === 'chromium'
    ? { browserName: 'chromium', launchOptions: chromiumLaunchOptions(options) }
    : { browserName: 'firefox', channel: 'moz-firefox', launchOptions: firefoxLaunchOptions(options) };
}
