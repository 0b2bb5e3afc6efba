// The render guest's `api-checks`: the rest of wasi:webgpu called through
// jco and the shim, each result compared with what WebGPU must give (and,
// for adapter limits, features and info, with the browser's own answer).
import { readFileSync } from 'node:fs';
import { test, expect } from './support/fixtures';

const witText = readFileSync(new URL('../wit/deps/wasi-webgpu-0.3.0-rc.2/package.wit', import.meta.url), 'utf8');
const witEnum = (name: string) =>
  witText.match(new RegExp(`enum ${name} \\{([^}]*)\\}`))![1].split(',').map((c) => c.replace(/\/\/.*$/gm, '').trim().replace(/^%/, '')).filter(Boolean);

let seen: Record<string, string> = {};
let browserSide: { limits: Record<string, number>; info: Record<string, unknown>; features: string[] };

test.describe('api checks', () => {
  test.beforeEach(async ({ guestPage }) => {
    if (Object.keys(seen).length) return;
    const result = await guestPage.evaluate(async () => {
      const guest = await (window as any).loadGuest('render-offscreen');
      const rows: [string, string][] = await guest.apiChecks();
      const events = await (window as any).loadGuest('events');
      const [lostReason, lostMessageEmpty] = await events.deviceLost();
      rows.push(['device-lost', lostReason], ['device-lost-message-empty', String(lostMessageEmpty)]);
      rows.push(['uncaptured-error', await events.uncapturedError()]);
      const adapter = (await navigator.gpu.requestAdapter())!;
      const limits: Record<string, number> = {};
      for (const key in adapter.limits) limits[key] = (adapter.limits as any)[key];
      const info: Record<string, unknown> = {};
      for (const key in adapter.info) info[key] = (adapter.info as any)[key];
      return { rows, browserSide: { limits, info, features: [...adapter.features] } };
    });
    seen = Object.fromEntries(result.rows);
    browserSide = result.browserSide;
  });

  test('every section ran to the end', () => {
    const outcomes = Object.entries(seen).filter(([k]) => k.endsWith('-outcome'));
    expect(outcomes.length).toBe(12);
    for (const [name, outcome] of outcomes) expect(outcome, name).toBe('ok');
  });

  test('texture getters return what the texture was created with', () => {
    expect(seen['texture-getters']).toBe(
      '8 4 3 2 1 GpuTextureDimension::D2 GpuTextureFormat::Rgba8unorm GpuTextureUsage(COPY_DST | TEXTURE_BINDING) None',
    );
    expect(seen['texture-view']).toBe('view none');
    expect(seen['texture-dimensions']).toBe('GpuTextureDimension::D1 GpuTextureDimension::D3');
    expect(seen['depth-format']).toBe('GpuTextureFormat::Depth24plusStencil8');
    expect(seen['bc-format']).toBe('GpuTextureFormat::Bc7RgbaUnormSrgb');
    expect(seen['write-destroyed-texture']).toBe('validation-error');
  });

  test('ASTC formats (spelt differently in the WIT) round-trip where the adapter has them', () => {
    const has = browserSide.features.includes('texture-compression-astc');
    expect(seen['astc-format']).toBe(has ? 'GpuTextureFormat::Astc4x4Unorm' : 'feature absent');
  });

  test('write-texture and the three texture copies move bytes exactly; clear-buffer zeroes its range', () => {
    expect(seen['texture-round-trip']).toBe('match');
    expect(seen['copies-errors']).toBe('none');
    expect(seen['clear-buffer']).toBe('01010101' + '00'.repeat(8) + '01010101');
  });

  test('viewport, scissor, blend constant and stencil reference shape the pixels', () => {
    // Probes at (2,2) (12,2) (2,12) (12,12) of a 16x16 target.
    expect(seen['viewport']).toBe('ff0000ff 00000000 00000000 00000000');
    expect(seen['scissor']).toBe('00000000 ff0000ff 00000000 00000000');
    // Source factor `constant` (0.2, 0.4, 0.6, 1) times red (1, 0, 0, 1).
    expect(seen['blend-constant']).toBe('330000ff 330000ff 330000ff 330000ff');
    expect(seen['stencil-reference']).toBe('ff0000ff 00000000 ff0000ff 00000000');
    expect(seen['render-state-errors']).toBe('none');
  });

  test('every draw form, in a pass and in an executed bundle, draws its cell', () => {
    // Cells 0-5: draw, draw x2 instances, draw-indexed (first-index, base-vertex),
    // draw-indirect, draw-indexed-indirect; 6-9: the same from a render bundle.
    expect(seen['draw-cells']).toBe('##########......');
    expect(seen['draws-errors']).toBe('none');
  });

  test('occlusion queries count visible samples and zero for an off-screen draw', () => {
    const [visible, hidden] = seen['occlusion'].split(' ').map(Number);
    expect(visible).toBeGreaterThan(0);
    expect(hidden).toBe(0);
    expect(seen['query-set']).toBe('occlusion 2 occlusion');
    expect(seen['queries-errors']).toBe('none');
  });

  test('timestamp queries: type-error without the feature, ordered stamps with it', () => {
    expect(seen['timestamp-without-feature']).toBe('type-error');
    const has = browserSide.features.includes('timestamp-query');
    expect(seen['timestamps']).toBe(has ? 'ordered none' : 'feature absent');
  });

  test('set-immediates reaches the shader where the browser has immediates, else a validation error', () => {
    const max = browserSide.limits.maxImmediateSize ?? 0;
    expect(seen['max-immediate-size']).toBe(String(max));
    if (max >= 16) {
      expect(seen['set-immediates']).toBe('compute=none render=none bundle=none');
      expect(seen['immediate-values']).toBe('[11, 22, 33, 44] none');
    } else {
      expect(seen['set-immediates']).toBe('compute=validation-error render=validation-error bundle=validation-error');
      expect(seen['immediate-values']).toBe('no immediates');
    }
  });

  test('compilation messages carry the error line and position', () => {
    expect(seen['compilation-error']).toMatch(/^GpuCompilationMessageType::Error line=3 pos=\d+ offset=\d+ length=\d+ has-message=true$/);
    const offset = Number(seen['compilation-error'].match(/offset=(\d+)/)![1]);
    // Line 3 of the shader starts at byte 40.
    expect(offset).toBeGreaterThanOrEqual(40);
    expect(seen['compilation-scope']).toBe('validation-error');
  });

  test('labels round-trip on all 19 labelled resources', () => {
    const pairs = seen['labels'].split(' ').map((p) => p.split('='));
    expect(pairs).toHaveLength(19);
    for (const [name, label] of pairs) expect(label).toBe(`L-${name}`);
    expect(seen['empty-label']).toBe('""');
  });

  test('all 36 limits, the info and the features match what the browser reports', () => {
    const limits = Object.fromEntries(seen['adapter-limits'].split(' ').map((p) => p.split('=')));
    expect(Object.keys(limits)).toHaveLength(36);
    for (const [name, value] of Object.entries(limits)) {
      // A limit the browser lacks (maxImmediateSize in Firefox) reads 0.
      expect(Number(value), name).toBe(browserSide.limits[name] ?? 0);
    }
    const info = browserSide.info;
    expect(seen['adapter-info']).toBe(
      [info.vendor, info.architecture, info.device, info.description, info.subgroupMinSize ?? 0, info.subgroupMaxSize ?? 0, info.isFallbackAdapter ?? false].join('|'),
    );
    const reported = seen['adapter-features'].split(' ');
    for (const feature of reported) expect(browserSide.features).toContain(feature);
    expect(reported.length).toBeGreaterThan(5);
    expect(seen['device-features-has-bc']).toBe('false');
    expect(seen['wgsl-features']).toBe('true false');
    expect(seen['preferred-canvas-format']).toMatch(/^GpuTextureFormat::(Rgba8unorm|Bgra8unorm)$/);
  });

  test('on-uncaptured-error delivers a validation error with its message', () => {
    expect(seen['uncaptured-error']).toBe('validation-error true');
  });

  test('every vertex format of the WIT validates in a render pipeline', () => {
    expect(seen['vertex-formats-tested'].split(' ')).toEqual(witEnum('gpu-vertex-format'));
    expect(seen['vertex-formats-failed']).toBe('');
  });

  test('bad input: each a validation error (or the WIT error), never a trap', () => {
    const outcomes = Object.fromEntries(seen['bad-input'].split(' ').map((p) => p.split('=')));
    const cases = [
      'zero-size-texture', 'mip-out-of-range', 'mismatched-format', 'indices-past-end', 'layout-mismatch',
      'destroyed-texture', 'nan-viewport', 'nan-blend-constant', 'format-without-feature', 'nan-sampler',
    ];
    for (const name of cases) expect(outcomes[name], name).toBe('validation-error');
    expect(outcomes['render-pipeline-async-missing-entry']).toBe('gpu-pipeline-error(validation)');
  });

  test('debug markers, buffer destroy, the constants record and device loss', () => {
    expect(seen['debug-markers']).toBe('none');
    expect(seen['map-destroyed-buffer']).toBe('operation-error');
    expect(seen['constants-record']).toBe('false true ["b"] [0.0]');
    // `destroy()` gives the reason `destroyed`; the message is the browser's (it may be empty).
    expect(seen['device-lost']).toBe('GpuDeviceLostReason::Destroyed');
    expect(seen['device-lost-message-empty']).toMatch(/^(true|false)$/);
  });

  test('a render bundle keeps the label given at finish (Chromium) or drops it (Firefox ESR 153)', ({ browserName }) => {
    expect(seen['bundle-label']).toBe(browserName === 'firefox' ? '' : 'bundle');
  });
});
