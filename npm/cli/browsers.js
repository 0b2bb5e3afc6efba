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
 * Chromium's flags for WebGPU on the machine's GPU, by platform. On Linux,
 * `--enable-features=Vulkan` alone silently gives SwiftShader (measured on
 * an NVIDIA H100 with driver 580: `isFallbackAdapter: true`); ANGLE on
 * Vulkan without a Vulkan surface (there is no display headless) gives the
 * GPU. On macOS (Metal) and Windows (D3D12) Chromium picks the GPU by
 * default. The blocklist would otherwise refuse GPUs it has not vetted,
 * which in a data centre is most of them. With the developer features,
 * GPUAdapterInfo also names the device, which `run --hardware` prints.
 */
const CHROMIUM_HARDWARE = {
  linux: ['--enable-features=Vulkan,VulkanFromANGLE', '--use-angle=vulkan', '--disable-vulkan-surface', '--ignore-gpu-blocklist', '--enable-webgpu-developer-features'],
  default: ['--ignore-gpu-blocklist', '--enable-webgpu-developer-features'],
};
const CHROMIUM_SOFTWARE = ['--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--use-angle=swiftshader'];

/**
 * Playwright launch options with WebGPU enabled.
 * `software: true` (the default) puts Chromium's WebGPU on SwiftShader, which
 * works on any machine, headless included; `false` puts it on the machine's
 * GPU (see CHROMIUM_HARDWARE). `probeAdapter` in the runner says which
 * adapter a page then gets; `run --hardware` refuses a fallback one.
 */
export function chromiumLaunchOptions({ executablePath = findBrowser('chromium'), software = true, platform = process.platform } = {}) {
  return {
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--enable-unsafe-webgpu',
      ...(software ? CHROMIUM_SOFTWARE : (CHROMIUM_HARDWARE[platform] ?? CHROMIUM_HARDWARE.default)),
      '--no-sandbox',
      // A closed network makes these fail loudly and slowly.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}

/** Vulkan ICD manifests of lavapipe, Mesa's CPU Vulkan driver, where Debian and Ubuntu put them. */
const LAVAPIPE_ICDS = ['/usr/share/vulkan/icd.d/lvp_icd.x86_64.json', '/usr/share/vulkan/icd.d/lvp_icd.aarch64.json', '/usr/share/vulkan/icd.d/lvp_icd.json'];

/**
 * Firefox over WebDriver BiDi (Playwright's `moz-firefox` channel) with
 * WebGPU forced on. Firefox's WebGPU (wgpu) takes the best Vulkan adapter
 * it finds and ranks CPU ones last, so with `software: true` on a machine
 * that has a GPU, the Vulkan loader is shown lavapipe alone (where it is
 * installed): software means software in both browsers. `software: false`
 * leaves the loader alone, so Firefox takes the GPU.
 */
export function firefoxLaunchOptions({ executablePath = findBrowser('firefox'), software = true } = {}) {
  const lavapipe = software && process.platform === 'linux' ? LAVAPIPE_ICDS.find((path) => existsSync(path)) : undefined;
  return {
    ...(executablePath ? { executablePath } : {}),
    ...(lavapipe ? { env: { ...process.env, VK_DRIVER_FILES: lavapipe, VK_ICD_FILENAMES: lavapipe } } : {}),
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
