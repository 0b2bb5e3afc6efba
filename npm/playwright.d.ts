import type { LaunchOptions, PlaywrightTestProject, TestType, PlaywrightTestArgs, PlaywrightTestOptions, PlaywrightWorkerArgs, PlaywrightWorkerOptions } from '@playwright/test';
export { expect } from '@playwright/test';
import type { RunReport } from './node.js';

/**
 * One project per installed browser (or per name in `browsers`), WebGPU on: software WebGPU by default;
 * `software: false` puts both browsers on the machine's GPU and refuses a run on a software adapter
 * (`stage: 'adapter'`) unless `allowFallback`.
 */
export function webgpuProjects(options?: { browsers?: Array<'chromium' | 'firefox'>; software?: boolean; allowFallback?: boolean }): PlaywrightTestProject[];
export function chromiumLaunchOptions(options?: { executablePath?: string | null; software?: boolean }): LaunchOptions;
export function firefoxLaunchOptions(options?: { executablePath?: string | null; software?: boolean }): LaunchOptions;

export interface RunComponentOptions {
  /** The export to call, kebab-case as in the WIT. Default: wasi:cli/run, else `start`. */
  call?: string;
  /** Its arguments; arrays become the typed arrays jco expects for `list<u32>` and the like. */
  args?: unknown[];
  /** Milliseconds before the run counts as timed out (default 60000). */
  timeout?: number;
  /** 'async': transpile with jco's instantiation mode; the fixture instantiates it with the package, a print and a WASI of its own. */
  instantiation?: 'async';
  /** What wasi:cli gives the guest: its arguments, environment and stdin. */
  wasi?: { args?: string[]; env?: Record<string, string>; stdin?: string };
}

export interface ComponentRun extends RunReport {
  imports: { provided: string[]; missing: string[] };
}

export const test: TestType<
  PlaywrightTestArgs & PlaywrightTestOptions & {
    /** Set by `webgpuProjects({ software: false })`: runComponent refuses a software adapter. */
    wasiRequireHardware: boolean;
    /** Transpiles the component (cached), runs it in this test's page and reports what happened. */
    runComponent: (component: string, options?: RunComponentOptions) => Promise<ComponentRun>;
  },
  PlaywrightWorkerArgs & PlaywrightWorkerOptions & {
    /** `use: { wasiReadableGlue: true }`: components are transpiled with readable glue (default: minified, with a source map). */
    wasiReadableGlue: boolean;
  }
>;
